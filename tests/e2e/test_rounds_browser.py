"""In a real browser: a reviewer uploads evidence, imports a spreadsheet through the preview and
downloads a letter; a unit head writes an explanation in the explanation stage and cannot in another.
Screenshots of each page in test-artifacts/, at 1366×768 and on a 390 px phone."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone
from playwright.sync_api import expect

from documents.demo import load_demo_spreadsheets
from documents.models import ImportBatch, MetricValue
from scoring.actions import close_stage, start_rounds
from scoring.models import Evidence, Score, StageKind
from scoring.rounds import STAGE_ORDER
from units.models import Unit

from ..pages.workspace import cchc_half_year, load_demo_scores
from ..scoring.engine_seeds import incoming_rows
from .conftest import PHONE, screenshot
from .test_workspace_browser import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"
# The smallest PDF a browser accepts as one; the evidence view checks the bytes, not the name.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def scores_only(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_scores()
    return cchc_half_year()


@pytest.fixture
def with_metrics(scores_only):
    load_demo_spreadsheets()
    return scores_only


def test_a_reviewer_uploads_evidence(live_server, open_page, scores_only, tmp_path):
    score = Score.objects.select_related("criterion").get(assessment=scores_only, criterion__code="1.1.3")
    page = open_page()
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/danh-gia/{scores_only.pk}/")
    page.locator(f"#score-{score.pk} .detail-link").click()
    expect(page.locator("#panel")).to_be_visible()
    file = tmp_path / "bien-ban-kiem-tra.pdf"
    file.write_bytes(PDF)
    page.locator("#panel input[type=file]").set_input_files(str(file))
    page.locator("#panel").get_by_role("button", name="Tải lên", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã tải lên bien-ban-kiem-tra.pdf cho tiêu chí 1.1.3")
    expect(page.locator("ul.files")).to_contain_text("bien-ban-kiem-tra.pdf")
    screenshot(page, "evidence-uploaded")
    evidence = Evidence.objects.get(score=score)
    assert (evidence.uploaded_by.username, evidence.content_type, evidence.size) == ("reviewer", "application/pdf", len(PDF))
    # The file comes back through the checking view, byte for byte.
    body = page.evaluate("async url => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer()))",
                         f"{live_server.url}/tai-lieu-kiem-chung/{evidence.pk}/")
    assert bytes(body) == PDF


def test_a_reviewer_imports_a_spreadsheet_through_the_preview(live_server, open_page, scores_only):
    name = "2023-R1_phu-luc-2_van-ban-den.xlsx"
    page = open_page()
    sign_in(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/so-lieu/tai-len/")
    screenshot(page, "import-upload")
    page.get_by_label("Tệp số liệu").set_input_files(str(SPREADSHEETS / name))
    page.get_by_label("Kỳ").select_option("2023-R1")
    page.get_by_role("button", name="Đọc và xem trước").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    seed = incoming_rows()
    expect(page.locator("#rows")).to_have_text(str(len(seed)))
    assert ImportBatch.objects.count() == 0  # a preview writes nothing
    screenshot(page, "import-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".messages")).to_be_visible()
    screenshot(page, "import-confirmed")
    batch = ImportBatch.objects.get(file_name=name)
    stored = MetricValue.objects.filter(batch=batch, key="incoming_total").aggregate(total=Sum("value"))["total"]
    assert stored == sum(row["incoming_total"] for row in seed.values())


def test_a_reviewer_downloads_a_letter(live_server, open_page, scores_only):
    """Through the API from the signed-in browser session (/api/v1/letters/): the letter pages under
    /van-ban/ were still being built when this test was written."""
    page = open_page()
    sign_in(page, live_server, "reviewer")
    letter = page.evaluate(
        """async () => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const made = await fetch("/api/v1/letters/", {method: "POST", headers: {"Content-Type": "application/json",
                "X-CSRFToken": csrf}, body: JSON.stringify({kind: "cchc-remediation", period: "2023-H1", format: "pdf"})});
            const body = await made.json();
            return await (await fetch(`/api/v1/letters/${body.letter.id}/`)).json();
        }"""
    )
    assert letter["render_state"] == "done", letter.get("render_error")
    page.evaluate("""url => { const a = document.createElement("a"); a.href = url; a.id = "get-letter";
                              a.textContent = "Tải công văn"; document.body.appendChild(a); }""", letter["pdf_url"])
    with page.expect_download() as download:
        page.locator("#get-letter").click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith(".pdf")


def deducted_score_of(assessment, unit_name):
    return (Score.objects.filter(assessment=assessment, responsible_units__name=unit_name,
                                 appraised_score__lt=F("criterion__max_score"))
            .select_related("criterion").order_by("criterion__position").first())


def test_a_unit_head_writes_an_explanation_in_the_explanation_stage_and_cannot_in_another(
        live_server, open_page, with_metrics, tmp_path):
    from django.contrib.auth import get_user_model

    assessment = with_metrics
    reviewer = get_user_model().objects.get(username="reviewer")
    now = timezone.now()
    start_rounds(assessment, acting_user=reviewer, deadlines={k: now + timedelta(days=7 * (i + 1)) for i, k in enumerate(STAGE_ORDER)})
    close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.SELF_ASSESSMENT)
    score = deducted_score_of(assessment, "Phòng Nội vụ")
    unit = Unit.objects.get(name="Phòng Nội vụ")
    portal = f"{live_server.url}/don-vi/{unit.pk}/"

    page = open_page(PHONE)
    sign_in(page, live_server, "head_noivu")
    page.goto(portal)
    # Appraisal round 1: nothing to send, and a forged post is refused.
    assert page.locator(f"#explain-{score.pk}").count() == 0
    page.evaluate(
        """async ([url, version]) => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            await fetch(url, {method: "POST", headers: {"X-CSRFToken": csrf},
                              body: new URLSearchParams({version, explanation: "Gửi sớm"})});
        }""", [f"{live_server.url}/don-vi-gui/diem/{score.pk}/", str(score.version)])
    score.refresh_from_db()
    assert score.explanation == ""

    close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.APPRAISAL_1)
    page.goto(portal)
    expect(page.locator(".bell .count")).to_be_visible()  # told that the explanation stage opened
    card = page.locator(f"#score-{score.pk}.send-card")
    expect(card).to_contain_text("Giải trình, bổ sung tài liệu kiểm chứng")
    screenshot(page, "portal-explanation-phone")
    file = tmp_path / "quyet-dinh-bo-sung.pdf"
    file.write_bytes(PDF)
    card.get_by_label("Giải trình của đơn vị").fill("Đơn vị đã ban hành Quyết định số 12/QĐ-NV, gửi kèm bản chụp.")
    card.locator("input[type=file]").set_input_files(str(file))
    card.get_by_role("button", name="Gửi").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã gửi tiêu chí {score.criterion.code}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    score.refresh_from_db()
    assert score.explanation == "Đơn vị đã ban hành Quyết định số 12/QĐ-NV, gửi kèm bản chụp."
    assert Evidence.objects.get(score=score, original_name="quyet-dinh-bo-sung.pdf").uploaded_by.username == "head_noivu"
    page.goto(f"{live_server.url}/thong-bao/")
    screenshot(page, "notifications-phone")

    # Appraisal round 2: the explanation can no longer be changed.
    close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.EXPLANATION)
    page.goto(portal)
    assert page.locator(f"#explain-{score.pk}").count() == 0

    desk = open_page()
    sign_in(desk, live_server, "reviewer")
    desk.goto(f"{live_server.url}/danh-gia/{assessment.pk}/")
    expect(desk.locator("#rounds .stage.is-open")).to_contain_text("Thẩm định lần 2")
    expect(desk.locator(f"#score-{score.pk} .explanation")).to_contain_text("Quyết định số 12/QĐ-NV")
    screenshot(desk, "assessment-rounds")
    desk.goto(f"{live_server.url}/don-vi/{Unit.objects.get(name='UBND xã Vĩnh Khê').pk}/")
    expect(desk.locator(".chart-grid svg").first).to_be_visible()
    screenshot(desk, "unit-metrics")
    desk.goto(f"{live_server.url}/tong-hop/2023-H1/")
    screenshot(desk, "dashboard-trend")
