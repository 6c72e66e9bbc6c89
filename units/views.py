"""The unit registry and each unit's page (the unit portal for its head): what the unit answers for,
what it lost, its metrics over periods beside the whole tree's and its authority's targets, its remediation tasks.

A unit head sees only their own unit; any other unit's page answers 404, as if it did not exist."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from common import memo
from common.charts import Series, trend_chart

from documents.metrics import METRICS, RATE, rate_of
from documents.models import MetricValue
from scoring.forms import TaskProgressForm
from scoring.models import CriterionResponsibility, Period, RemediationTask, Score, StageKind
from scoring.rounds import EVIDENCE, open_stage, stages_of, writable_fields

from .access import authority_of, own_unit, role_of, role_required, root_ids, subtree_ids, visible_units
from .choices import Role, UnitKind
from .models import Authority, Unit, UnitAlias
from .succession import SuccessionIndex, index_trend, lineage_in, trend_units, trend_values

RATE_KEYS = [m.key for m in METRICS.values() if m.kind == RATE]


def authorities_by_unit(unit_ids) -> dict[int, Authority | None]:
    """{unit id: the authority at the root of its tree} in two queries (the parent map, the authorities):
    each unit is held to its own authority's targets."""
    by_root = {a.unit_id: a for a in Authority.objects.all()}
    return {unit_id: by_root.get(root) for unit_id, root in root_ids(unit_ids).items()}


def target_for(authority: Authority | None, key: str, kind: str) -> Decimal | None:
    """The target the unit's authority set for ``key`` (units.models.Authority.metric_targets)."""
    return authority.target_for(key, kind) if authority is not None else None


def values_by_period_unit(period_ids, unit_ids=None) -> dict[int, dict[int, dict[str, Decimal]]]:
    """{period id: {unit id: {key: value}}} in one query."""
    rows = MetricValue.objects.filter(period_id__in=period_ids)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    found: dict = defaultdict(lambda: defaultdict(dict))
    for period_id, unit_id, key, value in rows.values_list("period_id", "unit_id", "key", "value"):
        found[period_id][unit_id][key] = value
    return found


def rate_value(key: str, values: dict) -> Decimal | None:
    """A rate from a unit's counts (Σ numerator / Σ denominator), or as stored when it has no formula."""
    metric = METRICS[key]
    return rate_of(metric, values) if metric.derived else values.get(key)


def district_rate(key: str, by_unit: dict[int, dict]) -> Decimal | None:
    """The district's rate: Σ numerators / Σ denominators over the units with every count, never a mean.
    A rate given without its counts has no district figure here."""
    metric = METRICS[key]
    if not metric.derived:
        return None
    parts = metric.numerator + metric.denominator
    sums = {k: Decimal(0) for k in parts}
    any_unit = False
    for values in by_unit.values():
        if all(values.get(k) is not None for k in parts):
            any_unit = True
            for k in parts:
                sums[k] += values[k]
    return rate_of(metric, sums) if any_unit else None


@dataclass
class WeakUnit:
    unit: Unit
    rate: Decimal
    target: Decimal | None

    @property
    def gap(self) -> Decimal | None:
        return None if self.target is None else self.rate - self.target


@dataclass
class MetricWeakness:
    key: str
    label: str
    district: Decimal | None
    units: list[WeakUnit]
    below_target: int


def metrics_fingerprint(period_ids) -> tuple:
    """How many metric values these periods hold and the newest one's id: an import or a superseded
    batch changes one of them (an edit in the admin replaces the memo generation). One query."""
    found = MetricValue.objects.filter(period_id__in=period_ids).aggregate(n=Count("id"), last=Max("id"))
    return found["n"], found["last"]


def weakest_units(period, *, units, limit: int = 5) -> list[MetricWeakness]:
    """Per rate metric with data in ``period``: among ``units`` (those the viewer sees), the units
    furthest below their target (or the lowest rates when the metric has no target), how many miss
    it, and the rate of all of them together. Kept in the cache until the period's metrics change."""
    unit_ids = sorted(units.values_list("pk", flat=True))

    def compute():
        by_unit = values_by_period_unit([period.pk], unit_ids).get(period.pk, {})
        found = Unit.objects.in_bulk(list(by_unit))
        authorities = authorities_by_unit(list(by_unit))
        result = []
        for key in RATE_KEYS:
            rates = []
            for unit_id, values in by_unit.items():
                rate = rate_value(key, values)
                if rate is not None:
                    rates.append(WeakUnit(found[unit_id], rate,
                                          target_for(authorities[unit_id], key, found[unit_id].kind)))
            if not rates:
                continue
            rates.sort(key=lambda w: (w.gap if w.gap is not None else w.rate, w.unit.name))
            below = sum(1 for w in rates if w.gap is not None and w.gap < 0)
            result.append(MetricWeakness(key, METRICS[key].label, district_rate(key, by_unit), rates[:limit], below))
        return result

    return memo.remember("weakest-units", (period.pk, tuple(unit_ids), limit, metrics_fingerprint([period.pk])),
                         compute)


def whole_rates(root: Unit | None, period_ids: list[int]) -> dict[tuple[int, str], Decimal | None]:
    """{(period id, rate key): the rate of the whole tree under ``root``} (Σ numerators / Σ
    denominators over its units, as district_rate), for the unit pages; kept in the cache until the
    metrics change, so a unit page does not read every unit's values of every period."""
    def compute():
        tree = subtree_ids(root) if root is not None else None
        values = values_by_period_unit(period_ids, tree)
        return {(p, key): district_rate(key, values.get(p, {})) for p in period_ids for key in RATE_KEYS}

    return memo.remember("whole-rates", (getattr(root, "pk", None), tuple(period_ids), metrics_fingerprint(period_ids)),
                         compute)


@role_required()
def unit_list(request):
    """The registry: units by kind with their other names and codes in the provincial systems."""
    units = list(
        visible_units(request.user).select_related("parent")
        .prefetch_related(Prefetch("aliases", queryset=UnitAlias.objects.order_by("name")), "codes")
        .order_by("sort_order", "name")
    )
    groups: dict[str, list] = {kind: [] for kind in UnitKind.values}
    for unit in units:
        groups.setdefault(unit.kind, []).append(unit)
    return render(request, "units/list.html", {
        "groups": [{"kind": k, "label": UnitKind(k).label, "units": v} for k, v in groups.items() if v],
        "unit_count": len(units),
    })


@dataclass
class MetricRow:
    key: str
    label: str
    cells: list  # per period: (unit rate, district rate)
    target: Decimal | None

    @property
    def latest(self):
        for unit_rate, district in reversed(self.cells):
            if unit_rate is not None:
                return unit_rate, district
        return None, None

    @property
    def below_target(self) -> bool:
        rate, _ = self.latest
        return self.target is not None and rate is not None and rate < self.target

    def chart(self, periods, whole: str) -> str:
        """The unit's rate over the periods beside the whole tree's (``whole``: "Toàn huyện"), with the
        target (SVG)."""
        return mark_safe(trend_chart(
            [Series("Đơn vị", [u for u, _ in self.cells]), Series(whole, [d for _, d in self.cells])],
            [p.name for p in periods], title=self.label, suffix=" %", scale_max=Decimal(100), target=self.target,
            width=560, height=210,
        ))


@role_required()
def unit_detail(request, pk):
    """One unit's page. For its head this is the portal; for everyone else a view of the unit.

    A bounded number of queries: the unit, its aliases and codes, the scores it answers for (with
    their criteria, assessments and periods), the successions, the periods, the metric values, the
    tasks. For a unit formed by a merge or a rename, a period that ended before it existed shows its
    predecessors' figures rolled up (units.succession.trend_values: Σ numerators / Σ denominators),
    marked as such; its own figures after. Its index over periods follows the same lineage."""
    unit = get_object_or_404(
        visible_units(request.user).select_related("parent").prefetch_related("aliases", "codes"), pk=pk,
    )
    scores = list(
        # The ids first, in two small indexed queries: an OR over two joins needed DISTINCT over every
        # score column, and an OR over two subqueries made PostgreSQL read every score of the province.
        Score.objects.filter(
            Q(pk__in=list(Score.responsible_units.through.objects.filter(unit=unit).values_list("score_id", flat=True)))
            | Q(criterion__in=list(CriterionResponsibility.objects.filter(unit=unit).values_list("criterion_id", flat=True)))
        )
        .select_related("criterion", "assessment__criteria_set", "assessment__period", "assessment__subject")
        .prefetch_related("evidence_files", "responsible_units", "criterion__responsibilities", "assessment__stages")
        .order_by("-assessment__period__year", "assessment__criteria_set__code", "assessment__period__start",
                  "criterion__position")
    )
    is_own = own_unit(request.user) == unit
    for score in scores:
        score.is_deducted = score.deduction is not None and score.deduction < 0
        stages = stages_of(score.assessment)
        score.stage = open_stage(stages)
        # What the unit's head may send for this criterion in the open stage (nothing for other viewers).
        score.fields = writable_fields(request.user, score.assessment, stages, score) if is_own else frozenset()
        score.can_upload = EVIDENCE in score.fields
    # EXISTS, not a join with DISTINCT over every metric value of the province.
    periods = list(Period.objects.filter(Exists(MetricValue.objects.filter(period=OuterRef("pk"))))
                   .order_by("start", "end", "code"))
    period_ids = [p.pk for p in periods]
    # The successions once (three queries): the lineage section and the roll-up both read them.
    successions = SuccessionIndex.load()
    came_from, became = lineage_in(successions, unit)
    values = values_by_period_unit(period_ids, trend_units(unit, periods, successions))
    trend = trend_values(unit, periods, values, successions)
    metric_rows = []
    authority = authority_of(request.user, unit)
    # The whole is the tree the unit belongs to: its authority's, never every unit in the database.
    whole_of = whole_rates(authority.unit if authority else None, period_ids)
    whole = f"Toàn {authority.division if authority else 'đơn vị'}"
    for key in RATE_KEYS:
        cells = [
            (rate_value(key, trend[p.pk].values) if p.pk in trend else None, whole_of[(p.pk, key)])
            for p in periods
        ]
        if any(rate is not None for rate, _ in cells):
            row = MetricRow(key, METRICS[key].label, cells, target_for(authority, key, unit.kind))
            row.svg = row.chart(periods, whole)
            # Per period: (rate, whole's rate, the predecessors summed into it, or () for the unit's own).
            row.columns = [(rate, whole_rate, trend[p.pk].rolled_up_from if p.pk in trend else ())
                           for (rate, whole_rate), p in zip(cells, periods)]
            metric_rows.append(row)
    # Its index over the periods it, or for a period before it existed its merged or renamed
    # predecessors pooled (Σ appraised / Σ max, as rolled_up_index), were assessed in: three queries.
    index_points = index_trend(unit, successions)
    tasks = list(
        RemediationTask.objects.filter(responsible_unit=unit)
        .select_related("criterion", "assessment__period").order_by("deadline", "id")
    )
    return render(request, "units/detail.html", {
        "unit": unit,
        "is_own": is_own,
        "is_head": role_of(request.user) == Role.UNIT_HEAD,
        "deducted": [s for s in scores if s.is_deducted],
        "scores": scores,
        "periods": periods,
        "metric_rows": metric_rows,
        "tasks": tasks,
        # In the explanation stage a unit explains what the council commented on or deducted, not every criterion.
        "to_send": [s for s in scores if s.fields
                    and (s.stage.kind != StageKind.EXPLANATION or s.is_deducted or s.comment)],
        "can_report": is_own or role_of(request.user) == Role.REVIEWER,
        "task_form": TaskProgressForm(),
        "authority": authority,  # "Toàn huyện" / "Toàn tỉnh"
        "came_from": came_from,
        "became": became,
        "rolled_up": any(t.rolled_up_from for t in trend.values()),
        "index_points": index_points,
        "index_rolled_up": any(p.rolled_up for p in index_points),
    })
