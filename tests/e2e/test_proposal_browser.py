"""In a real browser: a reviewer accepts a computed proposal with its button and sees the row update;
another score without a reason is refused in the row, with a reason it is saved."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from scoring.actions import set_score
from scoring.models import Score, ScoreChange

from ..pages.workspace import cchc_half_year, load_demo_scores
from .conftest import ARTIFACTS, screenshot
from .test_workspace_browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    load_demo_scores()
    return cchc_half_year()


def test_a_reviewer_accepts_a_proposal_then_overrides_it_with_a_reason(live_server, open_page, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    set_score(score, acting_user=None, computed_score="1,5")
    page = open_page()
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/danh-gia/{demo.pk}/")
    row = page.locator(f"#score-{score.pk}")
    expect(row).to_have_attribute("data-proposal", "overridden")
    ARTIFACTS.mkdir(exist_ok=True)
    row.screenshot(path=str(ARTIFACTS / "proposal-row-before.png"))

    row.get_by_role("button", name="Chấp nhận điểm tính").click()
    row = page.locator(f"#score-{score.pk}")
    expect(row).to_have_attribute("data-proposal", "accepted")
    expect(row.locator(".saved-note")).to_have_text("Đã lưu")
    expect(page.locator(f"#s{score.pk}-appraised")).to_have_value("1,5")
    expect(row.get_by_role("button", name="Chấp nhận điểm tính")).to_have_count(0)
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.50")
    screenshot(page, "assessment-proposal-accepted")
    row.screenshot(path=str(ARTIFACTS / "proposal-row-accepted.png"))

    page.locator(f"#s{score.pk}-appraised").fill("1")
    page.locator(f"#s{score.pk}-appraised").press("Enter")
    expect(page.locator(f"#score-{score.pk} .row-error")).to_contain_text("Lý do khác điểm tính từ số liệu")
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.50")

    page.get_by_label("Lý do khác điểm tính từ số liệu 1.1.3").fill("Thiếu quyết định ban hành")
    page.locator(f"#score-{score.pk} button.save").click()
    expect(page.locator(f"#score-{score.pk}")).to_have_attribute("data-proposal", "overridden")
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.00")
    assert ScoreChange.objects.get(score=score, field="computed_override").reason == "Thiếu quyết định ban hành"
