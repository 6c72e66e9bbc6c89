"""Criteria across years: a criterion's and an area's figures followed back through CriterionMapping.

Criteria sets change every year. Each criterion of a new set is mapped to last year's (same, renamed,
split, merged, new; a dropped one maps to nothing), and the figures follow:
- same / renamed: one predecessor, the trend is continuous;
- merged: the predecessors' max and appraised scores are summed;
- split: the predecessor is shown at its own level (it also holds what went to the other new
  criteria) and the page says so; no difference is computed across a split;
- new / dropped: a gap, said in words.
Figures of a criterion in an assessment are those of its scored leaves (the criterion itself, or its
scored descendants), as the totals count them. A set used again the next year maps each criterion to
itself. Also the demo loader of the CCHC-2024 set.

The subject is followed through its lineage too (units.succession.score_lineage): for a period before
it existed, a merged unit reads its predecessors' assessments (per criterion their mean, on one unit's
scale, each listed; the whole their pooled index Σ appraised / Σ max), a renamed or split one its
predecessor's, and the pages say whose figures they are."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .models import Assessment, Criterion, CriterionMapping, MappingRelation, Score

R = MappingRelation
# When a group's predecessors came through several relations, the strongest one is named.
STRENGTH = [R.SPLIT, R.MERGED, R.RENAMED, R.SAME]


@dataclass(frozen=True)
class Figures:
    """Σ max, Σ self-assessed and Σ appraised over a group's scored leaves (None: some not scored)."""

    max_total: Decimal
    self_total: Decimal | None
    appraised: Decimal | None

    @property
    def rate_percent(self) -> Decimal | None:
        if self.appraised is None or not self.max_total:
            return None
        return self.appraised / self.max_total * 100


class ScoreBook:
    """One assessment's scores, ready to sum over any group of its set's criteria."""

    def __init__(self, assessment: Assessment, criteria: dict | None = None, scores: list | None = None):
        self.assessment = assessment
        self.criteria = criteria if criteria is not None else {
            c.id: c for c in Criterion.objects.filter(criteria_set_id=assessment.criteria_set_id)}
        if scores is None:
            scores = Score.objects.filter(assessment=assessment)
        scores = {s.criterion_id: s for s in scores}
        has_scored_descendant = set()
        for criterion_id in scores:
            parent = self.criteria[criterion_id].parent_id
            while parent is not None:
                has_scored_descendant.add(parent)
                parent = self.criteria[parent].parent_id
        # Each scored leaf with itself and all its ancestors, to find the leaves under any group.
        self.leaves = {}
        for criterion_id, score in scores.items():
            if criterion_id in has_scored_descendant:
                continue
            chain, current = {criterion_id}, self.criteria[criterion_id].parent_id
            while current is not None:
                chain.add(current)
                current = self.criteria[current].parent_id
            self.leaves[criterion_id] = (score, chain)

    def figures(self, group_ids) -> Figures | None:
        """The group's figures, or None when none of its criteria is scored in this assessment."""
        group_ids = set(group_ids)
        scores = [score for score, chain in self.leaves.values() if chain & group_ids]
        if not scores:
            return None
        total = sum((self.criteria[s.criterion_id].max_score for s in scores), Decimal(0))
        self_values = [s.self_score for s in scores]
        appraised = [s.appraised_score for s in scores]
        return Figures(
            total,
            None if None in self_values else sum(self_values, Decimal(0)),
            None if None in appraised else sum(appraised, Decimal(0)),
        )


def score_books(assessments) -> dict[int, ScoreBook]:
    """{assessment id: ScoreBook} in two queries (their sets' criteria, their scores), however many."""
    assessments = list(assessments)
    if not assessments:
        return {}
    criteria: dict[int, dict] = {}
    for criterion in Criterion.objects.filter(criteria_set_id__in={a.criteria_set_id for a in assessments}):
        criteria.setdefault(criterion.criteria_set_id, {})[criterion.id] = criterion
    scores: dict[int, list] = {}
    for score in Score.objects.filter(assessment__in=assessments):
        scores.setdefault(score.assessment_id, []).append(score)
    return {a.pk: ScoreBook(a, criteria.get(a.criteria_set_id, {}), scores.get(a.pk, [])) for a in assessments}


class PooledBook:
    """The assessments that stand for one unit in one period: its own, or its predecessors' (a merge).

    A group's figures over several predecessors are their mean (Σ / the number that scored it): on
    the scale of one unit, so a criterion's maximum stays its maximum, and its rate is the pooled
    Σ appraised / Σ max, never a mean of rates. ``parts`` keeps each predecessor's own figures, which
    the pages list beside the mean."""

    def __init__(self, books: list[ScoreBook], lineage):
        self.books = sorted(books, key=lambda b: b.assessment.subject.name)
        self.lineage = lineage  # units.succession.ScoreLineage
        self.criteria = self.books[0].criteria
        self.assessment = self.books[0].assessment

    @property
    def pooled(self) -> bool:
        return len(self.books) > 1

    def parts(self, group_ids) -> list[tuple]:
        group_ids = set(group_ids)
        found = [(book.assessment.subject, book.figures(group_ids)) for book in self.books]
        return [(unit, figures) for unit, figures in found if figures is not None]

    def figures(self, group_ids) -> Figures | None:
        parts = [figures for _, figures in self.parts(group_ids)]
        if len(parts) < 2:
            return parts[0] if parts else None
        return _mean(parts)

    def total(self, group_ids) -> Figures | None:
        """Σ over the predecessors (the pooled index's numerator and denominator), not the mean."""
        parts = [figures for _, figures in self.parts(group_ids)]
        return _sum(parts) if parts else None


def _sum(parts: list[Figures]) -> Figures:
    self_values = [f.self_total for f in parts]
    appraised = [f.appraised for f in parts]
    return Figures(sum((f.max_total for f in parts), Decimal(0)),
                   None if None in self_values else sum(self_values, Decimal(0)),
                   None if None in appraised else sum(appraised, Decimal(0)))


def _mean(parts: list[Figures]) -> Figures:
    total, n = _sum(parts), len(parts)
    return Figures(total.max_total / n, None if total.self_total is None else total.self_total / n,
                   None if total.appraised is None else total.appraised / n)


def lineage_assessments(subject, assessments, index) -> dict[int, tuple]:
    """{period id: (ScoreLineage, [assessments])}: of ``assessments`` (the subject's and its
    predecessors'), those that stand for ``subject`` in their period (units.succession.score_lineage)."""
    from units.succession import score_lineage

    by_period: dict[int, list] = {}
    for assessment in assessments:
        by_period.setdefault(assessment.period_id, []).append(assessment)
    found = {}
    for period_id, rows in by_period.items():
        lineage = score_lineage(subject, rows[0].period.end, index)
        ids = {u.pk for u in lineage.units}
        mine = [a for a in rows if a.subject_id in ids]
        if mine:
            found[period_id] = (lineage, mine)
    return found


def _lineage_ids(subject, index) -> set[int]:
    from units.succession import ancestors

    return {subject.pk} | ancestors(subject.pk, index)


@dataclass(frozen=True)
class Step:
    """How a group of criteria of one set came from the year before."""

    relation: str  # a MappingRelation, or "" when the set has no mapping for the group
    predecessors: tuple  # Criterion rows of the earlier set (empty: new, or not mapped)
    note: str


def _codes(criteria) -> str:
    return ", ".join(c.code for c in criteria)


def step_back(group: list[Criterion]) -> Step:
    """The predecessors of ``group`` (criteria of one set) through the mappings into it."""
    rows = list(CriterionMapping.objects.filter(to_criterion__in=group).select_related(
        "from_criterion", "from_set", "to_criterion"))
    if not rows:
        return Step("", (), "Chưa đối chiếu với bộ tiêu chí năm trước.")
    predecessors = sorted({r.from_criterion for r in rows if r.from_criterion_id}, key=lambda c: c.position)
    relations = {r.relation for r in rows if r.from_criterion_id}
    if not predecessors:
        return Step(R.NEW, (), f"Tiêu chí mới từ bộ {rows[0].to_criterion.criteria_set.code}: năm trước không có.")
    relation = next(r for r in STRENGTH if r in relations)
    old_set = rows[0].from_set
    names = _codes(group)
    if relation == R.SPLIT:
        siblings = sorted({m.to_criterion for m in CriterionMapping.objects.filter(
            from_criterion__in=predecessors, relation=R.SPLIT).select_related("to_criterion")}, key=lambda c: c.position)
        note = (f"{names} tách từ {_codes(predecessors)} ({old_set.code}): số liệu năm {old_set.year} là của cả "
                f"tiêu chí {_codes(predecessors)}, nay gồm {_codes(siblings)}; không so sánh chênh lệch.")
    elif relation == R.MERGED:
        note = (f"{names} gộp từ {_codes(predecessors)} ({old_set.code}): số liệu năm {old_set.year} là tổng "
                f"điểm tối đa và điểm thẩm định của các tiêu chí đó.")
    elif relation == R.RENAMED:
        note = "; ".join(f"Đổi tên/mã từ {c.code} «{c.name}» ({old_set.code})" for c in predecessors) + "."
    else:
        note = ""
    return Step(relation, tuple(predecessors), note)


@dataclass
class TrendPoint:
    set_code: str
    year: int
    period: object  # scoring.models.Period
    codes: str
    figures: Figures
    relation: str  # how this year's group became the next point's (""for the newest)
    note: str
    assessment_id: int
    source: object = None  # units.succession.ScoreLineage: whose assessments these are
    parts: tuple = ()  # (unit, Figures) per predecessor when several are pooled

    @property
    def relation_label(self) -> str:
        return R(self.relation).label if self.relation else ""

    @property
    def source_label(self) -> str:
        return self.source.label if self.source is not None else ""


@dataclass
class Trend:
    criterion: Criterion
    points: list[TrendPoint] = field(default_factory=list)  # oldest first
    gaps: list[str] = field(default_factory=list)  # new / not mapped, in words

    @property
    def pooled(self) -> bool:
        return any(p.parts for p in self.points)


def criterion_trend(criterion: Criterion, subject, *, max_years: int = 20, index=None) -> Trend:
    """``criterion`` (or an area) of ``subject`` across every earlier set the mappings reach.

    Each year's point sums that year's group (one criterion; several after a merge; the predecessor
    of a split). Points are oldest first, one per period of the subject, or of its predecessors for a
    period before it existed (units.succession.score_lineage: merged ones pooled as PooledBook, a
    renamed or split one's own, each labelled). A set used again in a later year is one step: all its
    periods are read. Per set reached: three queries, however many predecessors."""
    from units.succession import SuccessionIndex

    index = index or SuccessionIndex.load()
    subjects = _lineage_ids(subject, index)
    trend = Trend(criterion)
    group, relation, note = [criterion], "", ""
    for _ in range(max_years):
        criteria_set = group[0].criteria_set
        assessments = list(Assessment.objects.filter(criteria_set=criteria_set, subject_id__in=subjects)
                           .select_related("period", "subject"))
        books = score_books(assessments)
        periods = lineage_assessments(subject, assessments, index)
        for lineage, rows in sorted(periods.values(), key=lambda item: (item[1][0].period.start, item[1][0].period.end),
                                    reverse=True):
            book = PooledBook([books[a.pk] for a in rows], lineage)
            ids = [c.id for c in group]
            found = book.figures(ids)
            if found is not None:
                trend.points.append(TrendPoint(
                    criteria_set.code, criteria_set.year, rows[0].period, _codes(group), found, relation, note,
                    rows[0].pk, lineage if lineage.kind else None, tuple(book.parts(ids)) if book.pooled else ()))
        step = step_back(group)
        if not step.predecessors:
            if step.relation == R.NEW:  # an unmapped set is simply where the history starts
                trend.gaps.append(f"{_codes(group)} ({criteria_set.code}): {step.note}")
            break
        group, relation, note = list(step.predecessors), step.relation, step.note
    trend.points.reverse()
    return trend


# -- one assessment against the year before ---------------------------------------------------------


@dataclass
class ComparisonRow:
    criterion: Criterion | None  # None for a dropped criterion (only last year's side)
    previous_criteria: tuple
    relation: str
    note: str
    now: Figures | None
    before: Figures | None
    depth: int = 0
    before_parts: tuple = ()  # (unit, Figures) per merged predecessor; ``before`` is their mean

    @property
    def relation_label(self) -> str:
        return R(self.relation).label if self.relation else "Chưa đối chiếu"

    @property
    def is_area(self) -> bool:
        return self.criterion is not None and self.criterion.parent_id is None

    @property
    def change(self) -> Decimal | None:
        """Appraised now − appraised before; none across a split (the old figure covers more)."""
        if self.relation == R.SPLIT or self.now is None or self.before is None:
            return None
        if self.now.appraised is None or self.before.appraised is None:
            return None
        return self.now.appraised - self.before.appraised


@dataclass
class Comparison:
    assessment: Assessment
    previous: Assessment | None  # the first of ``previous_all`` (they share a set and a period)
    rows: list[ComparisonRow]
    dropped: list[ComparisonRow]
    overall_now: Figures | None = None
    overall_before: Figures | None = None  # Σ over every predecessor pooled (the pooled index), not a mean
    previous_all: list = field(default_factory=list)
    source: object = None  # units.succession.ScoreLineage of the previous figures
    same_set: bool = False  # the set was used again: every criterion is its own predecessor

    @property
    def areas(self) -> list[ComparisonRow]:
        return [row for row in self.rows if row.is_area]

    @property
    def pooled(self) -> bool:
        return len(self.previous_all) > 1

    @property
    def source_label(self) -> str:
        return self.source.label if self.source is not None else ""


@dataclass(frozen=True)
class Previous:
    """The assessments a year-on-year comparison reads: one unit's, or its merged predecessors'."""

    assessments: list
    lineage: object  # units.succession.ScoreLineage
    same_set: bool


def previous_assessments(assessment: Assessment, index=None) -> Previous | None:
    """The earlier assessments that stand for the same subject, following its lineage (its merged,
    renamed or split predecessors for a period before it existed): of the same set in a period that
    ended before this one began (a set used again, every criterion mapped to itself), else of the set
    this one's is mapped from. The same kind of period (a half-year beside a half-year) of the year
    before when there is one, else the same kind, else the latest. Five queries."""
    from units.succession import SuccessionIndex

    index = index or SuccessionIndex.load()
    subjects = _lineage_ids(assessment.subject, index)
    from_set_id = (CriterionMapping.objects.filter(to_set_id=assessment.criteria_set_id)
                   .values_list("from_set_id", flat=True).first())
    candidates = list(Assessment.objects.filter(
        Q(criteria_set_id=assessment.criteria_set_id, period__end__lt=assessment.period.start)
        | Q(criteria_set_id=from_set_id), subject_id__in=subjects,
    ).select_related("criteria_set", "period", "subject"))
    this = assessment.period
    for same_set in (True, False):
        found = lineage_assessments(assessment.subject, [
            a for a in candidates if (a.criteria_set_id == assessment.criteria_set_id) == same_set], index)
        if not found:
            continue
        periods = sorted((rows[0].period for _, rows in found.values()), key=lambda p: (p.end, p.start), reverse=True)
        period = (next((p for p in periods if p.kind == this.kind and p.year == this.year - 1), None)
                  or next((p for p in periods if p.kind == this.kind), None) or periods[0])
        lineage, rows = found[period.pk]
        return Previous(sorted(rows, key=lambda a: a.subject.name), lineage, same_set)
    return None


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The first of previous_assessments (one, unless the subject was formed by a merge)."""
    found = previous_assessments(assessment)
    return found.assessments[0] if found else None


def compare_with_previous(assessment: Assessment, index=None) -> Comparison:
    """Every area and criterion of ``assessment`` beside the previous year's figures of its predecessors
    (criteria through the mappings, the subject through its lineage). The same queries whatever the
    number of merged predecessors, plus one or two per changed (not "same") criterion."""
    found = previous_assessments(assessment, index)
    books = score_books([assessment] + (found.assessments if found else []))
    now_book = books[assessment.pk]
    before_book = PooledBook([books[a.pk] for a in found.assessments], found.lineage) if found else None
    criteria = sorted(now_book.criteria.values(), key=lambda c: (c.position, c.id))
    mappings: dict[int, list[CriterionMapping]] = {}
    if found and not found.same_set:
        for row in CriterionMapping.objects.filter(to_set_id=assessment.criteria_set_id).select_related(
                "from_criterion", "from_set"):
            if row.to_criterion_id:
                mappings.setdefault(row.to_criterion_id, []).append(row)
    rows = []
    for criterion in criteria:
        now = now_book.figures([criterion.id])
        if now is None:
            continue
        if not found:
            step = Step("", (), "")
        elif found.same_set:
            step = Step(R.SAME, (criterion,), "")
        else:
            step = _step_from(criterion, mappings.get(criterion.id, []))
        ids = [c.id for c in step.predecessors]
        before = before_book.figures(ids) if before_book and ids else None
        parts = tuple(before_book.parts(ids)) if before_book and ids and before_book.pooled else ()
        rows.append(ComparisonRow(criterion, step.predecessors, step.relation, step.note, now, before,
                                  _depth(criterion, now_book.criteria), parts))
    dropped = []
    if found and not found.same_set:
        for row in CriterionMapping.objects.filter(
                to_set_id=assessment.criteria_set_id, relation=R.DROPPED).select_related("from_criterion"):
            ids = [row.from_criterion_id]
            dropped.append(ComparisonRow(None, (row.from_criterion,), R.DROPPED,
                                         row.note or "Không còn trong bộ tiêu chí năm nay.", None,
                                         before_book.figures(ids), 0,
                                         tuple(before_book.parts(ids)) if before_book.pooled else ()))
    _note_area_changes(rows, dropped)
    overall_now = now_book.figures(c.id for c in criteria if c.parent_id is None)
    overall_before = (before_book.total([c.id for c in before_book.criteria.values() if c.parent_id is None])
                      if before_book else None)
    return Comparison(assessment, found.assessments[0] if found else None, rows, dropped, overall_now, overall_before,
                      found.assessments if found else [], found.lineage if found and found.lineage.kind else None,
                      bool(found and found.same_set))


def _note_area_changes(rows: list[ComparisonRow], dropped: list[ComparisonRow]) -> None:
    """An area's figures change with its criteria: its row names what changed inside it."""
    by_area, area_rows, current = {}, {}, None
    for row in rows:
        if row.is_area:
            current = row
            area_rows.update({c.id: row for c in row.previous_criteria})
        elif current is not None and row.relation not in (R.SAME, ""):
            by_area.setdefault(current.criterion.id, []).append(f"{row.criterion.code} {R(row.relation).label.lower()}")
    for row in dropped:
        old = row.previous_criteria[0]
        while old.parent_id is not None:
            old = old.parent
        area = area_rows.get(old.id)
        if area is not None:
            by_area.setdefault(area.criterion.id, []).append(f"{row.previous_criteria[0].code} bị bỏ")
    for row in rows:
        if row.is_area and row.criterion.id in by_area:
            row.note = "Thay đổi trong lĩnh vực: " + "; ".join(by_area[row.criterion.id]) + "."


def _step_from(criterion, rows: list[CriterionMapping]) -> Step:
    """step_back for one criterion from mapping rows already read: the many unchanged criteria of a
    page cost no query; a changed one asks step_back for its words."""
    if not rows:
        return Step("", (), "Chưa đối chiếu với bộ tiêu chí năm trước.")
    if all(row.relation == R.SAME for row in rows):
        return Step(R.SAME, tuple(row.from_criterion for row in rows), "")
    return step_back([criterion])


def _depth(criterion, criteria) -> int:
    depth, parent = 0, criterion.parent_id
    while parent is not None:
        depth += 1
        parent = criteria[parent].parent_id
    return depth


# -- loading mappings and the demo 2024 set --------------------------------------------------------


class MappingError(ValueError):
    """A mapping row names a criterion that is not in its set, or contradicts its relation."""


def save_mappings(from_set, to_set, rows: list[dict]) -> int:
    """Create or update the mappings between two sets from rows {"from", "to", "relation", "note"}
    (codes; "from" empty for a new criterion, "to" empty for a dropped one). Idempotent."""
    old = {c.code: c for c in from_set.criteria.all()}
    new = {c.code: c for c in to_set.criteria.all()}
    count = 0
    for row in rows:
        relation = row["relation"]
        if relation not in R.values:
            raise MappingError(f"Quan hệ «{relation}» không hợp lệ.")
        source = old.get(row["from"]) if row.get("from") else None
        target = new.get(row["to"]) if row.get("to") else None
        if (row.get("from") and source is None) or (row.get("to") and target is None):
            raise MappingError(f"Không tìm thấy tiêu chí {row.get('from') or ''} → {row.get('to') or ''}.")
        if (relation == R.NEW) != (source is None) or (relation == R.DROPPED) != (target is None):
            raise MappingError(f"{row.get('from') or '—'} → {row.get('to') or '—'}: quan hệ {relation} không khớp.")
        CriterionMapping.objects.update_or_create(
            from_set=from_set, to_set=to_set, from_criterion=source, to_criterion=target,
            defaults={"relation": relation, "note": row.get("note", "")},
        )
        count += 1
    return count


DEMO_2024_FILES = {
    "periods": "demo/cchc_2024_demo_periods.json",
    "set": "criteria/cchc_2024_demo.json",
    "mapping": "demo/cchc_2024_demo_mapping.json",
    "assessment": "demo/cchc_2024_demo_h1_vinh_linh.json",
}


def load_demo_2024() -> list[str]:
    """The demo CCHC-2024 set (invented from CCHC-2023, not a published set), its mapping to 2023, the
    2024-H1 period and a scored assessment. Safe to run again: nothing changes the second time."""
    from . import demo
    from .models import CriteriaSet

    demo.load_periods(DEMO_2024_FILES["periods"])
    criteria_set = demo.load_criteria_set(DEMO_2024_FILES["set"])
    data = demo._read(DEMO_2024_FILES["mapping"])
    count = save_mappings(CriteriaSet.objects.get(code=data["from_set"]), criteria_set, data["mappings"])
    assessment = demo.load_assessment(DEMO_2024_FILES["assessment"])
    return [
        f"Bộ tiêu chí {criteria_set.code} (minh họa): {criteria_set.criteria.count()} tiêu chí, "
        f"{count} dòng đối chiếu với {data['from_set']}",
        f"Đánh giá {criteria_set.code} / {assessment.period.code} / {assessment.subject.name}: "
        f"{assessment.scores.count()} tiêu chí được chấm",
    ]
