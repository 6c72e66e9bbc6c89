"""A change of an assessment's appraised scores recomputes the assessments whose criteria refer to its
index (HTNV II = the CCHC index × 50) once the change commits: one task per assessment and
transaction, only the referring assessments of the same unit, and nothing for a self-assessed score."""

from decimal import Decimal

from scoring.actions import set_score, store_computed_for
from scoring.choices import Method
from scoring.models import Assessment, Score

from .test_computing import criterion, district_with_units, make_set, period  # noqa: F401


def build(period):
    district, (commune,) = district_with_units(1)
    cchc = make_set("CCHC-T")
    manual = [criterion(cchc, code, 10, method=Method.MANUAL, position=i) for i, code in enumerate(("1", "2"))]
    htnv = make_set("HTNV-T")
    reference = criterion(htnv, "II", 50, method=Method.REFERENCE,
                          formula={"type": "reference", "set": "CCHC-T", "period": period.code})
    made = {}
    for unit in (district, commune):
        source = Assessment.objects.create(criteria_set=cchc, period=period, subject=unit)
        for c in manual:
            Score.objects.create(assessment=source, criterion=c, appraised_score=Decimal("8"))
        referring = Assessment.objects.create(criteria_set=htnv, period=period, subject=unit)
        Score.objects.create(assessment=referring, criterion=reference)
        made[unit] = (source, referring)
    store_computed_for([a for pair in made.values() for a in pair], acting_user=None)
    return made[district], made[commune]


def recomputes(callbacks) -> list[int]:
    """The assessments whose references the captured on-commit callbacks recompute."""
    return [c.assessment_id for c in callbacks if hasattr(c, "assessment_id")]


def proposal(assessment) -> Decimal:
    return assessment.scores.get(criterion__code="II").computed_score


def test_a_changed_appraised_score_recomputes_the_assessment_that_refers_to_its_index(
        period, django_capture_on_commit_callbacks):
    (source, referring), (_other_source, other_referring) = build(period)
    assert proposal(referring) == Decimal("40.00")  # 16 / 20 = 80 % × 50
    first, second = source.scores.order_by("criterion__position")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_score(first, acting_user=None, appraised_score=Decimal("10"), reason="Theo biên bản")
        set_score(second, acting_user=None, appraised_score=Decimal("9"), reason="Theo biên bản")

    assert recomputes(callbacks) == [source.pk]  # one task, however many of its scores changed
    assert proposal(referring) == Decimal("47.50")  # 19 / 20 = 95 % × 50
    assert proposal(other_referring) == Decimal("40.00")  # another unit's: untouched


def test_a_self_assessed_score_sends_nothing(period, django_capture_on_commit_callbacks):
    (source, referring), _ = build(period)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_score(source.scores.first(), acting_user=None, self_score=Decimal("2"))

    assert recomputes(callbacks) == []
    assert proposal(referring) == Decimal("40.00")
