"""PostgreSQL restarted under a running application → the next request is answered, not a 500.

A real server restart, not a simulation: the application runs as in production (gunicorn, persistent
connections health-checked before reuse: CONN_MAX_AGE > 0, CONN_HEALTH_CHECKS) on a PostgreSQL server
of this test's own (tests/faults/postgres.py), which the test restarts with ``pg_ctl restart -m fast``
and, in the second test, stops for a while. The same on both CI passes: the suite's own database is
never touched."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import psycopg2
import pytest
from django.conf import settings

from .helpers import port_is_free, wait_for
from .postgres import PostgresServer

USERNAME, PASSWORD = "quan-tri-thu", "khoi-dong-lai-2026"


def _free_port() -> int:
    return next(p for p in range(8300, 8400) if port_is_free(p))


class App:
    """gunicorn serving the project on ``database_url``, with a signed-in browser-like client."""

    def __init__(self, tmp_path, database_url: str):
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "DB_CONN_MAX_AGE": "600",
            "VAR_DIR": str(tmp_path / "var"),
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "DJANGO_SUPERUSER_USERNAME": USERNAME,
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            "DJANGO_SUPERUSER_EMAIL": "quan-tri@example.vn",
        }
        self.manage("migrate", "--noinput")
        self.manage("createsuperuser", "--noinput")
        self.port = _free_port()
        self.log = tmp_path / "gunicorn.log"
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "2", "--worker-class", "gthread", "--timeout", "60"],
            cwd=settings.BASE_DIR, env=self.env, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        wait_for(lambda: self._answers(), timeout=60, message=lambda: f"gunicorn did not start:\n{self.log_text()}")
        self.sign_in()

    def manage(self, *args: str) -> None:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=self.env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def _answers(self) -> bool:
        if self.server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{self.log_text()}")
        try:
            self.get("/dang-nhap/")
            return True
        except OSError:
            return False

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self) -> None:
        status, page = self.get("/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/dang-nhap/", data=form.encode(),
                                         headers={"Referer": f"http://127.0.0.1:{self.port}/dang-nhap/"})
        try:
            with self.opener.open(request, timeout=30) as response:
                assert response.status == 200 and USERNAME in response.read().decode()
        except (AssertionError, urllib.error.HTTPError) as failure:
            pytest.fail(f"sign-in failed ({failure}):\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()


# One server and one application for the module: migrating takes longer than both tests, and the
# second starts from wherever the first left the server (running).
@pytest.fixture(scope="module")
def server():
    postgres = PostgresServer()
    try:
        postgres.start()
        postgres.create_database("cchc")
        yield postgres
    finally:
        postgres.remove()


@pytest.fixture(scope="module")
def app(tmp_path_factory, server):
    running = App(tmp_path_factory.mktemp("app"), server.url("cchc"))
    yield running
    running.stop()


def app_sessions(server) -> list[int]:
    """Process ids of the server's sessions on the application's database (this query's own excluded)."""
    with psycopg2.connect(server.url("cchc")) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = 'cchc' AND pid <> pg_backend_pid()")
        return sorted(row[0] for row in cursor.fetchall())


def test_the_next_request_after_a_postgresql_restart_is_answered(app, server):
    status, page = app.get("/")
    assert status == 200 and USERNAME in page
    held = app_sessions(server)
    assert held, "the application should keep its connection open between requests (CONN_MAX_AGE)"

    server.restart()

    status, page = app.get("/")
    assert status == 200 and USERNAME in page, f"{status}\n{app.log_text()[-3000:]}"
    assert app_sessions(server), "the application connected again"


def test_while_postgresql_is_down_the_page_says_so_and_it_answers_again_when_it_is_back(app, server):
    assert app.get("/")[0] == 200

    server.stop()
    status, page = app.get("/")
    assert status == 503
    assert "Cơ sở dữ liệu tạm thời không trả lời" in page
    assert "Traceback" not in page and "psycopg2" not in page

    server.start()
    deadline = time.monotonic() + 30
    while (answer := app.get("/"))[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert answer[0] == 200 and USERNAME in answer[1]
