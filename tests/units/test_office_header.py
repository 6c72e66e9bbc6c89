"""Every page's header names the office of the user's own authority: Sở Nội vụ for the province's
reviewer, Phòng Nội vụ for Vĩnh Linh's."""

import re

import pytest
from django.urls import reverse

from units import demo as units_demo
from units.accounts import DEMO_PASSWORD, create_demo_users

pytestmark = pytest.mark.django_db


def header_office(client, username: str) -> str:
    assert client.login(username=username, password=DEMO_PASSWORD)
    page = client.get(reverse("unit-list")).content.decode()
    client.logout()
    return re.search(r'<span class="brand-sub">([^<]*)</span>', page).group(1)


def test_the_header_names_the_office_of_the_users_authority(client):
    units_demo.load_registry()
    create_demo_users()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    assert header_office(client, "reviewer_tinh") == "Sở Nội vụ"
    assert header_office(client, "reviewer") == "Phòng Nội vụ"
