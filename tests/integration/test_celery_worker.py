"""A real Celery worker process, started as `make run` starts it, runs a task against the test database.

Filesystem broker in a temporary folder by default; Redis when REDIS_URL is set (the CI's second pass)."""

import os
import re
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection

from config.celery_app import broker_settings, make_broker_folders
from scoring.choices import Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from scoring.tasks import assessment_totals
from units.choices import UnitKind
from units.models import Unit

RESULT_TIMEOUT = 90  # seconds; a cold worker imports Django, WeasyPrint and pandas first

# (code, max score, appraised score or None while not yet appraised)
SCORES = [
    ("1.1", "3.00", "3.00"),
    ("1.2", "2.50", "1.25"),
    ("1.3", "4.00", None),
    ("1.4", "1.00", "0.00"),
    ("1.5", "1.50", "1.50"),
]


def database_url(settings_dict) -> str:
    """A DATABASE_URL naming the database this test process uses (during tests, the test database)."""
    engine, name = settings_dict["ENGINE"], settings_dict["NAME"]
    if engine.endswith("sqlite3"):
        return f"sqlite:///{name}"
    if engine.endswith("postgresql"):
        user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
        host = settings_dict.get("HOST") or ""
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(name, safe='')}"
    raise AssertionError(f"no DATABASE_URL for engine {engine}")


def make_assessment() -> Assessment:
    unit = Unit.objects.create(name="Phòng Thử nghiệm", kind=UnitKind.DEPARTMENT)
    criteria_set = CriteriaSet.objects.create(
        code="worker-test", name="Bộ tiêu chí thử", kind=SetKind.HTNV, year=2023,
        subject_kind=SubjectKind.DEPARTMENT,
    )
    period = Period.objects.create(
        code="2023", name="Năm 2023", kind=PeriodKind.YEAR, year=2023,
        start=date(2022, 12, 15), end=date(2023, 12, 14),
    )
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=unit)
    for position, (code, max_score, appraised) in enumerate(SCORES):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, code=code, name=f"Tiêu chí {code}", level=Level.CRITERION,
            max_score=Decimal(max_score), position=position,
        )
        Score.objects.create(
            assessment=assessment, criterion=criterion,
            appraised_score=Decimal(appraised) if appraised is not None else None,
        )
    return assessment


def expected_totals() -> dict:
    appraised = [(Decimal(m), Decimal(a)) for _, m, a in SCORES if a is not None]
    deducted = [(m, a) for m, a in appraised if a < m]
    return {
        "max_total": sum(m for m, _ in appraised),
        "appraised_total": sum(a for _, a in appraised),
        "deduction_total": sum(a - m for m, a in deducted),
        "deducted_count": len(deducted),
    }


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_runs_a_task_in_a_real_worker_on_the_same_database(tmp_path):
    assessment = make_assessment()  # committed: transaction=True, so the worker process sees it

    fs_dir = tmp_path / "celery"
    broker_url, result_backend, transport_options = broker_settings(settings.REDIS_URL, fs_dir)
    client = Celery("worker-test-client", broker=broker_url, backend=result_backend)
    client.conf.broker_transport_options = transport_options
    make_broker_folders(client.conf)
    queue = f"worker-test-{uuid.uuid4().hex}"  # a queue of our own: no other worker on a shared Redis takes it

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_FS_DIR": str(fs_dir),
        "VAR_DIR": str(tmp_path / "var"),
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
            result = client.send_task(assessment_totals.name, args=[assessment.pk], queue=queue)
            try:
                totals = result.get(timeout=RESULT_TIMEOUT)
            except CeleryTimeout:
                pytest.fail(f"no result within {RESULT_TIMEOUT}s; worker log:\n{log_path.read_text()}")
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    assert totals["assessment"] == assessment.pk
    assert totals["deducted_count"] == expected_totals()["deducted_count"]
    for key in ("max_total", "appraised_total", "deduction_total"):
        assert Decimal(totals[key]) == expected_totals()[key], key
        assert re.fullmatch(r"-?\d+\.\d\d", totals[key]), totals[key]  # two places, as letters print scores
    assert "succeeded" in log_path.read_text()
