"""A metric import recomputes exactly the scores that read its metrics, once it commits (eager tasks);
proposals are stored through the audit, only where they change, and never on a locked assessment."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

from documents.importing.run import import_file
from documents.models import MetricValue
from scoring.actions import store_computed_scores
from scoring.choices import AssessmentStatus
from scoring.models import Assessment, Period, Score, ScoreChange
from scoring.tasks import recompute_assessments

SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"


def computed_snapshot() -> dict:
    return {
        (s.assessment.criteria_set.code, s.assessment.period.code, s.criterion.code): s.computed_score
        for s in Score.objects.select_related("assessment__criteria_set", "assessment__period", "criterion")
    }


def district_rate(period_code, numerator, denominator, max_score) -> Decimal:
    """The expected proposal from the stored values of every unit (the district aggregates them all)."""
    values = MetricValue.objects.filter(period__code=period_code)
    top = sum(v.value for v in values if v.key in numerator)
    bottom = sum(v.value for v in values if v.key in denominator)
    exact = Fraction(max_score) * Fraction(top) / Fraction(bottom)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def do_import(name, user, django_capture_on_commit_callbacks):
    period = Period.objects.get(code=name.split("_")[0])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = import_file(SPREADSHEETS / name, period=period, acting_user=user)
    assert outcome.stored is not None, outcome.message
    return outcome, callbacks


@pytest.fixture
def importer(django_user_model):
    return django_user_model.objects.create_user("nhap-lieu", password="x")


def test_an_incoming_import_changes_exactly_the_scores_that_read_incoming_metrics(
    demo, importer, django_capture_on_commit_callbacks,
):
    before = computed_snapshot()
    do_import("2023-H1_phu-luc-1_van-ban-den.xlsx", importer, django_capture_on_commit_callbacks)
    after = computed_snapshot()

    changed = {key for key in after if after[key] != before[key]}
    # 7.1.4 reads the incoming counts; it is the only criterion of a 2023-H1 assessment that does.
    assert changed == {("CCHC-2023", "2023-H1", "7.1.4")}
    expected = district_rate("2023-H1", {"incoming_replied", "incoming_closed"}, {"incoming_total"}, 2)
    assert after[("CCHC-2023", "2023-H1", "7.1.4")] == expected
    change = ScoreChange.objects.get(field="computed_score")
    assert (change.old_value, change.new_value, change.changed_by) == ("", f"{expected:f}", importer)
    assert "2023-H1" in change.reason


def test_an_outgoing_import_of_round_1_touches_only_round_1(demo, importer, django_capture_on_commit_callbacks):
    before = computed_snapshot()
    do_import("2023-R1_phu-luc-3_van-ban-di.xlsx", importer, django_capture_on_commit_callbacks)
    # No 2023-R1 criterion reads outgoing documents: nothing changes, nothing is audited.
    assert computed_snapshot() == before
    assert not ScoreChange.objects.filter(field="computed_score").exists()

    do_import("2023-R1_phu-luc-2_van-ban-den.xlsx", importer, django_capture_on_commit_callbacks)
    changed = {k for k, v in computed_snapshot().items() if v != before[k]}
    assert changed == {("HTNV-2023", "2023-R1", "VI.1")}


def test_the_same_file_again_enqueues_nothing(demo, importer, django_capture_on_commit_callbacks):
    do_import("2023-H1_phu-luc-1_van-ban-den.xlsx", importer, django_capture_on_commit_callbacks)
    period = Period.objects.get(code="2023-H1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcome = import_file(SPREADSHEETS / "2023-H1_phu-luc-1_van-ban-den.xlsx", period=period, acting_user=importer)
    assert outcome.stored.created is False
    assert callbacks == []


def test_a_recompute_writes_only_what_changed_and_never_a_locked_assessment(demo, importer,
                                                                            django_capture_on_commit_callbacks):
    do_import("2023-R1_phu-luc-1_dvctt.xlsx", importer, django_capture_on_commit_callbacks)
    r1 = Assessment.objects.get(period__code="2023-R1")
    audited = ScoreChange.objects.filter(field="computed_score").count()
    assert audited == 3  # VI.2.a, VI.2.b, VI.2.c read the DVCTT figures
    assert store_computed_scores(r1, acting_user=importer) == 0
    assert ScoreChange.objects.filter(field="computed_score").count() == audited

    # Lock it, then take a value away: the proposals of a locked assessment stay as they were.
    r1.status = AssessmentStatus.LOCKED
    r1.save(update_fields=["status"])
    MetricValue.objects.filter(period=r1.period, key="dvc_full_dossiers").delete()
    assert recompute_assessments.delay([r1.pk]).get()["changed"] == 0
    r1.status = AssessmentStatus.APPRAISED
    r1.save(update_fields=["status"])
    assert recompute_assessments.delay([r1.pk], importer.pk).get()["changed"] == 2  # VI.2.a and VI.2.c lose it
    lost = ScoreChange.objects.filter(field="computed_score", new_value="").select_related("score__criterion")
    assert {c.score.criterion.code for c in lost} == {"VI.2.a", "VI.2.c"}
    assert all("dvc_full_dossiers" in c.reason for c in lost)
