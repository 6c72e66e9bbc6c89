"""A full disk or an unwritable media folder while a letter's files are written: a clear Vietnamese
error on the letter, the letter stays a draft, and a letter rendered before keeps its files.

The tests run as root in CI's container, where permission bits stop nothing and no small tmpfs can
be mounted, so the storage's _save raises what the kernel would: ENOSPC (disk full), EACCES
(permission) and EROFS (read-only mount). A real unwritable folder (a file where the folder should
be) is tested in tests/reports/test_render_task.py."""

import errno

import pytest
from django.core.files.storage import FileSystemStorage

from reports.choices import LetterKind, LetterStatus, RenderState
from reports.models import Letter
from reports.tasks import render_letter_task

from ..reports.conftest import pdf_text

REASONS = {
    errno.ENOSPC: "ổ đĩa lưu trữ đã hết chỗ trống",
    errno.EACCES: "không có quyền ghi vào thư mục lưu trữ",
    errno.EROFS: "không có quyền ghi vào thư mục lưu trữ",
}


def make_letter(assessment) -> Letter:
    return Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=assessment.period, assessment=assessment)


def fail_writes(monkeypatch, code: int, *, after: int = 0):
    """Let ``after`` files be written, then fail every write with ``code``."""
    original = FileSystemStorage._save
    calls = {"n": 0}

    def _save(self, name, content):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, errno.errorcode[code])
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", _save)


@pytest.mark.parametrize("code", sorted(REASONS), ids=[errno.errorcode[c] for c in sorted(REASONS)])
def test_it_keeps_the_letter_a_draft_with_a_clear_error(cchc_assessment, settings, tmp_path, monkeypatch, code):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = make_letter(cchc_assessment)
    fail_writes(monkeypatch, code)

    result = render_letter_task.delay(letter.pk, "all").get()

    letter.refresh_from_db()
    assert result["state"] == RenderState.FAILED
    assert (letter.render_state, letter.status) == (RenderState.FAILED, LetterStatus.DRAFT)
    assert letter.render_error.startswith("Không ghi được tệp văn bản")
    assert REASONS[code] in letter.render_error and "MEDIA_ROOT" in letter.render_error
    assert not letter.pdf and not letter.docx
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))  # nothing half-written left behind


def test_a_disk_that_fills_up_half_way_leaves_the_earlier_files_in_place(cchc_assessment, settings, tmp_path,
                                                                         monkeypatch, poppler):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = make_letter(cchc_assessment)
    render_letter_task(letter.pk, "all")
    letter.refresh_from_db()
    before = {"pdf": letter.pdf.name, "docx": letter.docx.name}
    contents = {fmt: getattr(letter, fmt).read() for fmt in before}

    letter.number = "4321"
    letter.save(update_fields=["number"])
    fail_writes(monkeypatch, errno.ENOSPC, after=1)  # the DOCX is written, then the disk is full
    render_letter_task(letter.pk, "all")

    letter.refresh_from_db()
    assert letter.render_state == RenderState.FAILED and "hết chỗ trống" in letter.render_error
    assert {"pdf": letter.pdf.name, "docx": letter.docx.name} == before
    for fmt in before:
        with getattr(letter, fmt).open("rb") as handle:
            assert handle.read() == contents[fmt], fmt
    assert "4321" not in pdf_text(letter.pdf.path)
    stored = sorted(p.name for p in (tmp_path / "media" / "letters").iterdir())
    assert stored == sorted(name.split("/")[-1] for name in before.values())  # the new DOCX was removed
