"""Before sign-in the header cannot know the user's authority: it names the registry's only
authority's office ("Sở Nội vụ" where the province alone is registered), and, where several
authorities share the application, the office by its function rather than a district's."""

import re

import pytest
from django.urls import reverse

from units import demo as units_demo
from units.context_processors import NEUTRAL_OFFICE

pytestmark = pytest.mark.django_db


def login_page_office(client) -> str:
    page = client.get(reverse("login")).content.decode()
    return re.search(r'<span class="brand-sub">([^<]*)</span>', page).group(1)


def test_the_login_page_names_the_only_authoritys_office(client):
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    assert login_page_office(client) == "Sở Nội vụ"


def test_the_login_page_of_vinh_linh_alone_still_names_phong_noi_vu(client):
    units_demo.load_registry()
    assert login_page_office(client) == "Phòng Nội vụ"


def test_the_login_page_names_no_one_authoritys_office_when_several_share_the_application(client):
    units_demo.load_registry()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    office = login_page_office(client)
    assert office == NEUTRAL_OFFICE
    assert "Phòng" not in office and "Sở" not in office
