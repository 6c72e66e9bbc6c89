"""Proposals and totals of assessments: the database's data through the pure engine.

A district's metric criterion aggregates over the subject unit and all its descendants (Σ numerators /
Σ denominators, only over units that report the formula's metrics); any other subject over itself. A
reference criterion (HTNV II) reads the referenced set and period's index for the same subject: its
appraised index, over its leaf criteria, once every one of them is appraised."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..choices import Method, SubjectKind
from ..engine import (
    SUBJECT, AssessmentTotals, ComputedScore, CriterionSpec, ScoreLine, compute_criterion, compute_totals,
    resolve_rounding, totals_of,
)
from ..models import SCORE_FIELD, Assessment
from .loading import Context, CriterionRow, ScoreRow, formula_keys, load_context

# Stored scores have two decimals (Score.computed_score); a finer rule is kept to what can be stored.
STORED_PLACES = Decimal(1).scaleb(-SCORE_FIELD["decimal_places"])


@dataclass(frozen=True)
class Line:
    """One scored criterion of an assessment with its fresh proposal (``computed`` None if manual)."""

    score: ScoreRow
    criterion: CriterionRow
    area: CriterionRow
    is_leaf: bool
    spec: CriterionSpec
    metrics: dict  # unit name → {key: value}: what the proposal aggregated over
    computed: ComputedScore | None
    responsible: tuple[str, ...] = ()  # the criterion's responsible units, the lead first
    # unit name → {key: (MetricValue id, batch id, sheet, row, column)} for the units in ``metrics``
    sources: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.criterion.code

    @property
    def computable(self) -> bool:
        return self.computed is not None

    @property
    def proposal(self) -> Decimal | None:
        """The proposal as it is stored: two decimals, half-up (the engine already rounded by its rule)."""
        if self.computed is None or self.computed.score is None:
            return None
        return self.computed.score.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)

    @property
    def deduction(self) -> Decimal | None:
        a = self.score.appraised
        return None if a is None else a - self.criterion.max_score

    def score_line(self, *, projected: bool = False) -> ScoreLine:
        """The engine's view of this line; ``projected`` puts the proposal in place of the appraised score
        where there is one (what the totals would be if every proposal were accepted)."""
        appraised = self.score.appraised
        if projected and self.proposal is not None:
            appraised = self.proposal
        return ScoreLine(self.code, self.area.code, self.criterion.max_score, self.score.self_score, appraised,
                         self.proposal)


@dataclass(frozen=True)
class AssessmentResult:
    assessment: object
    lines: list[Line]
    areas: dict[str, CriterionRow]  # area code → the area's criterion row, in catalogue order

    @property
    def leaves(self) -> list[Line]:
        return [line for line in self.lines if line.is_leaf]

    def totals(self, *, projected: bool = False) -> AssessmentTotals:
        """Totals over the leaves only, so that an area scored together with its children counts once."""
        return compute_totals(line.score_line(projected=projected) for line in self.leaves)

    def class_label(self, *, projected: bool = False) -> str | None:
        """The set's class (HTNV "Hoàn thành xuất sắc nhiệm vụ"…) for the index (CriteriaSet.class_for)."""
        return self.assessment.criteria_set.class_for(self.totals(projected=projected).overall.index_percent)

    def line(self, code: str) -> Line | None:
        return next((line for line in self.lines if line.code == code), None)


def spec_of(criterion: CriterionRow, criteria_set) -> CriterionSpec:
    rule = resolve_rounding(criteria_set.rounding, criteria_set.rounding_places, criterion.rounding,
                            criterion.rounding_places)
    return CriterionSpec(criterion.code, criterion.max_score, criterion.method, criterion.formula or {}, rule)


def leaf_ids(scores: list[ScoreRow], criteria: dict[int, CriterionRow]) -> set[int]:
    """Criterion ids of the scores that have no scored descendant (as reports.facts.score_lines counts)."""
    return leaf_criteria({s.criterion_id for s in scores}, lambda criterion_id: criteria[criterion_id].parent_id)


def leaf_criteria(scored: set[int], parent_of) -> set[int]:
    """The leaf rule: of the ``scored`` criterion ids, those with no scored descendant, so that an area
    scored together with its children counts once. ``parent_of(id)`` gives a criterion's parent id
    (None at the top); every total (here, scoring.services, the letters) counts over these."""
    has_scored_descendant = set()
    for criterion_id in scored:
        parent = parent_of(criterion_id)
        while parent is not None and parent not in has_scored_descendant:
            has_scored_descendant.add(parent)
            parent = parent_of(parent)
    return scored - has_scored_descendant


def area_of(criterion: CriterionRow, criteria: dict[int, CriterionRow]) -> CriterionRow:
    while criterion.parent_id is not None:
        criterion = criteria[criterion.parent_id]
    return criterion


def appraised_index(scores: list[ScoreRow], criteria: dict[int, CriterionRow]) -> Decimal | None:
    """Σ appraised / Σ max × 100 over the leaf lines; None while a leaf is unappraised."""
    leaves = leaf_ids(scores, criteria)
    lines = [
        ScoreLine(criteria[s.criterion_id].code, "", criteria[s.criterion_id].max_score, s.self_score, s.appraised)
        for s in scores if s.criterion_id in leaves
    ]
    return totals_of(lines).index_percent if lines else None


def unit_metrics(context: Context, assessment, overrides=None) -> dict[str, dict]:
    """unit name → {key: value} over the units the assessment's subject aggregates, with ``overrides``
    ({(unit id, key): value or None}) applied in memory only."""
    if assessment.criteria_set.subject_kind == SubjectKind.DISTRICT:
        unit_ids = context.subtree(assessment.subject_id)
    else:
        unit_ids = [assessment.subject_id]
    period_metrics = context.metrics.get(assessment.period_id, {})
    found = {}
    for unit_id in unit_ids:
        values = dict(period_metrics.get(unit_id, {}))
        for (override_unit, key), value in (overrides or {}).items():
            if override_unit == unit_id:
                if value is None:
                    values.pop(key, None)
                else:
                    values[key] = value
        if values:
            found[context.unit_names[unit_id]] = values
    return found


def compute_from_context(context: Context, overrides=None) -> list[AssessmentResult]:
    results = []
    criteria = context.criteria
    # What depends on the criterion alone is worked out once, not once per assessment: a set's criteria
    # are shared by all its assessments (300 units × 120 criteria read the same 120 specs).
    per_criterion: dict[int, tuple[CriterionRow, CriterionSpec, set, CriterionRow, tuple[str, ...]]] = {}
    order = {criterion_id: (row.position, criterion_id) for criterion_id, row in criteria.items()}
    unit_ids = {name: unit_id for unit_id, name in context.unit_names.items()}
    for assessment in context.assessments:
        scores = sorted(context.scores.get(assessment.pk, []), key=lambda s: order[s.criterion_id])
        leaves = leaf_ids(scores, criteria)
        metrics = unit_metrics(context, assessment, overrides)
        subject_name = context.unit_names.get(assessment.subject_id)
        period_sources = context.metric_sources.get(assessment.period_id, {})
        references = {
            (set_code, period_code): appraised_index(context.reference_scores.get(ref.pk, []), criteria)
            for (set_code, period_code, subject_id), ref in context.referenced.items()
            if subject_id == assessment.subject_id
        }
        lines, areas = [], {}
        for score in scores:
            known = per_criterion.get(score.criterion_id)
            if known is None:
                criterion = criteria[score.criterion_id]
                known = per_criterion[criterion.id] = (
                    criterion, spec_of(criterion, assessment.criteria_set), formula_keys(criterion.formula),
                    area_of(criterion, criteria),
                    tuple(context.unit_names[u] for u in context.responsible.get(criterion.id, [])),
                )
            criterion, spec, keys, area, responsible = known
            used, computed, sources = {}, None, {}
            if criterion.method != Method.MANUAL:
                pool = metrics
                if (criterion.formula or {}).get("over") == SUBJECT:
                    pool = {name: values for name, values in metrics.items() if name == subject_name}
                used = {name: values for name, values in pool.items() if not keys.isdisjoint(values)}
                computed = compute_criterion(spec, used, references)
                sources = {name: period_sources.get(unit_ids[name], {}) for name in used}
            if area.code not in areas:
                areas[area.code] = area
            lines.append(Line(score, criterion, area, score.criterion_id in leaves, spec, used, computed, responsible,
                              sources))
        results.append(AssessmentResult(assessment, lines, areas))
    return results


def compute_assessments(assessments, *, overrides=None, computable_only: bool = False,
                        lock_scores: bool = False) -> list[AssessmentResult]:
    """Fresh proposals and totals of ``assessments`` (with ``overrides`` of metric values, never saved).

    A fixed number of queries whatever the number of assessments, units or criteria. ``lock_scores``
    (inside a transaction) reads the scores FOR UPDATE, for a caller about to write over them."""
    ids = [a.pk for a in assessments]
    if not ids:
        return []
    order = {pk: i for i, pk in enumerate(ids)}
    assessments = sorted(
        Assessment.objects.filter(pk__in=ids).select_related("criteria_set", "period", "subject"),
        key=lambda a: order[a.pk],
    )
    with paused_gc():
        context = load_context(assessments, computable_only=computable_only, lock_scores=lock_scores)
        return compute_from_context(context, overrides)


@contextmanager
def paused_gc():
    """Pause Python's cyclic garbage collector while a recompute builds its rows.

    A province-sized recompute allocates some 300.000 small objects (rows, lines, Decimals), none of
    them in a reference cycle; the collector would still walk them again and again as they pile up
    (a third of the time, measured). Reference counting frees them as usual; the collector resumes
    after, as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_assessment(assessment, *, overrides=None) -> AssessmentResult:
    (result,) = compute_assessments([assessment], overrides=overrides)
    return result
