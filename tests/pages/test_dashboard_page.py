"""The dashboard of a period: the index and score of each assessment, the chart, the largest
deductions, the units furthest below their targets, the last imports. Figures from the seeds."""

import re

import pytest
from django.urls import reverse

from common.numbers import format_number
from documents.demo import load_demo_spreadsheets
from units.models import Unit

from ..documents.seeds import expected_values
from .test_home import seed_001
from .workspace import load_demo_scores, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo_scores()
    load_demo_spreadsheets()


def card(page: str, set_code: str) -> str:
    match = re.search(rf'<article class="card result" data-set="{set_code}">(.*?)</article>', page, re.S)
    assert match, f"no card for {set_code}"
    return match.group(1)


def metric_card(page: str, key: str) -> str:
    match = re.search(rf'<article class="card" data-metric="{key}">(.*?)</article>', page, re.S)
    assert match, f"no card for {key}"
    return match.group(1)


def test_it_shows_the_half_year_cchc_index_of_seed_001_with_its_chart(client, demo):
    _, count, points, index = seed_001()
    page = login(client, "viewer").get(reverse("dashboard", args=["2023-H1"])).content.decode()
    cchc = card(page, "CCHC-2023")
    assert f"{index} %" in cchc
    assert f"-{points}" in cchc and f"({count} tiêu chí)" in cchc
    svg = re.search(r"<svg.*?</svg>", cchc, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    # Every area bar is labelled with Vietnamese numbers: the half-year max 79 is their sum.
    assert "79,00" in cchc


def test_the_latest_period_opens_by_default(client, demo):
    response = login(client, "viewer").get(reverse("dashboard-latest"))
    assert response.status_code == 302 and "/tong-hop/" in response["Location"]


def test_it_lists_the_units_furthest_below_the_incoming_target_as_seed_002_prints_them(client, demo):
    seed = expected_values("002-1")
    rates = {
        name: (v["incoming_replied"] + v["incoming_closed"]) * 100 / v["incoming_total"]
        for name, v in seed.items() if v.get("incoming_total")
    }
    total = sum(v["incoming_total"] for v in seed.values())
    processed = sum(v["incoming_replied"] + v["incoming_closed"] for v in seed.values())
    page = login(client, "viewer").get(reverse("dashboard", args=["2023-H1"])).content.decode()
    box = metric_card(page, "incoming_processed_rate")
    assert f"{format_number(processed * 100 / total, 1)} %" in box
    below = sum(1 for r in rates.values() if r < 100)
    assert f"{below} đơn vị chưa đạt chỉ tiêu" in box
    shown = re.findall(r'<td class="num is-bad">([\d.,]+) %</td>', box)
    assert shown == [format_number(r, 1) for r in sorted(rates.values())[:5]]


def test_it_lists_the_largest_deductions_first(client, demo):
    rows, *_ = seed_001()
    page = login(client, "viewer").get(reverse("dashboard", args=["2023-H1"])).content.decode()
    section = page.split('id="deductions-title"')[1].split("</section>")[0]
    shown = re.findall(r'<td class="num is-bad">(-[\d,]+)</td>', section)
    lost = sorted(appraised - max_score for _, max_score, _, appraised in rows)[:10]
    assert shown == [format_number(v, 2) for v in lost]


def test_it_shows_the_state_of_the_last_imports(client, demo):
    page = login(client, "viewer").get(reverse("dashboard", args=["2023-H1"])).content.decode()
    section = page.split('id="imports-title"')[1].split("</section>")[0]
    assert "2023-H1_tthc.csv" in section and "Đã nhập" in section


def test_a_unit_head_is_sent_to_their_own_unit(client, demo):
    response = login(client, "head_vinhkhe").get(reverse("dashboard", args=["2023-H1"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("unit-detail", args=[Unit.objects.get(name="UBND xã Vĩnh Khê").pk])
