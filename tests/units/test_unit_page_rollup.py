"""A unit formed by merging others shows, on its page, its predecessors' figures rolled up for the
periods before the merger (Σ numerators / Σ denominators, marked as rolled up, naming them) and its
own after; a predecessor's page keeps its own figures; the page costs the same queries either way."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.numbers import format_number
from documents.importing.run import import_file
from documents.metrics import METRICS, rate_of
from documents.models import MetricValue
from scoring.demo import PROVINCE_PERIODS_FILE, load_periods
from scoring.models import Period
from units import demo as units_demo
from units.models import Unit

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
MERGE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
KEY = "incoming_processed_rate"


@pytest.fixture
def province(db, client):
    """The province with its two years of incoming documents: 2024 before the merger, 2025 after."""
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    load_periods(PROVINCE_PERIODS_FILE)
    for year in ("2024", "2025"):
        path = DEMO / f"quang_tri_minh_hoa_{year}_van-ban-den.xlsx"
        outcome = import_file(path, period=Period.objects.get(code=year))
        assert outcome.stored is not None, outcome.message
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


def unit_cells(html: str) -> list[str]:
    """The unit's cells of the processed-rate row, one per period (every other cell is the whole's)."""
    row = re.search(rf'<tr data-metric="{KEY}">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td [^>]*>.*?</td>", row, re.S)[:-1][::2]


def rate_of_units(names, year: str) -> str:
    """The rate over the named units' counts of the year (Σ/Σ), as the page prints it."""
    sums: dict = {}
    for key, value in MetricValue.objects.filter(unit__name__in=names, period__code=year).values_list("key", "value"):
        sums[key] = sums.get(key, 0) + value
    return format_number(rate_of(METRICS[KEY], sums), 1)


def test_a_merged_communes_page_rolls_its_predecessors_up_before_the_merger(province):
    successor = Unit.objects.get(name=MERGE["successors"][0])

    page = province.get(reverse("unit-detail", args=[successor.pk])).content.decode()

    before, after = unit_cells(page)
    assert f">{rate_of_units(MERGE['predecessors'], '2024')} %<sup>*</sup>" in before
    assert 'data-rolled-up="1"' in before
    assert all(name in before for name in MERGE["predecessors"])
    assert f">{rate_of_units([successor.name], '2025')} %</td>" in after
    assert "rolled-up" not in after
    assert "cộng dồn từ các đơn vị cũ" in page
    # Pooled, not a mean of the three rates: the fixture's communes differ in size.
    separate = [rate_of(METRICS[KEY], dict(MetricValue.objects.filter(unit__name=name, period__code="2024")
                                             .values_list("key", "value"))) for name in MERGE["predecessors"]]
    assert format_number(sum(separate) / len(separate), 1) != rate_of_units(MERGE["predecessors"], "2024")


def test_a_predecessors_page_keeps_its_own_figures(province):
    old = Unit.objects.get(name=MERGE["predecessors"][0])

    page = province.get(reverse("unit-detail", args=[old.pk])).content.decode()

    before, after = unit_cells(page)
    assert f">{rate_of_units([old.name], '2024')} %</td>" in before
    assert ">—</td>" in after
    assert "rolled-up" not in page


def test_the_roll_up_costs_no_query_of_its_own(province):
    pages = [reverse("unit-detail", args=[Unit.objects.get(name=name).pk])
             for name in (MERGE["successors"][0], MERGE["predecessors"][0])]
    counts = []
    for url in pages:
        province.get(url)  # warm the session and the memo of the whole's rates
        with CaptureQueriesContext(connection) as queries:
            assert province.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
