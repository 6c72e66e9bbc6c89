"""Loading the demo twice changes nothing: no new rows, no changed values, no audit rows."""

from django.core.management import call_command

from scoring import demo as scoring_demo
from scoring.models import (
    Assessment, CriteriaSet, Criterion, CriterionResponsibility, Period, Score, ScoreChange,
)


def _snapshot():
    return {
        "sets": list(CriteriaSet.objects.order_by("id").values()),
        "criteria": list(Criterion.objects.order_by("id").values()),
        "responsibilities": list(CriterionResponsibility.objects.order_by("id").values()),
        "periods": list(Period.objects.order_by("id").values()),
        "assessments": list(Assessment.objects.order_by("id").values("id", "criteria_set", "period", "subject", "status", "notes")),
        "scores": list(Score.objects.order_by("id").values(
            "id", "assessment", "criterion", "self_score", "appraised_score", "computed_score",
            "comment", "responsible_text", "version")),
        "score_units": sorted(Score.responsible_units.through.objects.values_list("score_id", "unit_id")),
        "changes": ScoreChange.objects.count(),
    }


def test_it_changes_nothing_when_loaded_again(demo):
    before = _snapshot()
    assert before["scores"] and before["criteria"] and before["score_units"]
    second = scoring_demo.load_all()
    assert _snapshot() == before
    assert second == demo
    assert before["changes"] == 0


def test_it_restores_an_edited_score_through_the_audited_action(demo):
    score = Score.objects.get(assessment__period__code="2023-H1", criterion__code="1.1.3")
    original = score.appraised_score
    Score.objects.filter(pk=score.pk).update(appraised_score=original + 1)
    scoring_demo.load_all()
    score.refresh_from_db()
    assert score.appraised_score == original
    (change,) = ScoreChange.objects.filter(score=score)
    assert change.field == "appraised_score"
    assert change.reason == scoring_demo.RELOAD_REASON
    assert score.version == 2


def test_it_loads_through_the_load_demo_command(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Bộ tiêu chí CCHC-2023:" in out and "Bộ tiêu chí HTNV-2023:" in out
    # Vĩnh Linh's 2023 assessments of the seeds; the second demo authority's and the 2024 demo set's are
    # tested with them (tests/reports/test_second_authority.py, the criteria-across-years tests).
    assert Assessment.objects.filter(subject__parent__isnull=True, criteria_set__year=2023).count() == \
        len(scoring_demo.ASSESSMENT_FILES)
