"""A metric import recomputes exactly the scores that read its metrics, once it commits (eager tasks);
proposals are stored through the audit, only where they change, never on a locked assessment, and in as
many queries for few units as for many."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue
from scoring.actions import store_computed_for, store_computed_scores
from scoring.choices import AssessmentStatus, Level, Method, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score, ScoreChange, ScoreTrace
from scoring.tasks import recompute_assessments
from units.choices import UnitKind
from units.models import Unit

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


def _communes_with_scores(tag: str, unit_count: int) -> list[Assessment]:
    """``unit_count`` communes of one period, each with three metric criteria and two manual ones; every
    commune reports the same figures, so that the proposals take the same few values at any size."""
    period = Period.objects.create(code=f"T{tag}", name=tag, kind=PeriodKind.YEAR, year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 12, 14))
    province = Unit.objects.create(name=f"UBND tỉnh {tag}", kind=UnitKind.AUTHORITY)
    units = Unit.objects.bulk_create([Unit(name=f"UBND xã {tag} {i:03d}", kind=UnitKind.COMMUNE, parent=province)
                                      for i in range(unit_count)])
    criteria_set = CriteriaSet.objects.create(code=f"X{tag}", name=tag, kind=SetKind.CCHC, year=2023,
                                              subject_kind=SubjectKind.COMMUNE)
    rate = {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]}
    criteria = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, code=f"C{i}", name=f"C{i}", level=Level.CRITERION, max_score=Decimal(i + 1),
                  position=i, method=Method.METRIC if i < 3 else Method.MANUAL, formula=rate if i < 3 else {})
        for i in range(5)
    ])
    assessments = Assessment.objects.bulk_create([Assessment(criteria_set=criteria_set, period=period, subject=u)
                                                  for u in units])
    Score.objects.bulk_create([Score(assessment=a, criterion=c) for a in assessments for c in criteria])
    batch = ImportBatch.objects.create(file_name="t.xlsx", sha256=tag.ljust(64, "0"), source="incoming", period=period)
    MetricValue.objects.bulk_create([
        MetricValue(batch=batch, unit=u, period=period, key=key, value=Decimal(value))
        for u in units for key, value in (("incoming_total", 80), ("incoming_replied", 30), ("incoming_closed", 25))
    ])
    return list(Assessment.objects.filter(period=period).select_related("period"))


def test_a_full_recompute_costs_the_same_queries_for_few_or_many_units_and_audits_every_change(db):
    def store(assessments) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            changed = store_computed_for(assessments, acting_user=None)
        return changed, len(captured)

    few, many = _communes_with_scores("few", 3), _communes_with_scores("many", 60)
    (few_changed, few_queries), (many_changed, many_queries) = store(few), store(many)
    assert (few_changed, many_changed) == (3 * 3, 60 * 3)  # every metric score had no proposal yet
    assert few_queries == many_queries

    metric_scores = Score.objects.filter(assessment__in=many, criterion__method=Method.METRIC)
    assert metric_scores.count() == many_changed
    assert set(metric_scores.values_list("version", flat=True)) == {2}
    assert not metric_scores.filter(computed_score=None).exists()
    assert ScoreChange.objects.filter(score__in=metric_scores, field="computed_score").count() == many_changed
    assert ScoreTrace.objects.filter(score__in=metric_scores).count() == many_changed
    manual_scores = Score.objects.filter(assessment__in=many, criterion__method=Method.MANUAL)
    assert set(manual_scores.values_list("version", flat=True)) == {1}

    # Nothing changed: read and compare, write nothing, in as few queries again.
    (few_again, few_again_queries), (many_again, many_again_queries) = store(few), store(many)
    assert (few_again, many_again) == (0, 0)
    assert few_again_queries == many_again_queries
    assert set(metric_scores.values_list("version", flat=True)) == {2}


def test_an_authoritys_import_recomputes_its_own_assessments_only(db):
    from scoring.tasks import recompute_after_import

    period = Period.objects.create(code="T2", name="T2", kind=PeriodKind.YEAR, year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 12, 14))
    criteria_set = CriteriaSet.objects.create(code="X2", name="X2", kind=SetKind.CCHC, year=2023,
                                              subject_kind=SubjectKind.COMMUNE)
    rate = {"type": "rate", "numerator": ["incoming_replied"], "denominator": ["incoming_total"]}
    criterion = Criterion.objects.create(criteria_set=criteria_set, code="C", name="C", level=Level.CRITERION,
                                         max_score=Decimal(2), method=Method.METRIC, formula=rate)
    roots, batches = {}, {}
    for tag in ("A", "B"):
        roots[tag] = Unit.objects.create(name=f"UBND huyện {tag}", kind=UnitKind.AUTHORITY)
        commune = Unit.objects.create(name=f"UBND xã {tag}", kind=UnitKind.COMMUNE, parent=roots[tag])
        Score.objects.create(assessment=Assessment.objects.create(criteria_set=criteria_set, period=period,
                                                                  subject=commune), criterion=criterion)
        batches[tag] = ImportBatch.objects.create(file_name=f"{tag}.xlsx", sha256=tag.ljust(64, "0"), source="incoming",
                                                  period=period, authority=roots[tag])
        MetricValue.objects.bulk_create([MetricValue(batch=batches[tag], unit=commune, period=period, key=k, value=v)
                                         for k, v in (("incoming_total", Decimal(4)), ("incoming_replied", Decimal(3)))])
    done = recompute_after_import(batches["A"].pk)
    assert [Assessment.objects.get(pk=pk).subject.name for pk in done["assessments"]] == ["UBND xã A"]
    assert Score.objects.get(assessment__subject__name="UBND xã A").computed_score == Decimal("1.50")
    assert Score.objects.get(assessment__subject__name="UBND xã B").computed_score is None
