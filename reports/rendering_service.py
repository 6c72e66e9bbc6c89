"""Render a stored letter and keep its files on it: the one writer of Letter.pdf / Letter.docx.

Called by the Celery task (reports.tasks.render_letter_task) and usable directly in a shell."""

import errno
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .choices import LetterStatus, RenderState
from .facts import LetterError, build_for_letter
from .models import Letter
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


def render_and_store(letter_id: int, fmt: str) -> dict:
    """Render ``letter_id`` to ``fmt`` and save the files; on failure record why and keep it a draft."""
    letter = Letter.objects.select_related("period", "assessment").get(pk=letter_id)
    Letter.objects.filter(pk=letter_id).update(render_state=RenderState.RUNNING, render_error="")
    try:
        formats = formats_of(fmt)
        document = build_for_letter(letter)
        files = {name: render(document, name) for name in formats}
        written, replaced = [], []
        try:
            with transaction.atomic():
                for name, data in files.items():
                    field = getattr(letter, name)
                    old = field.name
                    field.save(f"{letter.kind}-{letter.pk}.{name}", ContentFile(data), save=False)
                    written.append((field.storage, field.name))
                    if old and old != field.name:
                        replaced.append((field.storage, old))
                letter.render_state = RenderState.DONE
                letter.render_error = ""
                letter.rendered_at = timezone.now()
                letter.save(update_fields=[*files, "render_state", "render_error", "rendered_at", "updated_at"])
        except BaseException:
            # All formats or none: the letter keeps its previous files (a disk that fills up after the
            # DOCX was written must not leave the letter pointing at a deleted file).
            for storage, name in written:
                try:
                    storage.delete(name)
                except OSError:
                    log.exception("letter %s: cannot remove the partly written %s", letter_id, name)
            raise
        for storage, old in replaced:
            storage.delete(old)  # keep one file per format; a re-render replaces it, once it is saved
    except (LetterError, ValueError) as exc:
        return _failed(letter_id, f"Không xuất được văn bản: {exc}")
    except OSError as exc:
        log.exception("letter %s: cannot write its files", letter_id)
        return _failed(letter_id, write_error_message(exc))
    return {"letter": letter_id, "state": RenderState.DONE, "files": {n: getattr(letter, n).name for n in files}}


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
