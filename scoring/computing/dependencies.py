"""Which assessments a change of metrics touches: those of the period whose scored criteria read one
of the changed keys. Two queries, whatever the size of the catalogue."""

from ..models import Assessment, Criterion
from .loading import COMPUTABLE, formula_keys


def dependent_assessments(period_id: int, keys) -> list[Assessment]:
    """Assessments of ``period_id`` with a Score on a criterion whose formula reads any of ``keys``."""
    keys = set(keys)
    criterion_ids = [
        criterion_id
        for criterion_id, formula in Criterion.objects.filter(method__in=COMPUTABLE).values_list("id", "formula")
        if formula_keys(formula) & keys
    ]
    if not criterion_ids:
        return []
    return list(
        Assessment.objects.filter(period_id=period_id, scores__criterion_id__in=criterion_ids)
        .distinct().select_related("criteria_set", "period", "subject").order_by("pk")
    )
