"""The letters API issues a letter (number and date: its facts frozen as version 1 with their hash),
corrects it as new versions with their reason, and lists the versions with what changed from each
one's previous version; refusals answer 400 in Vietnamese and write nothing; only reviewers issue."""

from django.db.models import F

from common.numbers import format_number
from reports.facts import letter_assessment
from reports.freezing import content_hash
from reports.models import Letter, LetterVersion
from scoring.actions import set_score

from .conftest import client_for


def url(world, action):
    return f"/api/v1/letters/{world.letter.pk}/{action}/"


def issue(world, role="reviewer", **data):
    return client_for(world, role).post(url(world, "issue"), {"number": "1234", "date": "2023-08-21", **data},
                                        format="json")


def test_a_reviewer_issues_a_letter_and_gets_version_1_with_its_hash(world):
    response = issue(world)

    assert response.status_code == 201, response.json()
    body = response.json()
    stored = LetterVersion.objects.get(letter=world.letter)
    assert (body["version"], body["number"], body["date"]) == (1, "1234", "2023-08-21")
    assert body["sha256"] == stored.sha256 == content_hash(stored.facts)
    assert body["issued_by"] == world.users["reviewer"].username and body["changes"] == []
    letter = client_for(world, "reviewer").get(f"/api/v1/letters/{world.letter.pk}/").json()
    assert (letter["status"], letter["number"], letter["date"]) == ("issued", "1234", "2023-08-21")


def test_an_issue_without_number_or_date_or_issued_twice_is_refused_in_vietnamese(world):
    no_number = issue(world, number="")
    no_date = client_for(world, "reviewer").post(url(world, "issue"), {"number": "1234"}, format="json")
    assert no_number.status_code == no_date.status_code == 400
    assert "Cần nhập số văn bản" in no_number.json()["number"][0]
    assert "Cần nhập ngày ban hành" in no_date.json()["date"][0]
    assert not LetterVersion.objects.filter(letter=world.letter).exists()
    assert Letter.objects.get(pk=world.letter.pk).status == "draft"

    issue(world)
    again = issue(world, number="9999", date="2023-09-01")

    assert again.status_code == 400 and "Văn bản đã ban hành số 1234 ngày 21/08/2023" in again.json()["detail"]
    assert LetterVersion.objects.filter(letter=world.letter).count() == 1


def test_a_correction_is_version_2_and_the_listing_says_which_figures_changed(world):
    reviewer = world.users["reviewer"]
    issue(world)
    score = (letter_assessment(world.letter).scores.filter(appraised_score__lt=F("criterion__max_score"))
             .select_related("criterion").first())
    old = score.appraised_score
    set_score(score, acting_user=reviewer, reason="Hội đồng chấm lại", appraised_score=score.criterion.max_score)

    response = client_for(world, "reviewer").post(url(world, "reissue"), {"reason": "Điều chỉnh điểm"}, format="json")

    assert response.status_code == 201, response.json()
    assert (response.json()["version"], response.json()["reason"]) == (2, "Điều chỉnh điểm")
    listing = client_for(world, "viewer").get(url(world, "versions"))
    assert listing.status_code == 200
    newest, first = listing.json()
    assert (newest["version"], first["version"]) == (2, 1) and newest["sha256"] != first["sha256"]
    changes = {(c["section"], c["label"]): (c["old"], c["new"]) for c in newest["changes"]}
    assert changes[("Điểm", f"{score.criterion.code} — điểm thẩm định")] == (
        format_number(old), format_number(score.criterion.max_score))
    assert first["changes"] == []


def test_a_correction_without_reason_or_with_unchanged_facts_is_refused(world):
    issue(world)
    client = client_for(world, "reviewer")

    no_reason = client.post(url(world, "reissue"), {"reason": ""}, format="json")
    unchanged = client.post(url(world, "reissue"), {"reason": "Kiểm tra lại"}, format="json")

    assert no_reason.status_code == 400 and "Cần ghi lý do" in no_reason.json()["reason"][0]
    assert unchanged.status_code == 400 and "không đổi so với phiên bản 1" in unchanged.json()["detail"]
    assert LetterVersion.objects.filter(letter=world.letter).count() == 1


def test_leaders_read_versions_but_neither_they_nor_unit_heads_issue(world):
    assert issue(world, role="viewer").status_code == 403
    assert issue(world, role="head_own").status_code == 403
    assert not LetterVersion.objects.filter(letter=world.letter).exists()
    issue(world)
    assert client_for(world, "viewer").post(url(world, "reissue"), {"reason": "x", "number": "77"},
                                            format="json").status_code == 403
    assert client_for(world, "viewer").get(url(world, "versions")).status_code == 200
    assert client_for(world, "head_own").get(url(world, "versions")).status_code == 403
    assert LetterVersion.objects.filter(letter=world.letter).count() == 1
