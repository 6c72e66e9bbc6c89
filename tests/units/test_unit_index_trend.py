"""A unit's page shows its index over the periods it was assessed in: its own, and for a period before
a merger or a rename its predecessors' pooled (Σ appraised / Σ max, rolled_up_index), marked and named;
a split commune shows nothing before the split (not apportioned) and its old unit keeps its own."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.numbers import format_number
from scoring.models import Period
from scoring.services import assessment_summaries
from units.models import Unit
from units.succession import rolled_up_index

from ..scoring.test_yoy_unit_lineage import MERGE, RENAME, SPLIT, province, succession  # noqa: F401  (fixture)

def index_rows(html: str) -> dict[str, str]:
    """{period code: its row} of the index table."""
    table = re.search(r'<table[^>]*id="index-trend".*?</table>', html, re.S)
    return dict(re.findall(r'<tr data-period="([^"]+)"(.*?)</tr>', table.group(0), re.S)) if table else {}


def own_index(unit: Unit, period: str) -> str:
    (summary,) = [s for s in assessment_summaries([unit]) if s.assessment.period.code == period]
    return format_number(summary.appraised_total / summary.max_total * 100, 2)


@pytest.mark.parametrize("kind", ["merge", "rename"])
def test_a_merged_or_renamed_communes_page_pools_its_predecessors_index_before_and_its_own_after(province, kind):
    step = succession(kind)
    unit = Unit.objects.get(name=step["successors"][0])

    rows = index_rows(province.get(reverse("unit-detail", args=[unit.pk])).content.decode())

    pooled = rolled_up_index(unit, [Period.objects.get(code="2024")])["2024"]
    assert f">{format_number(pooled.index_percent, 2)}<sup>*</sup>" in rows["2024"]
    assert 'data-rolled-up="1"' in rows["2024"]
    assert all(name in rows["2024"] for name in step["predecessors"])
    assert f">{own_index(unit, '2025')}</td>" in rows["2025"] and "rolled-up" not in rows["2025"]


def test_a_split_commune_has_no_index_before_the_split_and_its_old_unit_keeps_its_own(province):
    new = Unit.objects.get(name=SPLIT["successors"][0])
    old = Unit.objects.get(name=SPLIT["predecessors"][0])

    assert list(index_rows(province.get(reverse("unit-detail", args=[new.pk])).content.decode())) == ["2025"]
    rows = index_rows(province.get(reverse("unit-detail", args=[old.pk])).content.decode())
    assert list(rows) == ["2024"] and f">{own_index(old, '2024')}</td>" in rows["2024"]
    assert "rolled-up" not in rows["2024"]


def test_the_index_trend_costs_the_same_queries_for_three_predecessors_or_none(province):
    counts = []
    for name in (MERGE["successors"][0], RENAME["successors"][0], MERGE["predecessors"][0]):
        url = reverse("unit-detail", args=[Unit.objects.get(name=name).pk])
        province.get(url)  # warm the session and the memo of the whole's rates
        with CaptureQueriesContext(connection) as queries:
            assert province.get(url).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
