"""The letter pages under /van-ban/: roles, the draft editor, escaping, rendering through the Celery
task (eager in tests) with a polled status, re-rendering after an edit, downloads through a view."""

from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from common.numbers import format_number
from reports.choices import LetterKind, RenderState
from reports.models import Letter

from .conftest import CCHC_H1_MAX_TOTAL, cchc_seed_rows, pdf_text


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def letter(cchc_assessment) -> Letter:
    return Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=cchc_assessment.period,
                                 assessment=cchc_assessment)


def edit_data(client, letter, **changes) -> dict:
    """What the edit form posts when the reviewer changes only ``changes``: every field as shown."""
    form = client.get(reverse("reports:detail", args=[letter.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_it_refuses_unit_heads_on_every_letter_page(client, head_vinhkhe, letter):
    client.force_login(head_vinhkhe)
    pages = [reverse("reports:list"), reverse("reports:create"), reverse("reports:detail", args=[letter.pk]),
             reverse("reports:status", args=[letter.pk]), reverse("reports:download", args=[letter.pk, "pdf"])]
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:render", args=[letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert letter.render_state == RenderState.IDLE


def test_it_lets_leaders_read_and_download_but_not_write(client, reviewer, viewer, letter, media, poppler):
    client.force_login(reviewer)
    client.post(reverse("reports:render", args=[letter.pk]))
    client.force_login(viewer)

    page = client.get(reverse("reports:detail", args=[letter.pk]))
    assert page.status_code == 200 and page.context["form"] is not None
    assert b"L\xc6\xb0u d\xe1\xbb\xb1 th\xe1\xba\xa3o" not in page.content  # no "Lưu dự thảo" button
    assert client.get(reverse("reports:download", args=[letter.pk, "pdf"])).status_code == 200
    assert client.post(reverse("reports:detail", args=[letter.pk]), {"number": "99"}).status_code == 403
    assert client.post(reverse("reports:render", args=[letter.pk])).status_code == 403
    assert client.post(reverse("reports:create"), {"kind": letter.kind, "period": "2023-H1"}).status_code == 403
    letter.refresh_from_db()
    assert letter.number == ""


def test_it_opens_the_draft_of_a_kind_for_a_period_and_reuses_it(client, reviewer, cchc_assessment):
    client.force_login(reviewer)
    data = {"kind": LetterKind.CCHC_REMEDIATION, "period": cchc_assessment.period.code}

    first = client.post(reverse("reports:create"), data)
    second = client.post(reverse("reports:create"), data)

    letter = Letter.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:detail", args=[letter.pk])
    assert letter.assessment == cchc_assessment and letter.created_by == reviewer
    listing = client.get(reverse("reports:list")).content.decode()
    assert "Khắc phục tồn tại, hạn chế CCHC" in listing and cchc_assessment.period.name in listing


def test_it_says_in_vietnamese_when_the_period_has_no_assessment(client, reviewer, cchc_assessment):
    client.force_login(reviewer)
    response = client.post(reverse("reports:create"), {"kind": LetterKind.REMEDIATION_PLAN,
                                                       "period": cchc_assessment.period.code})
    assert response.status_code == 200
    assert "Không tìm thấy đợt đánh giá" in response.content.decode()
    assert not Letter.objects.exists()


def test_it_shows_the_figures_from_the_data_beside_the_editor(client, reviewer, letter):
    rows = cchc_seed_rows()
    deduction = sum(row["deduction"] for row in rows)
    index = (CCHC_H1_MAX_TOTAL + deduction) / CCHC_H1_MAX_TOTAL * 100
    client.force_login(reviewer)

    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()

    assert f"<dd>{format_number(index, 2)}</dd>" in page  # 70,37
    assert f"<dd>{format_number(deduction)}</dd>" in page  # -23,41
    assert f"<dd>{len(rows)}</dd>" in page  # 27


def test_it_stores_only_what_the_reviewer_changed(client, reviewer, letter):
    client.force_login(reviewer)
    data = edit_data(client, letter, p_closing="UBND huyện đề nghị thực hiện nghiêm túc./.", number="1234",
                     signer="Nguyễn Văn A", distribution="Như trên\nLưu: VT, NV")

    response = client.post(reverse("reports:detail", args=[letter.pk]), data)

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.body["paragraphs"] == {"closing": "UBND huyện đề nghị thực hiện nghiêm túc./."}
    assert letter.body["distribution"] == ["Như trên", "Lưu: VT, NV"]
    assert (letter.number, letter.signer, letter.subject, letter.recipients) == ("1234", "Nguyễn Văn A", "", [])
    assert letter.edited_at is not None
    # An untouched paragraph still follows the data: change a score and its figure changes.
    score = letter.assessment.scores.get(criterion__code="1.2")
    score.appraised_score += Decimal("1")
    score.save(update_fields=["appraised_score"])
    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    total = -sum(row["deduction"] for row in cchc_seed_rows()) - 1
    assert f"với {format_number(total)} điểm" in page


def test_it_refuses_a_threshold_that_is_not_a_number(client, reviewer, cchc_assessment):
    letter = Letter.objects.create(kind=LetterKind.DOCUMENT_PROCESSING, period=cchc_assessment.period)
    client.force_login(reviewer)
    name = "x_thresholds__incoming_processed_rate"

    bad = client.post(reverse("reports:detail", args=[letter.pk]), edit_data(client, letter, **{name: "hai mươi"}))
    assert bad.status_code == 422 and "không phải là số" in bad.content.decode()
    good = client.post(reverse("reports:detail", args=[letter.pk]), edit_data(client, letter, **{name: "25"}))

    assert good.status_code == 302
    letter.refresh_from_db()
    assert letter.body["thresholds"] == {"incoming_processed_rate": "25"}


def test_it_escapes_the_reviewers_text_in_the_page_and_the_pdf(client, reviewer, letter, media, poppler):
    typed = "<script>alert('x')</script> Sở Nội vụ & Phòng Nội vụ <b>phối hợp</b>"
    client.force_login(reviewer)
    client.post(reverse("reports:detail", args=[letter.pk]), edit_data(client, letter, p_closing=typed))

    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    client.post(reverse("reports:render", args=[letter.pk]))

    assert "<script>alert" not in page and "<b>phối hợp" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Sở Nội vụ &amp; Phòng Nội vụ &lt;b&gt;" in page
    letter.refresh_from_db()
    assert typed in pdf_text(letter.pdf.path)
    assert any(typed in p.text for p in Document(letter.docx.path).paragraphs)


def test_it_renders_through_the_task_and_the_status_box_stops_polling_when_done(client, reviewer, letter, media,
                                                                               poppler):
    client.force_login(reviewer)
    queued = client.get(reverse("reports:status", args=[letter.pk]))
    assert 'hx-trigger="every 1s"' not in queued.content.decode()  # idle: nothing to wait for
    Letter.objects.filter(pk=letter.pk).update(render_state=RenderState.QUEUED)
    polling = client.get(reverse("reports:status", args=[letter.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in polling and reverse("reports:status", args=[letter.pk]) in polling
    Letter.objects.filter(pk=letter.pk).update(render_state=RenderState.IDLE)

    response = client.post(reverse("reports:render", args=[letter.pk]), HTTP_HX_REQUEST="true")

    box = response.content.decode()
    assert response.status_code == 200 and 'data-state="done"' in box
    assert 'hx-trigger="every 1s"' not in box
    assert reverse("reports:download", args=[letter.pk, "pdf"]) in box
    assert reverse("reports:download", args=[letter.pk, "docx"]) in box
    letter.refresh_from_db()
    assert letter.render_state == RenderState.DONE and letter.pdf and letter.docx


def test_it_renders_again_after_an_edit_and_replaces_the_files(client, reviewer, letter, media, poppler):
    client.force_login(reviewer)
    client.post(reverse("reports:render", args=[letter.pk]))
    client.post(reverse("reports:detail", args=[letter.pk]), edit_data(client, letter, number="2468"))

    stale = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    assert "tệp dưới đây là bản cũ" in stale
    client.post(reverse("reports:render", args=[letter.pk]))

    letter.refresh_from_db()
    assert "Số: 2468/UBND-NV" in pdf_text(letter.pdf.path)
    assert "tệp dưới đây là bản cũ" not in client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    files = sorted(path.name for path in (media / "letters").iterdir())
    assert files == sorted([letter.pdf.name.rsplit("/", 1)[-1], letter.docx.name.rsplit("/", 1)[-1]])


def test_it_serves_the_files_through_a_view_not_media_url(client, reviewer, letter, media, poppler, settings):
    client.force_login(reviewer)
    url = reverse("reports:download", args=[letter.pk, "docx"])
    assert client.get(url).status_code == 404  # not rendered yet
    client.post(reverse("reports:render", args=[letter.pk]))

    response = client.get(url)
    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="cchc-remediation-2023-H1.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert f"/{settings.MEDIA_URL.strip('/')}/" not in page
    assert client.get(reverse("reports:download", args=[letter.pk, "exe"])).status_code == 404


def test_it_keeps_an_issued_letters_draft_as_it_was(client, reviewer, letter):
    from reports.choices import LetterStatus

    client.force_login(reviewer)
    data = edit_data(client, letter, p_closing="Đoạn sửa sau khi ban hành")
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.ISSUED)

    page = client.get(reverse("reports:detail", args=[letter.pk])).content.decode()
    response = client.post(reverse("reports:detail", args=[letter.pk]), data)

    assert "Lưu dự thảo" not in page and "Văn bản đã ban hành" in page
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.body == {}
