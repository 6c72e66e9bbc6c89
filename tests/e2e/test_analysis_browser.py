"""In a real browser: a reviewer reads the points still available of the half-year CCHC assessment,
most first, with what finishing a unit's documents is worth; then tries a figure in the simulator and
sees the totals move, with nothing saved."""

import re

import pytest
from playwright.sync_api import expect

from common.numbers import format_number, parse_number
from documents.models import MetricValue
from scoring.models import Score, ScoreChange
from units.models import Unit

from .conftest import screenshot
from .test_workspace_browser import demo, sign_in  # noqa: F401 - demo is a fixture: the half-year CCHC assessment

pytestmark = pytest.mark.django_db(transaction=True)


def pending_documents(unit, period) -> int:
    values = dict(MetricValue.objects.filter(unit=unit, period=period).values_list("key", "value"))
    return int(values["incoming_total"] - values["incoming_replied"] - values["incoming_closed"])


def test_the_points_list_shows_the_most_points_first_and_what_a_units_work_is_worth(live_server, open_page, demo):
    page = open_page()
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/phan-tich/{demo.pk}/diem-con-thieu/")
    rows = page.locator("tr[data-code]")
    expect(rows.first).to_be_visible()
    codes = rows.evaluate_all("rows => rows.map(r => r.dataset.code)")
    scores = {s.criterion.code: s for s in Score.objects.filter(assessment=demo).select_related("criterion")}
    available = [scores[c].criterion.max_score - scores[c].appraised_score for c in codes]
    assert available and available == sorted(available, reverse=True)
    health = Unit.objects.get(name="Phòng Y tế")
    count = format_number(pending_documents(health, demo.period))
    expect(page.get_by_text(re.compile(rf"Phòng Y tế: {re.escape(count)} văn bản đến phải xử lý"))).to_be_visible()
    screenshot(page, "analysis-points")


def test_the_simulator_moves_the_totals_in_the_browser_and_saves_nothing(live_server, open_page, demo):
    before = (list(Score.objects.values_list()), list(MetricValue.objects.values_list()), ScoreChange.objects.count())
    health = Unit.objects.get(name="Phòng Y tế")
    replied = MetricValue.objects.get(unit=health, period=demo.period, key="incoming_replied").value
    page = open_page()
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/phan-tich/{demo.pk}/mo-phong/")
    baseline = parse_number(page.locator("#baseline-total").inner_text())
    page.get_by_label("Đơn vị dòng 1").select_option(label="Phòng Y tế")
    page.get_by_label("Chỉ số dòng 1").select_option(value="incoming_replied")
    page.get_by_label("Giá trị dòng 1").fill(format_number(replied + pending_documents(health, demo.period)))
    page.get_by_role("button", name="Tính thử").click()
    changed = page.locator('tr[data-code="7.1.4"]')  # the criterion that reads incoming documents
    expect(changed).to_be_visible()
    simulated = parse_number(page.locator("#simulated-total").inner_text())
    assert simulated > baseline
    screenshot(page, "analysis-simulator")
    assert (list(Score.objects.values_list()), list(MetricValue.objects.values_list()),
            ScoreChange.objects.count()) == before
