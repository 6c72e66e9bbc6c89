"""Rendering a letter's files in the background; the page polls Letter.render_state."""

import logging

from celery import shared_task

from .rendering_service import render_and_store

log = logging.getLogger(__name__)


@shared_task(name="reports.render_letter")
def render_letter_task(letter_id: int, fmt: str, version: int | None = None) -> dict:
    """Render one stored letter to ``fmt`` ("pdf", "docx" or "all") and keep the file(s) on the letter;
    with ``version``, that issued version exactly as issued, its files kept on the version.

    A failure is recorded on the letter (render_state = failed, render_error in Vietnamese) and the
    letter stays a draft; the task itself then ends normally, so a worker never retries a letter
    whose data is wrong."""
    return render_and_store(letter_id, fmt, version)
