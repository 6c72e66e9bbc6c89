"""A computed score is a proposal on the assessment page: the reviewer accepts it with one button or
enters another appraised score with a reason; the row says which it is, the history keeps both."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from scoring.actions import ACCEPT_REASON, PROPOSAL_OVERRIDE_FIELD, set_score, start_rounds
from scoring.choices import AssessmentStatus
from scoring.models import Score, ScoreChange, StageKind

from .workspace import cchc_half_year, demo_user, load_demo_scores, login

pytestmark = pytest.mark.django_db

PROPOSAL = Decimal("1.50")


@pytest.fixture
def demo(db):
    load_demo_scores()
    return cchc_half_year()


@pytest.fixture
def proposed(demo):
    """Criterion 1.1.3 (max 2, appraised 0,85 by the seed) with a computed proposal of 1,5."""
    score = Score.objects.select_related("criterion").get(assessment=demo, criterion__code="1.1.3")
    set_score(score, acting_user=None, computed_score=PROPOSAL, reason="Tính lại từ số liệu kỳ 2023-H1")
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")
    return score


def row_of(html: str, score) -> str:
    match = re.search(rf'<tr id="score-{score.pk}"[^>]*>.*?</tr>', html, re.S)
    assert match, f"row of score {score.pk} is not in the answer"
    return match.group(0)


def accept(client, demo, score, version=None, **extra):
    return client.post(reverse("score-accept", args=[demo.pk, score.pk]),
                       {"version": score.version if version is None else version}, **extra)


def save(client, demo, score, appraised, reason=None):
    data = {"version": score.version, "self_score": "2", "appraised_score": appraised, "comment": score.comment}
    if reason is not None:
        data["proposal_reason"] = reason
    return client.post(reverse("score-save", args=[demo.pk, score.pk]), data, HTTP_HX_REQUEST="true")


def test_a_reviewer_sees_the_accept_button_on_a_row_whose_proposal_differs(client, demo, proposed):
    page = login(client, "reviewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    row = row_of(page, proposed)
    assert 'data-proposal="overridden"' in row and "Chấm khác điểm tính" in row
    assert "Chấp nhận điểm tính" in row
    assert reverse("score-accept", args=[demo.pk, proposed.pk]) in row
    assert 'name="proposal_reason"' in row and "Lý do khác điểm tính từ số liệu" in row


def test_accepting_from_the_row_writes_the_proposal_as_the_appraised_score_and_audits_it(client, demo, proposed):
    response = accept(login(client, "reviewer"), demo, proposed, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    proposed.refresh_from_db()
    assert proposed.appraised_score == proposed.computed_score == PROPOSAL
    change = ScoreChange.objects.get(score=proposed, field="appraised_score")
    assert (change.old_value, change.new_value, change.reason, change.changed_by.username) == (
        "0.85", "1.50", ACCEPT_REASON, "reviewer")
    row = row_of(response.content.decode(), proposed)
    assert 'data-proposal="accepted"' in row and "Đã chấp nhận" in row and "Đã lưu" in row
    # Accepted: nothing left to accept, and the row carries the new version for the next save.
    assert "Chấp nhận điểm tính</button>" not in row
    assert f'name="version" value="{proposed.version}"' in row


def test_accepting_without_javascript_goes_back_to_the_row(client, demo, proposed):
    response = accept(login(client, "reviewer"), demo, proposed)
    assert response.status_code == 302 and response["Location"].endswith(f"#score-{proposed.pk}")
    proposed.refresh_from_db()
    assert proposed.appraised_score == PROPOSAL


def test_another_appraised_score_without_a_reason_is_refused_and_nothing_is_written(client, demo, proposed):
    version = proposed.version
    response = save(login(client, "reviewer"), demo, proposed, "1", reason="  ")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Lý do khác điểm tính từ số liệu" in body and "khác điểm tính" in body and "1,5" in body
    assert f'id="s{proposed.pk}-appraised"' in body and 'value="1"' in body  # what was typed is kept
    proposed.refresh_from_db()
    assert (proposed.appraised_score, proposed.version) == (Decimal("0.85"), version)
    assert not ScoreChange.objects.filter(score=proposed).exclude(field="computed_score").exists()


def test_another_appraised_score_with_a_reason_is_written_and_audited_beside_the_proposal(client, demo, proposed):
    login(client, "reviewer")
    response = save(client, demo, proposed, "1", reason="Quyết định ban hành muộn hai ngày")
    assert response.status_code == 200
    proposed.refresh_from_db()
    assert (proposed.appraised_score, proposed.computed_score) == (Decimal("1.00"), PROPOSAL)
    appraised = ScoreChange.objects.get(score=proposed, field="appraised_score")
    assert (appraised.old_value, appraised.new_value, appraised.reason) == (
        "0.85", "1.00", "Quyết định ban hành muộn hai ngày")
    decision = ScoreChange.objects.get(score=proposed, field=PROPOSAL_OVERRIDE_FIELD)
    assert (decision.old_value, decision.new_value, decision.reason, decision.changed_by.username) == (
        "1.50", "1.00", "Quyết định ban hành muộn hai ngày", "reviewer")
    assert 'data-proposal="overridden"' in row_of(response.content.decode(), proposed)
    # The history says why the council chose another score than the proposal.
    history = client.get(reverse("score-detail", args=[demo.pk, proposed.pk])).content.decode()
    assert "Quyết định ban hành muộn hai ngày" in history
    assert "chấm khác điểm tính từ số liệu" in history and "1,5 → 1" in history
    assert 'data-proposal="overridden"' in history


def test_typing_the_proposal_by_hand_is_its_acceptance(client, demo, proposed):
    response = save(login(client, "reviewer"), demo, proposed, "1,5")
    assert response.status_code == 200
    change = ScoreChange.objects.get(score=proposed, field="appraised_score")
    assert (change.new_value, change.reason) == ("1.50", ACCEPT_REASON)
    assert not ScoreChange.objects.filter(score=proposed, field=PROPOSAL_OVERRIDE_FIELD).exists()


def test_a_row_without_a_proposal_saves_as_before_without_a_reason(client, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    assert score.computed_score is None
    response = save(login(client, "reviewer"), demo, score, "1")
    assert response.status_code == 200
    assert 'data-proposal="none"' in row_of(response.content.decode(), score)
    assert "Chấp nhận điểm tính" not in row_of(response.content.decode(), score)


def test_a_stale_accept_is_refused_with_the_other_reviewers_value(client, demo, proposed):
    loaded = proposed.version
    set_score(Score.objects.get(pk=proposed.pk), acting_user=demo_user("reviewer"), appraised_score="1,25")
    response = accept(login(client, "reviewer"), demo, proposed, version=loaded, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    body = response.content.decode()
    assert "đã được người khác sửa" in body and "1,25" in body
    proposed.refresh_from_db()
    assert proposed.appraised_score == Decimal("1.25")
    assert f'name="version" value="{proposed.version}"' in row_of(body, proposed)


def test_a_viewer_and_a_unit_head_cannot_accept(client, demo, proposed):
    page = login(client, "viewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    row = row_of(page, proposed)
    assert 'data-proposal="overridden"' in row and "Chấp nhận điểm tính" not in row
    assert accept(client, demo, proposed).status_code == 403
    client.logout()
    assert accept(login(client, "head_vinhkhe"), demo, proposed).status_code == 403
    proposed.refresh_from_db()
    assert proposed.appraised_score == Decimal("0.85")


def test_a_locked_assessment_refuses_an_accept(client, demo, proposed):
    demo.status = AssessmentStatus.LOCKED
    demo.save(update_fields=["status"])
    login(client, "reviewer")
    assert "Chấp nhận điểm tính" not in row_of(client.get(reverse("assessment", args=[demo.pk])).content.decode(), proposed)
    response = accept(client, demo, proposed, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "đã chốt điểm" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.appraised_score == Decimal("0.85")


def test_during_self_assessment_the_proposal_cannot_be_accepted(client, demo, proposed):
    now = timezone.now()
    start_rounds(demo, acting_user=demo_user("reviewer"),
                 deadlines={kind: now + timedelta(days=7 * (i + 1)) for i, kind in enumerate(StageKind)})
    login(client, "reviewer")
    row = row_of(client.get(reverse("assessment", args=[demo.pk])).content.decode(), proposed)
    assert "Chấp nhận điểm tính" not in row and "proposal_reason" not in row
    response = accept(client, demo, proposed, version=Score.objects.get(pk=proposed.pk).version, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "không được sửa điểm thẩm định" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.appraised_score == Decimal("0.85")


def test_each_row_says_where_it_stands_against_its_proposal(client, demo):
    scores = {s.criterion.code: s for s in Score.objects.filter(assessment=demo).select_related("criterion")
              .order_by("criterion__position")[:4]}
    pending, accepted, overridden, plain = scores.values()
    set_score(pending, acting_user=None, computed_score=pending.criterion.max_score, appraised_score=None)
    set_score(accepted, acting_user=None, computed_score=accepted.appraised_score)
    other = Decimal("0") if overridden.appraised_score else overridden.criterion.max_score
    set_score(overridden, acting_user=None, computed_score=other)
    page = login(client, "viewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    assert 'data-proposal="pending"' in row_of(page, pending) and "Đề xuất, chưa thẩm định" in row_of(page, pending)
    assert 'data-proposal="accepted"' in row_of(page, accepted) and "Đã chấp nhận" in row_of(page, accepted)
    assert 'data-proposal="overridden"' in row_of(page, overridden)
    assert 'data-proposal="none"' in row_of(page, plain)


@pytest.mark.parametrize("username", ["reviewer", "viewer"])
def test_proposals_on_the_rows_cost_the_page_no_query(client, demo, django_assert_num_queries, username):
    url = reverse("assessment", args=[demo.pk])
    login(client, username).get(url)  # the session and the caches warmed as for any visit
    with CaptureQueriesContext(connection) as without:
        assert client.get(url).status_code == 200
    for i, score in enumerate(Score.objects.filter(assessment=demo).select_related("criterion")[:30]):
        proposal = score.criterion.max_score if i % 2 else score.appraised_score
        set_score(score, acting_user=None, computed_score=proposal)
    with django_assert_num_queries(len(without.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-proposal="overridden"') + page.count('data-proposal="accepted"') >= 20
