"""The API writes scores under the appraisal rounds' rules, as the pages do: in each open stage only
the fields that stage gives the user, nothing once the assessment is locked."""

from datetime import timedelta

from django.utils import timezone

from scoring.actions import close_stage, start_rounds
from scoring.models import Score, StageKind

from .conftest import client_for


def url(world):
    return f"/api/v1/scores/{world.score.pk}/"


def open_rounds(world):
    now = timezone.now()
    deadlines = {kind: now + timedelta(days=7 * (i + 1)) for i, kind in enumerate(StageKind)}
    start_rounds(world.score.assessment, acting_user=world.users["reviewer"], deadlines=deadlines)


def test_during_self_assessment_a_reviewer_cannot_write_the_appraised_score(world):
    open_rounds(world)
    before = Score.objects.get(pk=world.score.pk)
    response = client_for(world, "reviewer").patch(
        url(world), {"appraised_score": "0.25", "version": before.version}, format="json")
    assert response.status_code == 400
    assert "Tự đánh giá" in response.json()["detail"] and "điểm thẩm định" in response.json()["detail"]
    assert Score.objects.get(pk=world.score.pk).appraised_score == before.appraised_score


def test_in_the_first_appraisal_the_reviewer_writes_the_appraised_score(world):
    open_rounds(world)
    assessment = world.score.assessment
    close_stage(assessment, acting_user=world.users["reviewer"], expected_kind=StageKind.SELF_ASSESSMENT)
    version = Score.objects.get(pk=world.score.pk).version
    response = client_for(world, "reviewer").patch(
        url(world), {"appraised_score": "0.25", "version": version, "reason": "Biên bản thẩm định"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["appraised_score"] == "0.25"
