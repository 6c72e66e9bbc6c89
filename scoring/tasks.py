"""Celery tasks of scoring: thin wrappers that call the services and return plain JSON values."""

from celery import shared_task

from .models import Assessment
from .services import assessment_summaries


@shared_task
def assessment_totals(assessment_id: int) -> dict:
    """The totals of one assessment, Decimals as strings so that they cross JSON unchanged."""
    assessment = Assessment.objects.select_related("subject").get(pk=assessment_id)
    summary = next(s for s in assessment_summaries([assessment.subject]) if s.assessment.pk == assessment.pk)
    return {
        "assessment": assessment.pk,
        "max_total": str(summary.max_total),
        "appraised_total": str(summary.appraised_total),
        "deduction_total": str(summary.deduction_total),
        "deducted_count": summary.deducted_count,
    }
