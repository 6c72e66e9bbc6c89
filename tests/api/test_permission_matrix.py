"""Every endpoint × every role × read/write answers as the pages' rules say (units/access.py):
reviewers do everything, leaders (viewer) read everything and write nothing, a unit head reads only
their own unit's objects and reports progress on their own tasks, nobody anonymous gets in."""

import pytest

from .conftest import INCOMING_H1, ROLES, client_for

READ_ALL = {"anonymous": 401, "reviewer": 200, "viewer": 200, "head_own": 200, "head_other": 200}
READ_OWN = {"anonymous": 401, "reviewer": 200, "viewer": 200, "head_own": 200, "head_other": 404}
READ_DISTRICT = {"anonymous": 401, "reviewer": 200, "viewer": 200, "head_own": 403, "head_other": 403}
NO_WRITE = {"anonymous": 401, "reviewer": 405, "viewer": 405, "head_own": 405, "head_other": 405}
REVIEWER_WRITES = {"anonymous": 401, "reviewer": 200, "viewer": 403, "head_own": 403, "head_other": 403}
TASK_WRITES = {"anonymous": 401, "reviewer": 200, "viewer": 403, "head_own": 200, "head_other": 404}

READS = [
    ("units", lambda w: "/api/v1/units/", READ_ALL),
    ("unit", lambda w: f"/api/v1/units/{w.own.pk}/", READ_OWN),
    ("criteria-sets", lambda w: "/api/v1/criteria-sets/", READ_ALL),
    ("criteria-set", lambda w: f"/api/v1/criteria-sets/{w.assessment.criteria_set_id}/", READ_ALL),
    ("criteria", lambda w: "/api/v1/criteria/", READ_ALL),
    ("criterion", lambda w: f"/api/v1/criteria/{w.score.criterion_id}/", READ_ALL),
    ("periods", lambda w: "/api/v1/periods/", READ_ALL),
    ("period", lambda w: f"/api/v1/periods/{w.assessment.period_id}/", READ_ALL),
    ("assessments", lambda w: "/api/v1/assessments/", READ_ALL),
    ("assessment", lambda w: f"/api/v1/assessments/{w.assessment.pk}/", READ_OWN),
    ("scores", lambda w: "/api/v1/scores/", READ_ALL),
    ("score", lambda w: f"/api/v1/scores/{w.score.pk}/", READ_OWN),
    ("metrics", lambda w: "/api/v1/metrics/", READ_ALL),
    ("metric", lambda w: f"/api/v1/metrics/{w.metric.pk}/", READ_OWN),
    ("import-batches", lambda w: "/api/v1/import-batches/", READ_DISTRICT),
    ("import-batch", lambda w: f"/api/v1/import-batches/{w.batch.pk}/", READ_DISTRICT),
    ("letters", lambda w: "/api/v1/letters/", READ_DISTRICT),
    ("letter", lambda w: f"/api/v1/letters/{w.letter.pk}/", READ_DISTRICT),
    ("letter-pdf", lambda w: f"/api/v1/letters/{w.letter.pk}/pdf/", READ_DISTRICT),
    ("letter-docx", lambda w: f"/api/v1/letters/{w.letter.pk}/docx/", READ_DISTRICT),
    ("tasks", lambda w: "/api/v1/tasks/", READ_ALL),
    ("task", lambda w: f"/api/v1/tasks/{w.task.pk}/", READ_OWN),
]

# Read-only resources: no role may write them.
READ_ONLY_WRITES = [
    ("units", "post", lambda w: "/api/v1/units/"),
    ("unit", "patch", lambda w: f"/api/v1/units/{w.own.pk}/"),
    ("criteria-sets", "post", lambda w: "/api/v1/criteria-sets/"),
    ("criterion", "patch", lambda w: f"/api/v1/criteria/{w.score.criterion_id}/"),
    ("periods", "post", lambda w: "/api/v1/periods/"),
    ("assessment", "patch", lambda w: f"/api/v1/assessments/{w.assessment.pk}/"),
    ("score", "put", lambda w: f"/api/v1/scores/{w.score.pk}/"),
    ("score", "delete", lambda w: f"/api/v1/scores/{w.score.pk}/"),
    ("metrics", "post", lambda w: "/api/v1/metrics/"),
    ("metric", "delete", lambda w: f"/api/v1/metrics/{w.metric.pk}/"),
    ("import-batch", "delete", lambda w: f"/api/v1/import-batches/{w.batch.pk}/"),
    ("letter", "delete", lambda w: f"/api/v1/letters/{w.letter.pk}/"),
    ("task", "delete", lambda w: f"/api/v1/tasks/{w.task.pk}/"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "expected"), READS, ids=[r[0] for r in READS])
def test_it_answers_reads_by_role(world, role, name, url, expected):
    response = client_for(world, role).get(url(world))
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url"), READ_ONLY_WRITES, ids=[f"{r[1]}-{r[0]}" for r in READ_ONLY_WRITES])
def test_it_lets_nobody_write_read_only_resources(world, role, name, method, url):
    response = getattr(client_for(world, role), method)(url(world), {}, format="json")
    assert response.status_code == NO_WRITE[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_reviewers_change_a_score(world, role):
    before = world.score.version
    response = client_for(world, role).patch(
        f"/api/v1/scores/{world.score.pk}/", {"comment": "Đã bổ sung", "version": before}, format="json")
    assert response.status_code == REVIEWER_WRITES[role]
    world.score.refresh_from_db()
    assert world.score.version == (before + 1 if role == "reviewer" else before)
    assert (world.score.comment == "Đã bổ sung") == (role == "reviewer")


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_the_units_head_and_reviewers_report_task_progress(world, role):
    response = client_for(world, role).patch(
        f"/api/v1/tasks/{world.task.pk}/", {"status": "in_progress", "progress": "Đã ký số 80% văn bản đi"}, format="json")
    assert response.status_code == TASK_WRITES[role]
    world.task.refresh_from_db()
    changed = TASK_WRITES[role] == 200
    assert (world.task.status == "in_progress") == changed
    assert (world.task.progress == "Đã ký số 80% văn bản đi") == changed


def test_it_keeps_a_unit_head_off_another_units_task(world):
    response = client_for(world, "head_own").patch(
        f"/api/v1/tasks/{world.other_task.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 404
    world.other_task.refresh_from_db()
    assert world.other_task.status == "open"


def _upload(client):
    with INCOMING_H1.open("rb") as handle:
        return client.post("/api/v1/import-batches/", {"file": handle, "period": "2023-H1"}, format="multipart")


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_reviewers_upload_a_spreadsheet(world, role):
    response = _upload(client_for(world, role))
    assert response.status_code == REVIEWER_WRITES[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_reviewers_confirm_an_import(world, role):
    upload_id = _upload(client_for(world, "reviewer")).json()["upload_id"]
    response = client_for(world, role).post(
        "/api/v1/import-batches/confirm/", {"upload_id": upload_id, "period": "2023-H1"}, format="json")
    # The same file is already the current batch of 2023-H1: the reviewer is told nothing changed.
    assert response.status_code == REVIEWER_WRITES[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_reviewers_render_a_letter(world, role):
    response = client_for(world, role).post(
        "/api/v1/letters/", {"kind": "cchc-remediation", "period": "2023-H1"}, format="json")
    assert response.status_code == {**REVIEWER_WRITES, "reviewer": 202}[role]


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_only_reviewers_render_a_letter_again(world, role):
    response = client_for(world, role).post(f"/api/v1/letters/{world.letter.pk}/render/", {}, format="json")
    assert response.status_code == {**REVIEWER_WRITES, "reviewer": 202}[role]


def test_it_shows_a_unit_head_only_their_units_rows(world):
    client = client_for(world, "head_own")
    assert [u["id"] for u in client.get("/api/v1/units/").json()["results"]] == [world.own.pk]
    assert {a["subject"] for a in client.get("/api/v1/assessments/").json()["results"]} == {world.own.pk}
    assert {s["assessment"] for s in client.get("/api/v1/scores/").json()["results"]} == {world.assessment.pk}
    metrics = client.get("/api/v1/metrics/").json()
    assert metrics["count"] > 0 and {m["unit"] for m in metrics["results"]} == {world.own.pk}
    assert [t["id"] for t in client.get("/api/v1/tasks/").json()["results"]] == [world.task.pk]


def test_it_refuses_a_user_without_a_role(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['no_role']).key}")
    response = client.get("/api/v1/units/")
    assert response.status_code == 403
    assert "chưa được phân vai trò" in response.json()["detail"]


def test_it_accepts_a_browser_session(world, client):
    client.force_login(world.users["viewer"])
    assert client.get("/api/v1/periods/").status_code == 200
