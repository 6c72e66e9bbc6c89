"""Redis down: the pages keep working (the cache answers misses, common.cache), and a task asked for
while the broker is down is kept in the outbox (common.outbox) and runs once Redis is back.

Each test starts its own redis-server on a loopback port of 6390–6399 and stops it; the suite's own
Redis (CI's second pass) is never touched."""

import json
import socket
import subprocess
import sys
import time
from datetime import date

import pytest
from celery import Celery
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from common.models import PendingTask
from documents.importing.run import import_file
from documents.models import ImportBatch
from scoring.models import Period
from scoring.tasks import recompute_after_import, recompute_assessments
from units.choices import Role
from units.demo import load_registry

from ..conftest import PASSWORD
from ..documents.dossier_files import make_dossiers, write_csv
from ..integration.test_celery_worker import RESULT_TIMEOUT, make_assessment
from ..pages.workspace import cchc_half_year, load_demo_scores, login
from .helpers import RedisServer, Worker, celery_broker, worker_env


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


def configured_caches(redis_url: str) -> dict:
    """CACHES exactly as the settings build them when REDIS_URL is ``redis_url`` (read in a fresh process)."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"}
    output = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,
                            cwd=settings.BASE_DIR, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_the_settings_use_the_forgiving_cache_with_short_timeouts():
    caches_setting = configured_caches("redis://127.0.0.1:6390/0")

    assert caches_setting["default"]["BACKEND"] == "common.cache.ForgivingRedisCache"
    assert caches_setting["default"]["OPTIONS"]["socket_connect_timeout"] <= 1
    assert caches_setting["default"]["OPTIONS"]["socket_timeout"] <= 1


def test_it_serves_the_pages_and_signs_in_while_redis_is_down(client, db, redis_server, settings):
    load_demo_scores()
    redis_server.start()
    redis_server.stop()  # Redis went down
    settings.CACHES = configured_caches(redis_server.url())
    # Django's own Redis cache would fail on this server: the forgiving one is what keeps the pages up.
    with pytest.raises(RedisConnectionError):
        RedisCache(redis_server.url(), {}).get("x")
    assert caches["default"].get("anything", "miss") == "miss"

    wrong = client.post(reverse("login"), {"username": "reviewer", "password": "sai"})
    assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.content.decode()
    login(client, "reviewer")  # the throttle's counters are in the dead cache: sign-in still works

    for url in [reverse("home"), reverse("dashboard", args=["2023"]), reverse("assessment", args=[cchc_half_year().pk]),
                reverse("unit-list"), reverse("analysis"), reverse("documents:batches")]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_a_redis_that_does_not_answer_costs_a_fraction_of_a_second(db, settings):
    # A listening socket that never answers: the connection is accepted by the kernel, then silence.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.CACHES = configured_caches(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")

        started = time.monotonic()
        assert caches["default"].get("key", "miss") == "miss"
        caches["default"].set("key", "value")
        elapsed = time.monotonic() - started

    assert elapsed < 3, elapsed


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_asked_for_while_redis_is_down_runs_when_it_returns(client, make_user, redis_server, tmp_path):
    assessment = make_assessment()
    # Of no unit: the test unit is outside Vĩnh Linh's tree, which a reviewer of one of its units is kept to.
    reviewer = make_user("xu-ly", Role.REVIEWER)
    load_registry()
    period = Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind="half_year", year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 6, 14))
    export = write_csv(tmp_path / "ho-so.csv", make_dossiers("UBND xã Vĩnh Khê", 30, late=3))
    redis_server.start()
    redis_server.stop()

    with celery_broker(redis_server.url()):
        assert client.login(username="xu-ly", password=PASSWORD)
        started = time.monotonic()
        page = client.post(reverse("analysis-recompute", args=[assessment.pk]))
        outcome = import_file(export, period=period, acting_user=reviewer)  # store_batch enqueues on commit
        elapsed = time.monotonic() - started

    assert page.status_code == 302  # the reviewer is told the recompute was asked for, not shown an error
    assert outcome.stored is not None and outcome.stored.created
    batch = ImportBatch.objects.get()
    kept = {p.task: p for p in PendingTask.objects.all()}
    assert set(kept) == {recompute_assessments.name, recompute_after_import.name}
    assert kept[recompute_assessments.name].args == [[assessment.pk], reviewer.pk]
    assert kept[recompute_after_import.name].args == [batch.pk]
    assert elapsed < 5, elapsed  # the broker was tried briefly, not waited for

    redis_server.start()  # Redis is back; a worker starting sends what waited (the beat would, every minute)
    worker = Worker(tmp_path, worker_env(tmp_path, REDIS_URL=redis_server.url()))
    results = Celery("faults-client", broker=redis_server.url(), backend=redis_server.url())
    try:
        try:
            by_task = {name: results.AsyncResult(p.task_id).get(timeout=RESULT_TIMEOUT) for name, p in kept.items()}
        except CeleryTimeout:
            pytest.fail(f"the kept tasks did not run within {RESULT_TIMEOUT}s; worker log:\n{worker.log()}")
    finally:
        worker.stop()

    assert by_task[recompute_assessments.name]["assessments"] == [assessment.pk]
    assert by_task[recompute_after_import.name]["batch"] == batch.pk
    assert not PendingTask.objects.exists()  # sent, so no longer kept
