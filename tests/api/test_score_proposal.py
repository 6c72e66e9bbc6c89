"""The computed proposal through the API: POST …/accept-computed/ makes it the appraised score; a PATCH
of another appraised score needs a reason; both keep the ETag / If-Match / version rules."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from scoring.actions import ACCEPT_REASON, PROPOSAL_OVERRIDE_FIELD, set_score, start_rounds
from scoring.choices import AssessmentStatus
from scoring.models import Score, ScoreChange, StageKind

from .conftest import client_for


def url(world):
    return f"/api/v1/scores/{world.score.pk}/"


def accept_url(world):
    return f"/api/v1/scores/{world.score.pk}/accept-computed/"


def propose(world) -> Score:
    """A proposal below the appraised score the world stored."""
    score = Score.objects.select_related("criterion").get(pk=world.score.pk)
    assert score.appraised_score and score.appraised_score > Decimal("0.10")
    proposal = score.appraised_score - Decimal("0.10")
    set_score(score, acting_user=None, computed_score=proposal, reason="Tính lại từ số liệu")
    score.refresh_from_db()
    return score


def test_a_reviewer_accepts_the_proposal_with_the_etag_and_it_is_audited(world):
    score = propose(world)
    client = client_for(world, "reviewer")
    etag = client.get(url(world))["ETag"]
    response = client.post(accept_url(world), {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["appraised_score"] == body["computed_score"] == f"{score.computed_score:.2f}"
    assert response["ETag"] == f'"{score.version + 1}"'
    change = ScoreChange.objects.get(score=score, field="appraised_score")
    assert (change.old_value, change.new_value, change.reason, change.changed_by) == (
        f"{score.appraised_score:f}", f"{score.computed_score:f}", ACCEPT_REASON, world.users["reviewer"])


def test_a_stale_accept_is_refused_with_what_is_stored(world):
    score = propose(world)
    client = client_for(world, "reviewer")
    loaded = score.version
    assert client.patch(url(world), {"comment": "Họp lần 2", "version": loaded}, format="json").status_code == 200
    stale = client.post(accept_url(world), {"version": loaded}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["comment"] == "Họp lần 2"
    stale_header = client.post(accept_url(world), {}, format="json", HTTP_IF_MATCH=f'"{loaded}"')
    assert stale_header.status_code == 412
    assert Score.objects.get(pk=score.pk).appraised_score == score.appraised_score


def test_an_accept_naming_no_version_is_refused(world):
    score = propose(world)
    response = client_for(world, "reviewer").post(accept_url(world), {}, format="json")
    assert response.status_code == 428
    assert Score.objects.get(pk=score.pk).appraised_score == score.appraised_score


def test_there_is_nothing_to_accept_without_a_proposal(world):
    score = Score.objects.get(pk=world.score.pk)
    assert score.computed_score is None
    response = client_for(world, "reviewer").post(accept_url(world), {"version": score.version}, format="json")
    assert response.status_code == 400 and "chưa có điểm tính" in response.json()["detail"]


def test_a_viewer_and_unit_heads_cannot_accept(world):
    score = propose(world)
    for role in ("viewer", "head_own", "head_other"):
        response = client_for(world, role).post(accept_url(world), {"version": score.version}, format="json")
        assert response.status_code in (403, 404), role
    assert client_for(world, "anonymous").post(accept_url(world), {"version": score.version}).status_code == 401
    assert Score.objects.get(pk=score.pk).appraised_score == score.appraised_score


def test_a_locked_assessment_refuses_an_accept(world):
    score = propose(world)
    world.assessment.status = AssessmentStatus.LOCKED
    world.assessment.save(update_fields=["status"])
    response = client_for(world, "reviewer").post(accept_url(world), {"version": score.version}, format="json")
    assert response.status_code == 400 and "đã chốt điểm" in response.json()["detail"]
    assert Score.objects.get(pk=score.pk).appraised_score == score.appraised_score


def test_during_self_assessment_the_proposal_cannot_be_accepted(world):
    score = propose(world)
    now = timezone.now()
    start_rounds(world.assessment, acting_user=world.users["reviewer"],
                 deadlines={kind: now + timedelta(days=7 * (i + 1)) for i, kind in enumerate(StageKind)})
    response = client_for(world, "reviewer").post(accept_url(world), {"version": score.version}, format="json")
    assert response.status_code == 400 and "điểm thẩm định" in response.json()["detail"]
    assert Score.objects.get(pk=score.pk).appraised_score == score.appraised_score


def test_a_patch_of_another_appraised_score_without_a_reason_is_refused_naming_the_field(world):
    score = propose(world)
    response = client_for(world, "reviewer").patch(
        url(world), {"appraised_score": "0.00", "version": score.version}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "trường reason" in body["detail"] and "khác điểm tính từ số liệu" in body["detail"]
    assert body["reason"] == [body["detail"]]
    stored = Score.objects.get(pk=score.pk)
    assert (stored.appraised_score, stored.version) == (score.appraised_score, score.version)
    assert not ScoreChange.objects.filter(score=score, field="appraised_score").exists()


def test_a_patch_of_another_appraised_score_with_a_reason_keeps_the_proposal_and_the_choice(world):
    score = propose(world)
    client = client_for(world, "reviewer")
    etag = client.get(url(world))["ETag"]
    response = client.patch(url(world), {"appraised_score": "0.00", "reason": "Không có báo cáo đúng hạn"},
                            format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["appraised_score"] == "0.00"
    assert response.json()["computed_score"] == f"{score.computed_score:.2f}"
    decision = ScoreChange.objects.get(score=score, field=PROPOSAL_OVERRIDE_FIELD)
    assert (decision.old_value, decision.new_value, decision.reason) == (
        f"{score.computed_score:f}", "0.00", "Không có báo cáo đúng hạn")
    assert ScoreChange.objects.get(score=score, field="appraised_score").reason == "Không có báo cáo đúng hạn"


def test_a_patch_of_the_comment_alone_needs_no_reason_even_beside_a_differing_proposal(world):
    score = propose(world)
    response = client_for(world, "reviewer").patch(
        url(world), {"comment": "Đủ hồ sơ", "appraised_score": f"{score.appraised_score:.2f}", "version": score.version},
        format="json")
    assert response.status_code == 200, response.json()
    assert Score.objects.get(pk=score.pk).comment == "Đủ hồ sơ"
