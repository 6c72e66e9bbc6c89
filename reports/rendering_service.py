"""Render a stored letter and keep its files on it: the one writer of Letter.pdf / Letter.docx.

Called by the Celery task (reports.tasks.render_letter_task) and usable directly in a shell."""

import errno
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .choices import LetterStatus, RenderState
from .facts import LetterError, build_for_letter
from .freezing import version_document
from .models import Letter, LetterVersion
from .rendering import FORMATS, render

log = logging.getLogger(__name__)


def formats_of(fmt: str) -> list[str]:
    if fmt == "all":
        return sorted(FORMATS)
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (chọn pdf, docx hoặc all).")
    return [fmt]


def mark_queued(letter: Letter) -> None:
    """The page calls this before sending the task, so that the first poll already says "waiting"."""
    letter.render_state = RenderState.QUEUED
    letter.render_error = ""
    letter.save(update_fields=["render_state", "render_error", "updated_at"])


def mark_version_queued(version: LetterVersion) -> None:
    version.render_state = RenderState.QUEUED
    version.render_error = ""
    version.save(update_fields=["render_state", "render_error"])


def render_and_store(letter_id: int, fmt: str, version: int | None = None) -> dict:
    """Render ``letter_id`` to ``fmt`` and save the files; on failure record why and keep it a draft.

    With ``version`` (its number), render that issued version exactly as it was issued (its frozen
    document) and keep the files on the version, not on the letter."""
    if version is not None:
        return _render_version(letter_id, fmt, version)
    letter = Letter.objects.select_related("period", "assessment").get(pk=letter_id)
    Letter.objects.filter(pk=letter_id).update(render_state=RenderState.RUNNING, render_error="")
    try:
        formats = formats_of(fmt)
        document = build_for_letter(letter)
        files = {name: render(document, name) for name in formats}
        _store(letter, files, f"{letter.kind}-{letter.pk}", ["updated_at"])
    except (LetterError, ValueError) as exc:
        return _failed(letter_id, f"Không xuất được văn bản: {exc}")
    except OSError as exc:
        log.exception("letter %s: cannot write its files", letter_id)
        return _failed(letter_id, write_error_message(exc))
    return {"letter": letter_id, "state": RenderState.DONE, "files": {n: getattr(letter, n).name for n in files}}


def _render_version(letter_id: int, fmt: str, number: int) -> dict:
    """One issued version's files from its frozen facts only: today's data is never read."""
    version = LetterVersion.objects.select_related("letter").get(letter_id=letter_id, version=number)
    versions = LetterVersion.objects.filter(pk=version.pk)
    versions.update(render_state=RenderState.RUNNING, render_error="")
    letter = version.letter
    try:
        files = {name: render(version_document(version), name) for name in formats_of(fmt)}
        _store(version, files, f"{letter.kind}-{letter.pk}-v{version.version}-{version.sha256[:12]}", [])
    except (LetterError, ValueError) as exc:
        message = f"Không xuất được văn bản: {exc}"
    except OSError as exc:
        log.exception("letter %s version %s: cannot write its files", letter_id, number)
        message = write_error_message(exc)
    else:
        return {"letter": letter_id, "version": number, "state": RenderState.DONE,
                "files": {n: getattr(version, n).name for n in files}}
    versions.update(render_state=RenderState.FAILED, render_error=message)
    return {"letter": letter_id, "version": number, "state": RenderState.FAILED, "error": message}


def _store(row, files: dict[str, bytes], stem: str, also: list[str]) -> None:
    """Save ``files`` on ``row`` (a Letter or a LetterVersion) and mark it rendered, all formats or none."""
    written, replaced = [], []
    try:
        with transaction.atomic():
            for name, data in files.items():
                field = getattr(row, name)
                old = field.name
                field.save(f"{stem}.{name}", ContentFile(data), save=False)
                written.append((field.storage, field.name))
                if old and old != field.name:
                    replaced.append((field.storage, old))
            row.render_state = RenderState.DONE
            row.render_error = ""
            row.rendered_at = timezone.now()
            row.save(update_fields=[*files, "render_state", "render_error", "rendered_at", *also])
    except BaseException:
        # All formats or none: the row keeps its previous files (a disk that fills up after the
        # DOCX was written must not leave it pointing at a deleted file).
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                log.exception("%r: cannot remove the partly written %s", row, name)
        raise
    for storage, old in replaced:
        storage.delete(old)  # keep one file per format; a re-render replaces it, once it is saved


def write_error_message(exc: OSError) -> str:
    """What went wrong writing the files, in words an administrator acts on."""
    if exc.errno == errno.ENOSPC:
        reason = "ổ đĩa lưu trữ đã hết chỗ trống"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = "không có quyền ghi vào thư mục lưu trữ"
    else:
        reason = f"lỗi hệ thống: {exc.strerror or exc}"
    return (f"Không ghi được tệp văn bản vào thư mục lưu trữ ({reason}); các tệp đã có của văn bản được giữ nguyên. "
            "Báo quản trị hệ thống kiểm tra chỗ trống và quyền ghi của MEDIA_ROOT rồi xuất lại.")


def _failed(letter_id: int, message: str) -> dict:
    Letter.objects.filter(pk=letter_id).update(render_state=RenderState.FAILED, render_error=message)
    # A letter issued with frozen facts stays issued (a failed file write changes nothing it said);
    # one marked issued without a frozen version goes back to draft, as before.
    Letter.objects.filter(pk=letter_id, versions__isnull=True).update(status=LetterStatus.DRAFT)
    return {"letter": letter_id, "state": RenderState.FAILED, "error": message}
