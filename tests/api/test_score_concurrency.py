"""Two reviewers editing one score: the second write, made from a stale read, is refused with what
is stored now (412 with If-Match, 409 with a version field); a write naming no version is refused."""

from scoring.models import Score, ScoreChange

from .conftest import client_for


def url(world):
    return f"/api/v1/scores/{world.score.pk}/"


def test_it_gives_the_version_as_etag(world):
    response = client_for(world, "viewer").get(url(world))
    assert response.status_code == 200
    assert response["ETag"] == f'"{world.score.version}"'
    assert response.json()["version"] == world.score.version


def test_it_refuses_a_stale_if_match_with_412_and_the_current_values(world):
    client = client_for(world, "reviewer")
    etag = client.get(url(world))["ETag"]
    first = client.patch(url(world), {"comment": "Ý kiến thứ nhất", "reason": "Họp hội đồng"}, format="json",
                         HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] != etag

    second = client.patch(url(world), {"comment": "Ý kiến ghi đè"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    body = second.json()
    assert body["current"]["comment"] == "Ý kiến thứ nhất"
    assert body["current"]["version"] == world.score.version + 1
    assert "người khác sửa" in body["detail"]
    assert Score.objects.get(pk=world.score.pk).comment == "Ý kiến thứ nhất"


def test_it_refuses_a_stale_version_field_with_409(world):
    client = client_for(world, "reviewer")
    loaded = world.score.version
    assert client.patch(url(world), {"appraised_score": "0.25", "version": loaded}, format="json").status_code == 200
    stale = client.patch(url(world), {"appraised_score": "0.10", "version": loaded}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["appraised_score"] == "0.25"
    assert str(Score.objects.get(pk=world.score.pk).appraised_score) == "0.25"


def test_it_asks_for_a_version_before_writing(world):
    response = client_for(world, "reviewer").patch(url(world), {"comment": "không rõ phiên bản"}, format="json")
    assert response.status_code == 428
    assert Score.objects.get(pk=world.score.pk).version == world.score.version


def test_it_writes_through_set_score_with_audit_and_reason(world):
    client = client_for(world, "reviewer")
    response = client.patch(url(world), {"appraised_score": "0.13", "reason": "Theo biên bản",
                                         "version": world.score.version}, format="json")
    assert response.status_code == 200
    assert response.json()["appraised_score"] == "0.13"
    change = ScoreChange.objects.filter(score_id=world.score.pk).latest("id")
    assert (change.field, change.new_value, change.reason, change.changed_by.username) == (
        "appraised_score", "0.13", "Theo biên bản", "api_reviewer")


def test_it_overwrites_whatever_the_version_with_if_match_star(world):
    client = client_for(world, "reviewer")
    response = client.patch(url(world), {"comment": "Ghi đè có chủ ý"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200
    assert Score.objects.get(pk=world.score.pk).comment == "Ghi đè có chủ ý"


def test_it_refuses_a_score_above_the_criterions_max(world):
    too_high = world.score.criterion.max_score + 1
    response = client_for(world, "reviewer").patch(
        url(world), {"appraised_score": str(too_high), "version": world.score.version}, format="json")
    assert response.status_code == 400
    assert "nằm ngoài khoảng" in response.json()["detail"]
