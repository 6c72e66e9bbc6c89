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


@shared_task
def recompute_assessments(assessment_ids: list[int], acting_user_id: int | None = None) -> dict:
    """Recompute and store the proposals of the given assessments (on demand, from a page or the shell)."""
    from django.contrib.auth import get_user_model

    from .actions import store_computed_for

    user = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    assessments = list(Assessment.objects.filter(pk__in=assessment_ids).select_related("period"))
    changed = store_computed_for(assessments, acting_user=user)
    return {"assessments": sorted(a.pk for a in assessments), "changed": changed}


@shared_task
def recompute_references(assessment_id: int) -> dict:
    """After an assessment's appraised scores changed: recompute the assessments whose criteria refer
    to its index (HTNV II reads the CCHC index), nothing else. scoring.actions.set_score enqueues this
    once the change commits."""
    from .actions import store_computed_for
    from .computing import referencing_assessments

    assessment = Assessment.objects.select_related("criteria_set", "period").filter(pk=assessment_id).first()
    assessments = referencing_assessments(assessment) if assessment is not None else []
    changed = store_computed_for(assessments, acting_user=None)
    return {"assessment": assessment_id, "assessments": [a.pk for a in assessments], "changed": changed}


@shared_task
def recompute_after_import(batch_id: int) -> dict:
    """After an import: recompute only the assessments of the batch's authority and period whose
    criteria read one of its source's metric keys. documents.actions.store_batch enqueues this once the import commits."""
    from documents.metrics import metrics_of
    from documents.models import ImportBatch

    from units.access import subtree_ids

    from .actions import store_computed_for
    from .computing import dependent_assessments

    batch = ImportBatch.objects.select_related("created_by", "authority").get(pk=batch_id)
    keys = {metric.key for metric in metrics_of(batch.source)}
    # A batch holds one authority's figures (documents.actions.batch_authority): only its tree's
    # assessments can read them. A batch of no authority (no unit matched) may concern any.
    tree = subtree_ids(batch.authority) if batch.authority_id else None
    assessments = dependent_assessments(batch.period_id, keys, tree)
    changed = store_computed_for(assessments, acting_user=batch.created_by)
    return {"batch": batch.pk, "assessments": [a.pk for a in assessments], "changed": changed}


@shared_task
def run_rounds_task() -> dict:
    """Every 15 minutes (beat, scoring/migrations/0005): close the stages whose own deadline has passed
    — never every assessment at once — and send the reminders due before each deadline."""
    from .rounds import close_due_stages, send_deadline_reminders

    closed = close_due_stages()
    return {
        "closed": [{"assessment": s.assessment_id, "stage": s.kind} for s in closed],
        "reminders": send_deadline_reminders(),
    }
