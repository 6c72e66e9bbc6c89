"""Read-side services of scoring: totals for pages and letters, computed in the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from .models import Assessment

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
    """Totals of every assessment whose subject is among ``units``, in one query."""
    dec = DecimalField(max_digits=12, decimal_places=2)
    appraised = Q(scores__appraised_score__isnull=False)
    deducted = appraised & Q(scores__appraised_score__lt=F("scores__criterion__max_score"))
    rows = (
        Assessment.objects.filter(subject__in=units)
        .select_related("criteria_set", "period", "subject")
        .annotate(
            max_total=Coalesce(Sum("scores__criterion__max_score", filter=appraised), Value(ZERO), output_field=dec),
            appraised_total=Coalesce(Sum("scores__appraised_score"), Value(ZERO), output_field=dec),
            deducted_count=Count("scores", filter=deducted),
            deduction_total=Coalesce(
                Sum(F("scores__appraised_score") - F("scores__criterion__max_score"), filter=deducted),
                Value(ZERO), output_field=dec,
            ),
        )
        .order_by("-period__year", "criteria_set__code", "period__start")
    )
    return [
        AssessmentSummary(a, a.max_total, a.appraised_total, a.deducted_count, a.deduction_total) for a in rows
    ]
