"""Read-side services of scoring: totals for pages and letters."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .computing.compute import leaf_criteria
from .models import Assessment, Criterion, Score

ZERO = Decimal("0")


@dataclass(frozen=True)
class AssessmentSummary:
    assessment: Assessment
    max_total: Decimal
    appraised_total: Decimal
    deducted_count: int
    deduction_total: Decimal

    @property
    def index_percent(self) -> Decimal | None:
        if not self.max_total:
            return None
        return self.appraised_total / self.max_total * 100


def assessment_summaries(units) -> list[AssessmentSummary]:
    """Totals of every assessment whose subject is among ``units``, over its leaf criteria only.

    An area scored together with its scored children counts once, through its children (the leaf
    rule of scoring.computing, which the assessment page and the letters use too). Over the appraised
    leaves: Σ max, Σ appraised, how many lost points and how many in all. Three queries, whatever the
    number of units, assessments or scores."""
    assessments = list(
        Assessment.objects.filter(subject__in=units)
        .select_related("criteria_set", "period", "subject")
        .order_by("-period__year", "criteria_set__code", "period__start")
    )
    # Filtered by the units, not by the ids just read, so that the page makes the same three queries
    # with no assessment at all (an empty id list would skip a query and the count would vary).
    parents = dict(
        Criterion.objects.filter(criteria_set__assessments__subject__in=units).distinct()
        .values_list("id", "parent_id")
    )
    scores: dict[int, dict[int, tuple]] = defaultdict(dict)
    for assessment_id, criterion_id, max_score, appraised in Score.objects.filter(
        assessment__subject__in=units,
    ).values_list("assessment_id", "criterion_id", "criterion__max_score", "appraised_score"):
        scores[assessment_id][criterion_id] = (max_score, appraised)

    summaries = []
    for assessment in assessments:
        found = scores.get(assessment.pk, {})
        max_total = appraised_total = deduction_total = ZERO
        deducted = 0
        for criterion_id in leaf_criteria(set(found), parents.get):
            max_score, appraised = found[criterion_id]
            if appraised is None:
                continue
            max_total += max_score
            appraised_total += appraised
            if appraised < max_score:
                deducted += 1
                deduction_total += appraised - max_score
        summaries.append(AssessmentSummary(assessment, max_total, appraised_total, deducted, deduction_total))
    return summaries
