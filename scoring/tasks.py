"""Celery tasks of scoring: thin wrappers that call the services and return plain JSON values."""

from decimal import ROUND_HALF_UP, Decimal

from celery import shared_task

from .models import SCORE_FIELD, Assessment
from .services import assessment_summaries

# Scores are stored with two decimals, so their sums are exact at two places; quantizing only
# evens out how databases print them (SQLite gives 55.5900000000000, PostgreSQL 55.59).
CENT = Decimal(1).scaleb(-SCORE_FIELD["decimal_places"])


def _text(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


@shared_task
def assessment_totals(assessment_id: int) -> dict:
    """The totals of one assessment, Decimals as strings so that they cross JSON unchanged."""
    assessment = Assessment.objects.select_related("subject").get(pk=assessment_id)
    summary = next(s for s in assessment_summaries([assessment.subject]) if s.assessment.pk == assessment.pk)
    return {
        "assessment": assessment.pk,
        "max_total": _text(summary.max_total),
        "appraised_total": _text(summary.appraised_total),
        "deduction_total": _text(summary.deduction_total),
        "deducted_count": summary.deducted_count,
    }
