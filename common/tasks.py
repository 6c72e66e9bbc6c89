"""Celery tasks of common: re-sending the tasks kept while the broker was down (common.outbox)."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from .outbox import resend_pending

log = logging.getLogger(__name__)

RESEND_TASK = "common.resend_pending_tasks"


@shared_task(name=RESEND_TASK)
def resend_pending_tasks() -> dict:
    """Publish the tasks kept in the outbox (scheduled every minute by the beat, see the migration)."""
    return resend_pending()


@worker_ready.connect
def _resend_on_worker_start(sender=None, **kwargs):
    # A worker that starts is the surest sign the broker answers again: send what waited.
    try:
        result = resend_pending()
    except Exception:  # the database may be down too; the beat tries again in a minute
        log.exception("Không gửi lại được các tác vụ chờ khi khởi động worker")
        return
    if result["sent"]:
        log.info("Đã gửi lại %s tác vụ chờ khi khởi động worker", len(result["sent"]))
