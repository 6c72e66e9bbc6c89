"""Read what the engine needs for many assessments at once, in a fixed number of queries.

Whatever the number of units, criteria or assessments: one query each for the assessments, the
referenced assessments, the criteria of their sets, their scores, the units (to walk the tree), the
responsibilities and the metric values of the periods concerned. Rows are read as tuples, not model
instances, so that a province-sized recompute stays fast."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from documents.models import MetricValue
from units.models import Unit

from ..choices import Method
from ..models import Assessment, Criterion, CriterionResponsibility, Score

COMPUTABLE = (Method.METRIC, Method.STEPS, Method.REFERENCE)


@dataclass(frozen=True)
class CriterionRow:
    id: int
    set_id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    max_score: Decimal
    method: str
    formula: dict
    rounding: str
    rounding_places: int | None
    position: int


@dataclass(frozen=True)
class ScoreRow:
    id: int
    assessment_id: int
    criterion_id: int
    self_score: Decimal | None
    appraised: Decimal | None
    computed: Decimal | None
    version: int


@dataclass
class Context:
    """Everything read from the database for a recompute; the computing functions only read it."""

    assessments: list[Assessment]
    criteria: dict[int, CriterionRow]
    scores: dict[int, list[ScoreRow]]  # assessment id → its scores
    unit_names: dict[int, str]
    children: dict[int | None, list[int]]
    metrics: dict[int, dict[int, dict[str, Decimal]]]  # period id → unit id → key → value
    responsible: dict[int, list[int]]  # criterion id → unit ids, the lead first
    referenced: dict[tuple[str, str, int], Assessment] = field(default_factory=dict)  # (set, period, subject)
    reference_scores: dict[int, list[ScoreRow]] = field(default_factory=dict)
    # period id → unit id → key → (MetricValue id, batch id, sheet, row, column): where each value was read,
    # so that a stored proposal can say which cells it came from (scoring.trace).
    metric_sources: dict[int, dict[int, dict[str, tuple]]] = field(default_factory=dict)

    def subtree(self, unit_id: int) -> list[int]:
        """The unit and all its descendants, parents before children."""
        found, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.children.get(current, [])))
        return found


def formula_keys(formula: dict) -> set[str]:
    """Every metric key a formula reads (numerator and denominator); none for a reference."""
    keys = set()
    for name in ("numerator", "denominator"):
        value = (formula or {}).get(name) or []
        keys.update([value] if isinstance(value, str) else [k for k in value if isinstance(k, str)])
    return keys


def load_context(assessments, *, computable_only: bool = False, with_units: bool = True,
                 lock_scores: bool = False) -> Context:
    """Read the criteria, scores, units and metrics that ``assessments`` need.

    ``computable_only`` reads only the scores of criteria scored from data (enough to store proposals,
    not enough for totals). ``lock_scores`` reads the scores FOR UPDATE (inside the caller's
    transaction), so that what is compared with the proposals stays what is stored until it commits."""
    assessments = list(assessments)
    ids = [a.pk for a in assessments]
    referenced = _referenced_assessments(assessments)
    set_ids = {a.criteria_set_id for a in assessments} | {a.criteria_set_id for a in referenced.values()}
    criteria = {
        row[0]: CriterionRow(*row)
        for row in Criterion.objects.filter(criteria_set_id__in=set_ids).values_list(
            "id", "criteria_set_id", "parent_id", "code", "name", "level", "max_score", "method", "formula",
            "rounding", "rounding_places", "position",
        )
    }
    score_rows = Score.objects.filter(assessment_id__in=ids)
    if computable_only:
        score_rows = score_rows.filter(criterion__method__in=COMPUTABLE)
    if lock_scores:
        score_rows = score_rows.select_for_update(of=("self",))
    scores: dict[int, list[ScoreRow]] = defaultdict(list)
    for row in score_rows.values_list("id", "assessment_id", "criterion_id", "self_score", "appraised_score",
                                      "computed_score", "version"):
        scores[row[1]].append(ScoreRow(*row))
    # The referenced assessments' own scores, all of them (their index is over every line), kept apart
    # so that a partial read above never passes for a whole one.
    reference_scores: dict[int, list[ScoreRow]] = defaultdict(list)
    if referenced:
        for row in Score.objects.filter(assessment_id__in=[a.pk for a in referenced.values()]).values_list(
            "id", "assessment_id", "criterion_id", "self_score", "appraised_score", "computed_score", "version",
        ):
            reference_scores[row[1]].append(ScoreRow(*row))

    unit_names: dict[int, str] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, name, parent_id in Unit.objects.order_by("sort_order", "name").values_list("id", "name", "parent_id"):
        unit_names[unit_id] = name
        children[parent_id].append(unit_id)

    keys = set()
    for criterion in criteria.values():
        keys |= formula_keys(criterion.formula)
    metrics: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    sources: dict[int, dict[int, dict[str, tuple]]] = defaultdict(lambda: defaultdict(dict))
    if keys:
        period_ids = {a.period_id for a in assessments}
        for value_id, unit_id, period_id, key, value, batch_id, sheet, row, column in MetricValue.objects.filter(
            period_id__in=period_ids, key__in=sorted(keys),
        ).values_list("id", "unit_id", "period_id", "key", "value", "batch_id", "sheet", "row", "column"):
            metrics[period_id][unit_id][key] = value
            sources[period_id][unit_id][key] = (value_id, batch_id, sheet, row, column)

    responsible: dict[int, list[int]] = defaultdict(list)
    if with_units:
        for criterion_id, unit_id, _lead in CriterionResponsibility.objects.filter(
            criterion__criteria_set_id__in=set_ids,
        ).order_by("criterion_id", "-is_lead", "id").values_list("criterion_id", "unit_id", "is_lead"):
            responsible[criterion_id].append(unit_id)
    return Context(assessments, criteria, scores, unit_names, children, metrics, responsible, referenced,
                   reference_scores, sources)


def _referenced_assessments(assessments) -> dict[tuple[str, str, int], Assessment]:
    """The assessments that reference criteria point at: same subject, the set and period of the formula.

    One query, whatever the number of assessments (it reads the reference formulas of their sets first)."""
    set_ids = {a.criteria_set_id for a in assessments}
    wanted = set()
    for formula in Criterion.objects.filter(
        criteria_set_id__in=set_ids, method=Method.REFERENCE,
    ).values_list("formula", flat=True):
        if formula and formula.get("set") and formula.get("period"):
            wanted.add((formula["set"], str(formula["period"])))
    if not wanted:
        return {}
    subjects = {a.subject_id for a in assessments}
    rows = Assessment.objects.filter(
        criteria_set__code__in={s for s, _ in wanted}, period__code__in={p for _, p in wanted}, subject_id__in=subjects,
    ).select_related("criteria_set", "period")
    return {(a.criteria_set.code, a.period.code, a.subject_id): a for a in rows}
