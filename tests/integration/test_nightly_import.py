"""The nightly import in a real Celery worker: a file dropped in IMPORT_DROP_DIR is imported by the
worker process into the test database and moved to processed/ with its report.

Same broker set-up as test_celery_worker: the filesystem one in a temporary folder, or Redis when
REDIS_URL is set (the CI's second pass)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import date

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection

from config.celery_app import broker_settings, make_broker_folders
from documents.models import ImportBatch, MetricValue
from documents.tasks import NIGHTLY_TASK
from scoring.models import Period
from units.demo import load_registry

from ..documents.seeds import expected_values, write_layout
from .test_celery_worker import RESULT_TIMEOUT, database_url


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_dropped_file(tmp_path):
    load_registry()  # committed: transaction=True, so the worker process sees it
    Period.objects.create(code="2023-R1", name="Năm 2023, lần 1", kind="round", year=2023,
                          start=date(2022, 12, 15), end=date(2023, 12, 8))
    drop = tmp_path / "drop"
    drop.mkdir()
    shutil.move(write_layout("000-2", "as_exported", tmp_path), drop / "2023-R1_van-ban-den.xlsx")

    fs_dir = tmp_path / "celery"
    broker_url, result_backend, transport_options = broker_settings(settings.REDIS_URL, fs_dir)
    client = Celery("nightly-test-client", broker=broker_url, backend=result_backend)
    client.conf.broker_transport_options = transport_options
    make_broker_folders(client.conf)
    queue = f"nightly-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_FS_DIR": str(fs_dir),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "IMPORT_DROP_DIR": str(drop),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--queues", queue,
             "--without-mingle", "--without-gossip", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            # The file was written seconds ago: the task's default settle time (IMPORT_DROP_MIN_AGE)
            # would leave it for the next run, so wait it out rather than change the task's arguments.
            result = client.send_task(NIGHTLY_TASK, queue=queue, countdown=6)
            try:
                summary = result.get(timeout=RESULT_TIMEOUT)
            except CeleryTimeout:
                pytest.fail(f"no result within {RESULT_TIMEOUT}s; worker log:\n{log_path.read_text()}")
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    assert summary == {"imported": ["2023-R1_van-ban-den.xlsx"], "unchanged": [], "failed": [], "left": []}, \
        log_path.read_text()[-3000:]
    assert not (drop / "2023-R1_van-ban-den.xlsx").exists()
    (moved,) = (drop / "processed").glob("*_2023-R1_van-ban-den.xlsx")
    report = json.loads(moved.with_name(moved.name + ".report.json").read_text(encoding="utf-8"))
    assert report["errors"] == [] and report["period"] == "2023-R1"
    batch = ImportBatch.objects.get()
    assert (batch.pk, batch.source, batch.period.code) == (report["batch"], "incoming", "2023-R1")
    expected = expected_values("000-2")
    stored = {}
    for value in MetricValue.objects.filter(batch=batch).select_related("unit"):
        stored.setdefault(value.unit.name, {})[value.key] = value.value
    assert sorted(sorted(v.items()) for v in stored.values()) == sorted(sorted(v.items()) for v in expected.values())
