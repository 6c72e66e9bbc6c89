"""In a real browser: a reviewer edits an appraised score and sees the area total change; a unit head
sees only their unit and gets 404 on another's; a viewer cannot edit. Screenshots of each main page."""

import re

import pytest
from playwright.sync_api import expect

from common.numbers import format_number, parse_number
from documents.demo import load_demo_spreadsheets
from scoring.models import Score, ScoreChange
from units.accounts import DEMO_PASSWORD
from units.models import Unit

from ..pages.workspace import cchc_half_year, load_demo_scores
from .conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_scores()
    load_demo_spreadsheets()
    return cchc_half_year()


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("#who")).to_be_visible()


def area_of(criterion):
    while criterion.parent_id:
        criterion = criterion.parent
    return criterion


def test_a_reviewer_edits_an_appraised_score_and_sees_the_area_total_change(live_server, open_page, demo):
    page = open_page()
    sign_in(page, live_server, "reviewer")
    screenshot(page, "home-reviewer")
    score = Score.objects.select_related("criterion__parent__parent").get(assessment=demo, criterion__code="1.1.3")
    area = area_of(score.criterion)
    page.goto(f"{live_server.url}/danh-gia/{demo.pk}/")
    area_total = page.locator(f"#area-{area.pk} .area-appraised")
    before = parse_number(area_total.inner_text())
    field = page.locator(f"#s{score.pk}-appraised")
    expect(field).to_have_value("0,85")
    field.fill("1,5")
    field.press("Enter")
    expected = format_number(before + parse_number("1,5") - parse_number("0,85"), 2)
    expect(area_total).to_have_text(expected)
    expect(page.locator(f"#score-{score.pk} .saved-note")).to_have_text("Đã lưu")
    expect(page.locator(f"#s{score.pk}-appraised")).to_have_value("1,5")
    # Enter moved the cursor to the same field one row down, as in a spreadsheet.
    focused = page.evaluate("document.activeElement.id")
    assert focused.endswith("-appraised") and focused != f"s{score.pk}-appraised"
    score.refresh_from_db()
    assert score.appraised_score == parse_number("1,5")
    assert ScoreChange.objects.filter(score=score, field="appraised_score", changed_by__username="reviewer").exists()
    screenshot(page, "assessment-reviewer")

    # A stale save: someone else saves first; the second save is refused with their value.
    other = Score.objects.get(pk=score.pk)
    from scoring.actions import set_score

    set_score(other, acting_user=None, appraised_score="1,75")
    page.locator(f"#s{score.pk}-appraised").fill("0,5")
    page.locator(f"#s{score.pk}-appraised").press("Enter")
    alert = page.locator(f"#score-{score.pk} .row-error")
    expect(alert).to_contain_text("đã được người khác sửa")
    expect(alert).to_contain_text("1,75")
    screenshot(page, "assessment-conflict")

    page.locator(f"#score-{score.pk} .detail-link").click()
    expect(page.locator("#panel")).to_be_visible()
    expect(page.locator("#panel")).to_contain_text("0,85 → 1,5")
    screenshot(page, "score-history")
    page.get_by_role("button", name="Đóng").click()

    page.goto(f"{live_server.url}/tong-hop/2023-H1/")
    expect(page.locator("article.result svg").first).to_be_visible()
    screenshot(page, "dashboard")
    page.goto(f"{live_server.url}/don-vi/")
    screenshot(page, "units")


def test_a_unit_head_sees_only_their_unit(live_server, open_page, demo):
    page = open_page(PHONE)
    sign_in(page, live_server, "head_vinhkhe")
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    other = Unit.objects.get(name="Phòng Nội vụ")
    page.goto(f"{live_server.url}/don-vi/{own.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(own.name)
    # Nothing wider than the phone: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "portal-phone")
    response = page.goto(f"{live_server.url}/don-vi/{other.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/danh-gia/{demo.pk}/")
    assert response.status == 404


def test_a_viewer_cannot_edit(live_server, open_page, demo):
    page = open_page()
    sign_in(page, live_server, "viewer")
    page.goto(f"{live_server.url}/danh-gia/{demo.pk}/")
    expect(page.get_by_text("Bạn chỉ có quyền xem trang này.")).to_be_visible()
    assert page.locator("input.score-input").count() == 0
    assert page.locator("button.save").count() == 0
    screenshot(page, "assessment-viewer")
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    status = page.evaluate(
        """async ([url, version]) => {
            const body = new URLSearchParams({version, self_score: "2", appraised_score: "2", comment: ""});
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: "POST", body, headers: {"X-CSRFToken": csrf}});
            return r.status;
        }""",
        [f"{live_server.url}/danh-gia/{demo.pk}/diem/{score.pk}/luu/", str(score.version)],
    )
    assert status == 403
    score.refresh_from_db()
    assert score.appraised_score == parse_number("0,85")
