"""The registry page: every unit under its kind, with its other names and its provincial codes."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from units.models import Unit

from .workspace import load_demo_scores, login

pytestmark = pytest.mark.django_db


def test_it_lists_every_unit_with_its_aliases(client, db):
    load_demo_scores()
    registry = json.loads((settings.BASE_DIR / "fixtures" / "units" / "vinh_linh.json").read_text(encoding="utf-8"))
    page = login(client, "viewer").get(reverse("unit-list")).content.decode()
    assert f"{Unit.objects.count()} đơn vị" in page
    for unit in Unit.objects.prefetch_related("aliases"):
        assert unit.name in page
        for alias in unit.aliases.all():
            assert f'<span class="alias">{alias.name}</span>' in page.replace("&amp;", "&")
    assert registry  # the fixture is what was loaded


def test_a_units_page_shows_its_kind(client, db):
    load_demo_scores()
    unit = Unit.objects.get(name="UBND xã Vĩnh Khê")
    page = login(client, "viewer").get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert unit.get_kind_display() in page
