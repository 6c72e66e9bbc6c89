"""Which assessments a change of metrics touches: those of the period whose scored criteria read one
of the changed keys. Two queries, whatever the size of the catalogue."""

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
