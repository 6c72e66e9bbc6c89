"""The worker killed (SIGKILL) in the middle of the nightly import of a large per-dossier export:
nothing is half-written (no batch, no value, the file still in the drop folder), and the next run
of the nightly task imports the file fully.

The kill comes at the worst moment: every metric value written, the transaction not yet committed
(tests/faults/paused_worker.py stops the worker there). The retry: a file leaves the drop folder only
after its import committed, so whatever runs the task again imports it. On Redis (CI's second pass,
as in production) that is the killed task's own message: tasks are acknowledged late, and a message
taken by a worker that died is delivered again after CELERY_VISIBILITY_TIMEOUT (3 s here, an hour
by default), with nobody sending anything. The filesystem broker of the first pass has no such
redelivery: there the retry is the nightly task's next run, sent as the beat would."""

import time
import uuid
from datetime import date

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings

from config.celery_app import app, broker_settings, make_broker_folders
from documents.models import ImportBatch, MetricValue, OverdueDossier
from documents.tasks import NIGHTLY_TASK
from scoring.models import Period
from units.demo import load_registry

from ..documents.dossier_files import hand_counts, make_dossiers, write_csv
from ..integration.test_celery_worker import RESULT_TIMEOUT
from .helpers import Worker, wait_for, worker_env

UNITS = {"UBND xã Vĩnh Khê": 9000, "UBND thị trấn Hồ Xá": 8000, "Phòng Tư pháp": 3000}  # 20,000 dossiers
AS_OF = date(2023, 6, 14)
VISIBILITY_TIMEOUT = 3  # seconds: the killed task's message is delivered again this long after it was taken


def test_tasks_are_acknowledged_after_they_ran():
    # Were they acknowledged on receipt, a killed worker would take the message with it.
    assert app.conf.task_acks_late is True
    assert app.conf.worker_prefetch_multiplier == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_half_written_and_the_next_run_imports_it(tmp_path):
    load_registry()
    Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind="half_year", year=2023,
                          start=date(2022, 12, 15), end=AS_OF)
    drop = tmp_path / "drop"
    drop.mkdir()
    dossiers = [d for unit, n in UNITS.items() for d in make_dossiers(unit, n, late=n // 10, pending_late=3)]
    dropped = write_csv(drop / "2023-H1_ho-so-tthc.csv", dossiers)
    content = dropped.read_bytes()

    fs_dir = tmp_path / "celery"
    broker_url, result_backend, transport_options = broker_settings(settings.REDIS_URL, fs_dir)
    client = Celery("faults-nightly-client", broker=broker_url, backend=result_backend)
    client.conf.broker_transport_options = transport_options
    make_broker_folders(client.conf)
    queue = f"faults-nightly-{uuid.uuid4().hex}"
    marker = tmp_path / "values-written"
    env = worker_env(tmp_path, IMPORT_DROP_DIR=drop, IMPORT_DROP_MIN_AGE=0, FAULT_MARKER=marker)

    paused = Worker(tmp_path, env, queue=queue, module="tests.faults.paused_worker", name="killed-worker")
    try:
        killed_task = client.send_task(NIGHTLY_TASK, queue=queue)
        wait_for(marker.exists, timeout=RESULT_TIMEOUT,
                 message=lambda: f"the import never reached its writes; worker log:\n{paused.log()}")
        assert int(marker.read_text()) > 0  # the values were written inside the transaction
        paused.kill()
    finally:
        paused.stop()

    assert not ImportBatch.objects.exists()
    assert not MetricValue.objects.exists()
    assert not OverdueDossier.objects.exists()
    assert dropped.read_bytes() == content  # still there, unchanged, and not moved anywhere
    assert not (drop / "processed").exists() and not (drop / "failed").exists()

    redelivered = bool(settings.REDIS_URL)
    if redelivered:
        # A worker looks for messages past their visibility timeout as it starts, then only every 100 s
        # (kombu scans on one call in ten, every 10 s): the next worker starts once the killed task's
        # message is older than the timeout, so that its first look finds it.
        time.sleep(VISIBILITY_TIMEOUT + 1)
    worker = Worker(tmp_path, {**env, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}, queue=queue,
                    name="next-worker")
    try:
        retry = killed_task if redelivered else client.send_task(NIGHTLY_TASK, queue=queue)
        try:
            summary = retry.get(timeout=RESULT_TIMEOUT)
        except CeleryTimeout:
            pytest.fail(f"no result within {RESULT_TIMEOUT}s; worker log:\n{worker.log()}")
    finally:
        worker.stop()

    assert summary["imported"] == [dropped.name] and summary["failed"] == [], worker.log()[-3000:]
    if redelivered:  # the killed message itself, run by the next worker: nothing else was sent
        assert worker.log().count(f"[{killed_task.id}] received") == 1
    assert not dropped.exists() and len(list((drop / "processed").glob(f"*_{dropped.name}"))) == 1
    batch = ImportBatch.objects.get()
    assert batch.status == "imported"
    for unit in UNITS:
        expected = hand_counts([d for d in dossiers if d.unit == unit], AS_OF)
        values = {v.key: v.value for v in MetricValue.objects.filter(batch=batch, unit__name=unit)}
        assert {key: int(values[key]) for key in expected} == expected, unit
