"""A request that fails answers a page in Vietnamese, never a trace: a database that does not answer is
a 503 to try again (with Retry-After), anything else a 500; the API answers the same in JSON."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from common.errors import DATABASE_DOWN, FAILED
from units.choices import Role


@pytest.fixture
def reviewer_client(make_user, noi_vu):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("loi-trang", Role.REVIEWER, noi_vu))
    return client


def failing(exception):
    def fail(*args, **kwargs):
        raise exception
    return fail


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_a_503_to_try_again(reviewer_client, monkeypatch):
    monkeypatch.setattr("scoring.views.assessment_summaries", failing(OperationalError("server closed the connection")))

    response = reviewer_client.get(reverse("home"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert DATABASE_DOWN in page and "server closed" not in page


@pytest.mark.django_db
def test_any_other_failure_is_a_500_page_in_vietnamese_without_the_trace(reviewer_client, monkeypatch):
    monkeypatch.setattr("scoring.views.assessment_summaries", failing(ZeroDivisionError("bí mật nội bộ")))

    response = reviewer_client.get(reverse("home"))

    assert response.status_code == 500
    page = response.content.decode()
    assert FAILED in page and "bí mật nội bộ" not in page and "Traceback" not in page
    assert not response.has_header("Retry-After")


@pytest.mark.django_db
def test_the_api_answers_the_same_in_json(reviewer_client, monkeypatch):
    monkeypatch.setattr("units.api.views.UnitViewSet.get_queryset", failing(OperationalError("connection refused")))

    response = reviewer_client.get("/api/v1/units/")

    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_DOWN}
