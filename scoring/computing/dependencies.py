"""Which assessments a change touches: of metrics, those of the period whose scored criteria read one
of the changed keys; of an assessment's appraised scores, those whose criteria refer to its index
(HTNV II = the CCHC index × 50). Two queries each, whatever the size of the catalogue."""

from ..choices import Method
from ..models import Assessment, Criterion
from .loading import COMPUTABLE, formula_keys


def dependent_assessments(period_id: int, keys, subject_ids=None) -> list[Assessment]:
    """Assessments of ``period_id`` with a Score on a criterion whose formula reads any of ``keys``;
    of the units ``subject_ids`` only when given (one authority's tree: its import changes nothing of
    another's)."""
    keys = set(keys)
    criterion_ids = [
        criterion_id
        for criterion_id, formula in Criterion.objects.filter(method__in=COMPUTABLE).values_list("id", "formula")
        if formula_keys(formula) & keys
    ]
    if not criterion_ids:
        return []
    found = Assessment.objects.filter(period_id=period_id, scores__criterion_id__in=criterion_ids)
    if subject_ids is not None:
        found = found.filter(subject_id__in=subject_ids)
    return list(found.distinct().select_related("criteria_set", "period", "subject").order_by("pk"))


def referencing_assessments(assessment: Assessment) -> list[Assessment]:
    """Assessments of the same unit with a Score on a criterion whose formula refers to ``assessment``'s
    set and period: a change of its appraised scores changes their proposals."""
    code, period = assessment.criteria_set.code, assessment.period.code
    criterion_ids = [
        criterion_id
        for criterion_id, formula in Criterion.objects.filter(method=Method.REFERENCE).values_list("id", "formula")
        if (formula or {}).get("set") == code and str((formula or {}).get("period")) == period
    ]
    if not criterion_ids:
        return []
    return list(Assessment.objects.filter(subject_id=assessment.subject_id, scores__criterion_id__in=criterion_ids)
                .exclude(pk=assessment.pk).distinct().order_by("pk"))
