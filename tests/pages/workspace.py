"""Shared builders for the workspace page tests: the demo data from the seeds, and a login helper."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from scoring.demo import load_all
from scoring.models import Assessment
from units.accounts import DEMO_PASSWORD, create_demo_users
from units.demo import load_registry


def load_demo_scores():
    """The Vĩnh Linh registry, the 2023 sets and the seeds' scores, with the four demo users."""
    load_registry()
    load_all()
    create_demo_users()


def demo_user(username):
    return get_user_model().objects.get(username=username)


def cchc_half_year() -> Assessment:
    return Assessment.objects.select_related("criteria_set", "period").get(
        criteria_set__code="CCHC-2023", period__code="2023-H1")


def login(client, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


ZERO = Decimal(0)
