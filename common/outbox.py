"""Sending Celery tasks so that a broker outage never fails the request and never loses the task.

``enqueue`` tries the broker briefly (Celery's publish retry, well under a second); if it still
cannot publish, the task is written to the database (common.models.PendingTask) and the request
goes on. ``resend_pending`` publishes those rows again; the beat runs it every minute (see the
migration common/0002), and a worker runs it when it starts, so the tasks go out as soon as the
broker is back.

Why an outbox rather than a long publish retry: a retry long enough to outlast a Redis restart
would hold the user's request (and a web worker) for that long, and the task would still be lost
if Redis stayed down longer. The database is already the one thing a request cannot do without.

A task may, rarely, run twice (published, but the broker's answer lost): the tasks sent this way
(recompute, render a letter) give the same result when run again."""

import logging

from celery import uuid
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .models import PendingTask

log = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached (kombu wraps most connection errors).
BROKER_ERRORS = (OperationalError, RedisError, OSError)
# Two quick attempts: a broker that is merely busy answers; a broker that is down costs ~0.3 s.
REQUEST_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.2}


def _publish(task_name: str, args, kwargs, task_id: str) -> None:
    from config.celery_app import app

    app.tasks[task_name].apply_async(args=args, kwargs=kwargs, task_id=task_id,
                                     retry=True, retry_policy=REQUEST_RETRY_POLICY)


def enqueue(task, *args, **kwargs) -> str:
    """Send ``task`` (a Celery task) with these arguments; return its id, sent now or kept for later."""
    task_id = uuid()
    try:
        _publish(task.name, list(args), kwargs, task_id)
    except BROKER_ERRORS as exc:
        log.warning("Không gửi được tác vụ %s tới hàng đợi (%s); lưu lại để gửi sau.", task.name, exc)
        PendingTask.objects.create(task=task.name, task_id=task_id, args=list(args), kwargs=kwargs,
                                   last_error=str(exc)[:2000])
    return task_id


def resend_pending(limit: int = 500) -> dict:
    """Publish the kept tasks, oldest first; stop at the first that fails (the broker is still down).
    A row is deleted once its task was published."""
    sent, left = [], 0
    for pending in PendingTask.objects.order_by("created_at", "id")[:limit]:
        try:
            _publish(pending.task, pending.args, pending.kwargs, pending.task_id)
        except BROKER_ERRORS as exc:
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=str(exc)[:2000])
            left = PendingTask.objects.count()
            log.warning("Hàng đợi vẫn chưa nhận tác vụ (%s); còn %s tác vụ chờ gửi.", exc, left)
            break
        PendingTask.objects.filter(pk=pending.pk).delete()
        sent.append(pending.task_id)
    return {"sent": sent, "left": left}
