"""The import history asks the database as many times for 3 batches as for 30: each row's period,
uploader, successor and authority come with the batch."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import ImportBatch
from scoring.models import Period
from units.choices import Role, UnitKind
from units.models import Unit

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def history_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("documents:batches"))
    assert response.status_code == 200
    return len(queries)


def test_the_history_costs_the_same_queries_for_3_or_30_batches(client, make_user):
    root = Unit.objects.create(name="UBND huyện Thử", kind=UnitKind.AUTHORITY)
    user = make_user("rev", Role.REVIEWER)
    client.login(username="rev", password=PASSWORD)

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            period = Period.objects.create(code=f"K{i}", name=f"Kỳ {i}", kind="year", year=2023,
                                           start=date(2022, 12, 15), end=date(2023, 12, 14))
            ImportBatch.objects.create(file_name=f"{i}.xlsx", sha256=str(i).ljust(64, "0"), source="incoming",
                                       period=period, authority=root, created_by=user)

    add(3, 0)
    client.get(reverse("documents:batches"))  # the session, the content types
    few = history_queries(client)
    add(27, 3)
    assert history_queries(client) == few
