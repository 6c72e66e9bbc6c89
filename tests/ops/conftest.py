"""A second, fresh database for the restore (SQLite file, or a new PostgreSQL database when the suite
runs on PostgreSQL), and a way to run manage.py against it in its own process."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


@contextmanager
def fresh_database_url(folder: Path):
    """The URL of an empty database of the same kind as the test database; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / 'restored.sqlite3'}"
        return
    import psycopg2

    db = settings.DATABASES["default"]
    name = f"cchc_backup_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    params = dict(dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432)
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        user = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        yield f"postgres://{user}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def other_site(tmp_path):
    """manage.py in its own process, on a fresh database and its own MEDIA_ROOT: a second server."""
    with fresh_database_url(tmp_path) as url:
        media = tmp_path / "restored-media"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url,
               "VAR_DIR": str(tmp_path / "restored-var"), "MEDIA_ROOT": str(media)}

        def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
            result = subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=env,
                                    capture_output=True, text=True, timeout=300)
            if check and result.returncode != 0:
                raise AssertionError(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
            return result

        run.media = media
        yield run
