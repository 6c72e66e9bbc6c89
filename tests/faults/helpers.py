"""What the fault tests start and stop: a private redis-server on a loopback port of 6390–6399, a
real Celery worker process on the test database, the in-process Celery app pointed at a broker.

redis-server must be installed (Debian package redis-server): the tests fail, never skip, without it."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ..integration.test_celery_worker import database_url

REDIS_PORTS = range(6390, 6400)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A throwaway redis-server (no persistence) that a test stops and starts again on the same port."""

    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (Debian package redis-server); the fault tests need it")
        self.binary = binary
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = next((p for p in REDIS_PORTS if port_is_free(p)), None)
        if self.port is None:
            pytest.fail(f"no free port for a private redis-server in {REDIS_PORTS}")
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--protected-mode", "no"],
            stdout=open(self.folder / "redis.log", "ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"redis-server did not start on {self.port}:\n{(self.folder / 'redis.log').read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        deadline = time.monotonic() + 5
        while not port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)


def worker_env(tmp_path: Path, **extra) -> dict:
    """The environment of a worker process on this test's database, tasks not eager."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_FS_DIR": str(tmp_path / "celery"),
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Worker:
    """``python -m <module> -A config worker --pool=solo`` with its log in a file; stopped at the end."""

    def __init__(self, tmp_path: Path, env: dict, *, queue: str = "celery", module: str = "celery", name: str = "worker"):
        self.log_path = tmp_path / f"{name}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, "-A", "config", "worker", "--pool=solo", "--queues", queue,
             "--without-mingle", "--without-gossip", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that a kill reaches nothing of ours
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL, as the OOM killer or a power cut would: no cleanup, no ack, no rollback by the worker."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery app at ``url`` with tasks really sent (not eager), then restore."""
    from config.celery_app import app

    saved = {key: app.conf[key] for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    app.conf.update(broker_url=url, broker_transport_options={}, task_always_eager=False)
    app._pool = None  # connection and producer pools are built from the URL once: build them again
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def wait_for(predicate, *, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(message() if callable(message) else message)
        time.sleep(0.1)
