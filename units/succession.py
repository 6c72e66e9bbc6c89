"""Units that merged, split or were renamed: which unit was valid on a date, and the figures of a
successor for periods before it existed.

Nothing is rewritten: a predecessor keeps its own scores and metric values for ever. A successor's
trend reads them at query time:

- merge (A, B, C → D) and rename (A → D): for a period that ended before the date, D's figures are
  the predecessors' summed (counts Σ; a rate recomputed from the summed counts, Σ/Σ as for any
  group, never a mean of rates);
- split (A → D, E): the predecessor's figures are not apportioned between D and E (nothing in the
  data says how); a split successor shows no figures before the date, and its page links to the
  predecessor, whose own trend stays on its own page.

A period belongs to the side of the date on which it *ends*: a period ending before the effective
date is the predecessors'; one ending on or after it is the successors'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import SuccessionKind
from .models import Unit, UnitSuccession


@dataclass
class SuccessionIndex:
    """Every succession in memory (three queries), indexed by unit id both ways."""

    successions: list[UnitSuccession] = field(default_factory=list)
    as_successor: dict[int, list[UnitSuccession]] = field(default_factory=lambda: defaultdict(list))
    as_predecessor: dict[int, list[UnitSuccession]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> SuccessionIndex:
        index = cls()
        for succession in UnitSuccession.objects.prefetch_related("predecessors", "successors"):
            index.successions.append(succession)
            for unit in succession.successors.all():
                index.as_successor[unit.pk].append(succession)
            for unit in succession.predecessors.all():
                index.as_predecessor[unit.pk].append(succession)
        return index

    def started_on(self, unit_id: int) -> date | None:
        """The day the unit came into being by a succession (None: it was always there)."""
        dates = [s.effective_date for s in self.as_successor.get(unit_id, [])]
        return max(dates) if dates else None

    def ended_on(self, unit_id: int) -> date | None:
        """The day the unit stopped existing by a succession (None: it still exists)."""
        dates = [s.effective_date for s in self.as_predecessor.get(unit_id, [])]
        return min(dates) if dates else None

    def valid_on(self, unit_id: int, day: date) -> bool:
        started, ended = self.started_on(unit_id), self.ended_on(unit_id)
        return (started is None or started <= day) and (ended is None or day < ended)

    def successors_on(self, unit_id: int, day: date) -> list[Unit]:
        """The units valid on ``day`` that took over ``unit_id`` (following later successions too)."""
        found: list[Unit] = []
        for succession in sorted(self.as_predecessor.get(unit_id, []), key=lambda s: s.effective_date):
            if succession.effective_date > day:
                continue
            for unit in succession.successors.all():
                if self.valid_on(unit.pk, day):
                    found.append(unit)
                else:
                    found.extend(self.successors_on(unit.pk, day))
        return _unique(found)


def _unique(units: list[Unit]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for unit in units:
        seen.setdefault(unit.pk, unit)
    return sorted(seen.values(), key=lambda u: (u.sort_order, u.name))


SHAPES = {
    # kind: (predecessors allowed, successors allowed) as (min, max); None = no upper bound
    SuccessionKind.MERGE: ((2, None), (1, 1)),
    SuccessionKind.SPLIT: ((1, 1), (2, None)),
    SuccessionKind.RENAME: ((1, 1), (1, 1)),
}


def check_shape(kind: str, predecessors, successors) -> None:
    """A merge joins ≥ 2 units into one, a split makes ≥ 2 of one, a rename is one for one."""
    (pmin, pmax), (smin, smax) = SHAPES[kind]
    label = SuccessionKind(kind).label.lower()
    if not (pmin <= len(predecessors) and (pmax is None or len(predecessors) <= pmax)):
        raise ValidationError(f"Hình thức {label}: số đơn vị trước ({len(predecessors)}) không hợp lệ.")
    if not (smin <= len(successors) and (smax is None or len(successors) <= smax)):
        raise ValidationError(f"Hình thức {label}: số đơn vị sau ({len(successors)}) không hợp lệ.")
    if {u.pk for u in predecessors} & {u.pk for u in successors}:
        raise ValidationError("Một đơn vị không thể vừa là đơn vị trước vừa là đơn vị sau.")


@transaction.atomic
def record_succession(*, kind: str, predecessors: list[Unit], successors: list[Unit], effective_date: date,
                      legal_basis: str = "", note: str = "", today: date | None = None) -> UnitSuccession:
    """Record a merge, split or rename; the same one recorded again is returned unchanged.

    Predecessors stay in the registry; from the effective date (once it has come) they are
    inactive, so that pages list them apart while old files still find them by name."""
    check_shape(kind, predecessors, successors)
    before = sorted(u.pk for u in predecessors)
    for existing in UnitSuccession.objects.filter(kind=kind, effective_date=effective_date).prefetch_related(
            "predecessors"):
        if sorted(u.pk for u in existing.predecessors.all()) == before:
            succession = existing
            break
    else:
        succession = UnitSuccession.objects.create(kind=kind, effective_date=effective_date,
                                                   legal_basis=legal_basis, note=note)
        succession.predecessors.set(predecessors)
    succession.successors.set(successors)
    if (succession.legal_basis, succession.note) != (legal_basis, note):
        succession.legal_basis, succession.note = legal_basis, note
        succession.save(update_fields=["legal_basis", "note"])
    if effective_date <= (today or timezone.localdate()):
        Unit.objects.filter(pk__in=before, active=True).update(active=False)
    return succession


def lineage_units(unit: Unit, on_date: date, index: SuccessionIndex | None = None) -> list[Unit]:
    """The units whose figures, for a period ending on ``on_date``, are ``unit``'s.

    The unit itself when it existed then; its merged or renamed predecessors (recursively) when
    it did not exist yet; nothing for a split successor before the split (not apportioned) and
    nothing after the unit itself ended."""
    index = index or SuccessionIndex.load()
    if index.valid_on(unit.pk, on_date):
        return [unit]
    started = index.started_on(unit.pk)
    if started is None or on_date >= started:
        return []  # it had already ended: its figures after that are its successors'
    found: list[Unit] = []
    for succession in index.as_successor.get(unit.pk, []):
        if succession.effective_date <= on_date or succession.kind == SuccessionKind.SPLIT:
            continue
        for predecessor in succession.predecessors.all():
            found.extend(lineage_units(predecessor, on_date, index))
    return _unique(found)


def rolled_up_values(per_unit: list[dict[str, Decimal]]) -> dict[str, Decimal]:
    """The figures of several units as one: counts summed, rates recomputed from the sums (Σ/Σ).

    A rate stored without its counts (the aggregated TTHC table) cannot be combined: it is kept
    for one unit alone and dropped for several, never averaged."""
    from documents.metrics import COUNT, METRICS, rate_of

    if len(per_unit) == 1:
        return dict(per_unit[0])
    sums: dict[str, Decimal] = {}
    for values in per_unit:
        for key, value in values.items():
            metric = METRICS.get(key)
            if metric is not None and metric.kind == COUNT:
                sums[key] = sums.get(key, Decimal(0)) + value
    result = dict(sums)
    for key, metric in METRICS.items():
        if metric.derived and all(part in sums for part in metric.numerator + metric.denominator):
            value = rate_of(metric, sums)
            if value is not None:
                result[key] = value
    return result


def rolled_up_metrics(successor: Unit, periods) -> dict[str, dict[str, Decimal]]:
    """{period code: {key: value}}: the successor's own values, and for periods ending before it
    existed the sum of its predecessors' (merge, rename). Two queries for the values, three for
    the successions, whatever the number of periods."""
    from documents.models import MetricValue

    index = SuccessionIndex.load()
    periods = list(periods)
    members = {p.pk: lineage_units(successor, p.end, index) for p in periods}
    unit_ids = {u.pk for units in members.values() for u in units}
    values: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    rows = MetricValue.objects.filter(period__in=periods, unit_id__in=unit_ids).values_list(
        "period_id", "unit_id", "key", "value")
    for period_id, unit_id, key, value in rows:
        values[(period_id, unit_id)][key] = value
    result = {}
    for period in periods:
        per_unit = [values[(period.pk, u.pk)] for u in members[period.pk] if values.get((period.pk, u.pk))]
        result[period.code] = rolled_up_values(per_unit) if per_unit else {}
    return result


@dataclass(frozen=True)
class RolledUpIndex:
    """A successor's index for one period: Σ appraised / Σ max over the assessments of its lineage."""

    period_code: str
    units: tuple[str, ...]
    max_total: Decimal
    appraised_total: Decimal

    @property
    def index_percent(self) -> Decimal | None:
        return self.appraised_total / self.max_total * 100 if self.max_total else None


def rolled_up_index(successor: Unit, periods, *, set_kind: str | None = None,
                    index: SuccessionIndex | None = None) -> dict[str, RolledUpIndex]:
    """{period code: RolledUpIndex} over the assessments of the unit's lineage in each period
    (one criteria-set kind when given). Pooled like a group rate: Σ appraised / Σ max, so a
    predecessor scored on more points weighs more, and no index is ever a mean of indexes."""
    from scoring.services import assessment_summaries

    index = index or SuccessionIndex.load()
    periods = list(periods)
    members = {p.pk: lineage_units(successor, p.end, index) for p in periods}
    all_units = {u.pk: u for units in members.values() for u in units}
    summaries = assessment_summaries(list(all_units.values()))
    result = {}
    for period in periods:
        ids = {u.pk for u in members[period.pk]}
        rows = [s for s in summaries if s.assessment.period_id == period.pk and s.assessment.subject_id in ids
                and (set_kind is None or s.assessment.criteria_set.kind == set_kind)]
        if rows:
            result[period.code] = RolledUpIndex(
                period.code, tuple(sorted({s.assessment.subject.name for s in rows})),
                sum((s.max_total for s in rows), Decimal(0)), sum((s.appraised_total for s in rows), Decimal(0)),
            )
    return result


def ancestors(unit_id: int, index: SuccessionIndex) -> set[int]:
    """The ids of every unit ``unit_id`` came from, through any number of merges, splits and renames."""
    found: set[int] = set()
    todo = [unit_id]
    while todo:
        for succession in index.as_successor.get(todo.pop(), []):
            for predecessor in succession.predecessors.all():
                if predecessor.pk not in found:
                    found.add(predecessor.pk)
                    todo.append(predecessor.pk)
    return found


@dataclass(frozen=True)
class ScoreLineage:
    """Whose assessments stand for a unit in a period: its own (kind ""), or its predecessors'."""

    units: tuple[Unit, ...]
    kind: str = ""  # a SuccessionKind when the unit did not exist yet

    @property
    def names(self) -> str:
        return ", ".join(u.name for u in self.units)

    @property
    def label(self) -> str:
        """What the page says beside figures that are not the unit's own."""
        if self.kind == SuccessionKind.SPLIT:
            return f"tách từ: {self.names} (số liệu của cả đơn vị cũ, không phân bổ)"
        if self.kind == SuccessionKind.MERGE:
            return f"gộp từ: {self.names}"
        if self.kind == SuccessionKind.RENAME:
            return f"đổi tên từ: {self.names}"
        return ""


def score_lineage(unit: Unit, on_date: date, index: SuccessionIndex) -> ScoreLineage:
    """The units whose assessments of a period ending on ``on_date`` stand for ``unit`` in its score
    trends and year-on-year comparisons.

    As lineage_units for a merge or a rename. Unlike it, a split successor reads its predecessor's
    whole result, labelled: a score is not a count that could be apportioned, and the old unit's
    result is the nearest honest comparison as long as the page says whose it is."""
    if index.valid_on(unit.pk, on_date):
        return ScoreLineage((unit,))
    started = index.started_on(unit.pk)
    if started is None or on_date >= started:
        return ScoreLineage(())
    found: list[Unit] = []
    kinds: list[str] = []
    for succession in sorted(index.as_successor.get(unit.pk, []), key=lambda s: s.effective_date, reverse=True):
        if succession.effective_date <= on_date:
            continue
        kinds.append(succession.kind)
        for predecessor in succession.predecessors.all():
            found.extend(score_lineage(predecessor, on_date, index).units)
    units = tuple(_unique(found))
    if not units:
        return ScoreLineage(())
    if SuccessionKind.SPLIT in kinds:
        kind = SuccessionKind.SPLIT
    elif len(units) > 1:
        kind = SuccessionKind.MERGE
    else:
        kind = kinds[0]
    return ScoreLineage(units, kind)


@dataclass(frozen=True)
class IndexPoint:
    """A unit's index in one period for one kind of criteria set, its own or its predecessors' pooled."""

    period: object  # scoring.models.Period
    set_kind_label: str
    set_codes: str
    units: tuple[Unit, ...]
    rolled_up: bool
    max_total: Decimal
    appraised_total: Decimal

    @property
    def index_percent(self) -> Decimal | None:
        return self.appraised_total / self.max_total * 100 if self.max_total else None


def index_trend(unit: Unit, index: SuccessionIndex) -> list[IndexPoint]:
    """The unit's index over every period it or its predecessors were assessed in, oldest first, one
    point per period and kind of set: its own assessments, and for a period that ended before it
    existed its merged or renamed predecessors' pooled as rolled_up_index pools them (Σ appraised /
    Σ max). A split successor has no point before the split (lineage_units). Three queries."""
    from scoring.services import assessment_summaries

    ids = {unit.pk} | ancestors(unit.pk, index)
    summaries = assessment_summaries(Unit.objects.filter(pk__in=ids))
    groups: dict[tuple, list] = defaultdict(list)
    for summary in summaries:
        assessment = summary.assessment
        groups[(assessment.period_id, assessment.criteria_set.kind)].append(summary)
    points = []
    for rows in groups.values():
        period = rows[0].assessment.period
        members = {u.pk for u in lineage_units(unit, period.end, index)}
        rows = [s for s in rows if s.assessment.subject_id in members]
        if not rows or not any(s.max_total for s in rows):
            continue
        points.append(IndexPoint(
            period, rows[0].assessment.criteria_set.get_kind_display(),
            ", ".join(sorted({s.assessment.criteria_set.code for s in rows})),
            tuple(_unique([s.assessment.subject for s in rows])),
            any(s.assessment.subject_id != unit.pk for s in rows),
            sum((s.max_total for s in rows), Decimal(0)), sum((s.appraised_total for s in rows), Decimal(0)),
        ))
    return sorted(points, key=lambda p: (p.period.start, p.period.end, p.set_kind_label))


@dataclass(frozen=True)
class LineageStep:
    """One succession as a unit's page shows it."""

    kind: str
    kind_label: str
    effective_date: date
    legal_basis: str
    units: tuple[Unit, ...]


def lineage_in(index: SuccessionIndex, unit: Unit) -> tuple[list[LineageStep], list[LineageStep]]:
    """lineage_of read from a loaded index: no query (a page that already loaded it for the roll-up)."""
    came_from = [
        LineageStep(s.kind, s.get_kind_display(), s.effective_date, s.legal_basis, tuple(s.predecessors.all()))
        for s in sorted(index.as_successor.get(unit.pk, []), key=lambda s: (s.effective_date, s.pk))
    ]
    became = [
        LineageStep(s.kind, s.get_kind_display(), s.effective_date, s.legal_basis, tuple(s.successors.all()))
        for s in sorted(index.as_predecessor.get(unit.pk, []), key=lambda s: (s.effective_date, s.pk))
    ]
    return came_from, became


@dataclass(frozen=True)
class TrendValues:
    """A unit's metric values of one period as its trend shows them."""

    values: dict[str, Decimal]
    rolled_up_from: tuple[Unit, ...] = ()  # the predecessors summed, when the unit did not exist yet


def trend_values(unit: Unit, periods, values: dict[int, dict[int, dict[str, Decimal]]],
                 index: SuccessionIndex) -> dict[int, TrendValues]:
    """{period id: TrendValues}: the unit's own values of each period it has them; for a period it
    has none of and ended before the unit existed (merge, rename), its predecessors' rolled up
    (rolled_up_values: counts Σ, rates Σ/Σ). ``values`` is {period id: {unit id: {key: value}}} and
    must hold the units of trend_units; nothing is read here."""
    found = {}
    for period in periods:
        by_unit = values.get(period.pk, {})
        own = by_unit.get(unit.pk)
        if own:
            found[period.pk] = TrendValues(dict(own))
            continue
        members = [u for u in lineage_units(unit, period.end, index) if u.pk != unit.pk and by_unit.get(u.pk)]
        if members:
            found[period.pk] = TrendValues(rolled_up_values([by_unit[u.pk] for u in members]), tuple(members))
    return found


def trend_units(unit: Unit, periods, index: SuccessionIndex) -> set[int]:
    """The ids of the units whose values trend_values may read for ``unit`` over ``periods``."""
    return {unit.pk} | {u.pk for p in periods for u in lineage_units(unit, p.end, index)}


def lineage_of(unit: Unit) -> tuple[list[LineageStep], list[LineageStep]]:
    """(where the unit came from, what it became): the successions naming it, for its page."""
    came_from = [
        LineageStep(s.kind, s.get_kind_display(), s.effective_date, s.legal_basis, tuple(s.predecessors.all()))
        for s in unit.preceded_by.prefetch_related("predecessors").order_by("effective_date")
    ]
    became = [
        LineageStep(s.kind, s.get_kind_display(), s.effective_date, s.legal_basis, tuple(s.successors.all()))
        for s in unit.succeeded_by.prefetch_related("successors").order_by("effective_date")
    ]
    return came_from, became
