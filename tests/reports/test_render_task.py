"""render_letter_task(letter_id, fmt): files kept on the letter, re-rendered after an edit, failures recorded."""

from docx import Document

from reports.choices import LetterKind, LetterStatus, RenderState
from reports.models import Letter
from reports.tasks import render_letter_task

from .conftest import pdf_text


def make_letter(cchc_assessment, **fields) -> Letter:
    return Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=cchc_assessment.period,
                                 assessment=cchc_assessment, **fields)


def test_it_keeps_both_files_with_the_letter(cchc_assessment, settings, tmp_path, poppler):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = make_letter(cchc_assessment)

    result = render_letter_task.delay(letter.pk, "all").get()

    letter.refresh_from_db()
    assert result["state"] == RenderState.DONE and letter.render_state == RenderState.DONE
    assert letter.rendered_at is not None and letter.render_error == ""
    assert "với 23,41 điểm" in pdf_text(letter.pdf.path)
    assert any("23,41" in p.text for p in Document(letter.docx.path).paragraphs)


def test_it_renders_again_after_an_edit_and_replaces_the_file(cchc_assessment, settings, tmp_path, poppler):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = make_letter(cchc_assessment)
    render_letter_task(letter.pk, "pdf")
    letter.refresh_from_db()
    first = letter.pdf.path

    letter.number = "4321"
    letter.save(update_fields=["number"])
    render_letter_task(letter.pk, "pdf")

    letter.refresh_from_db()
    assert "Số: 4321/UBND-NV" in pdf_text(letter.pdf.path)
    assert sorted(p.name for p in (tmp_path / "media" / "letters").iterdir()) == [letter.pdf.name.split("/")[-1]]
    assert letter.pdf.path == first or not (tmp_path / "media" / "letters" / first).exists()


def test_it_leaves_the_letter_a_draft_with_a_clear_error_when_media_is_unwritable(cchc_assessment, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    letter = make_letter(cchc_assessment, status=LetterStatus.ISSUED)

    result = render_letter_task(letter.pk, "docx")

    letter.refresh_from_db()
    assert result["state"] == RenderState.FAILED
    assert letter.render_state == RenderState.FAILED and letter.status == LetterStatus.DRAFT
    assert "Không ghi được tệp văn bản" in letter.render_error and "MEDIA_ROOT" in letter.render_error
    assert not letter.docx


def test_it_records_missing_data_in_vietnamese(cchc_assessment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = Letter.objects.create(kind=LetterKind.REMEDIATION_PLAN, period=cchc_assessment.period)

    render_letter_task(letter.pk, "pdf")

    letter.refresh_from_db()
    assert letter.render_state == RenderState.FAILED
    assert letter.render_error.startswith("Không xuất được văn bản: Không tìm thấy đợt đánh giá")
