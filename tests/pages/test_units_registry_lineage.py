"""The registry lists what each unit came from and what it became (merger, split, rename, with the
date), an old unit marked as no longer active, at a cost that does not grow with the successions."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from units import demo as units_demo
from units.choices import SuccessionKind
from units.models import Unit, UnitSuccession

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def province(db, client):
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


def unit_cell(html: str, unit: Unit) -> str:
    href = reverse("unit-detail", args=[unit.pk])
    return re.search(rf'<td><a href="{href}">.*?</td>', html, re.S).group(0)


def shown(name: str) -> str:
    unit = Unit.objects.get(name=name)
    return unit.short_name or unit.name


@pytest.mark.parametrize("step", PROVINCE["successions"], ids=lambda s: s["kind"])
def test_each_succession_shows_on_both_sides_with_its_date(province, step):
    page = province.get(reverse("unit-list")).content.decode()
    label, day = SuccessionKind(step["kind"]).label, "/".join(reversed(step["effective_date"].split("-")))

    for name in step["successors"]:
        cell = unit_cell(page, Unit.objects.get(name=name))
        came = re.search(r'data-lineage="came-from">(.*?)</span>', cell, re.S).group(1)
        assert came.startswith(f"{label} {day} từ ")
        assert all(shown(old) in came for old in step["predecessors"])
        assert "ngừng hoạt động" not in cell
    for name in step["predecessors"]:
        cell = unit_cell(page, Unit.objects.get(name=name))
        became = re.search(r'data-lineage="became">(.*?)</span>', cell, re.S).group(1)
        assert became.startswith(f"{label} {day} → ")
        assert all(shown(new) in became for new in step["successors"])
        assert "(ngừng hoạt động)" in cell


def test_a_unit_without_succession_shows_no_lineage(province):
    named = {n for s in PROVINCE["successions"] for n in s["predecessors"] + s["successors"]}
    page = province.get(reverse("unit-list")).content.decode()
    for unit in Unit.objects.exclude(name__in=named):
        assert "data-lineage" not in unit_cell(page, unit)


def test_the_registry_costs_the_same_queries_for_one_succession_or_all(province):
    url = reverse("unit-list")
    province.get(url)
    with CaptureQueriesContext(connection) as every:
        province.get(url)
    kept = UnitSuccession.objects.order_by("pk").first()
    UnitSuccession.objects.exclude(pk=kept.pk).delete()
    with CaptureQueriesContext(connection) as one:
        page = province.get(url).content.decode()
    assert page.count('data-lineage="came-from"') == kept.successors.count()
    assert len(every) == len(one)
