"""Settings come from the environment: defaults that need no server, PostgreSQL and Redis by URL,
a production mode that passes Django's deployment check. Each case runs in a fresh process,
since settings are read once per process."""

import json
import os
import secrets
import subprocess
import sys
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import formats, translation

BASE_DIR = settings.BASE_DIR

# What a process started by these tests may inherit from the caller (the CI's second pass sets some).
OUR_VARIABLES = (
    "DATABASE_URL", "REDIS_URL", "CELERY_FS_DIR", "VAR_DIR", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_HSTS_SECONDS",
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
)

SHOW_SETTINGS = """
import json
from django.conf import settings
from config.celery_app import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": app.conf.broker_url, "backend": app.conf.result_backend,
    "transport": app.conf.broker_transport_options,
    "beat": app.conf.beat_scheduler,
}))
"""


def run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )


def show_settings(**env) -> dict:
    done = run(["-c", SHOW_SETTINGS], DJANGO_SETTINGS_MODULE="config.settings.local", **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def production_env(**extra):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": "postgres://cchc:secret@db:5432/cchc",
        "REDIS_URL": "redis://redis:6379/0",
        "DJANGO_ALLOWED_HOSTS": "cchc.vinhlinh.example.vn",
        **extra,
    }


def test_it_needs_no_server_by_default(tmp_path):
    shown = show_settings(VAR_DIR=str(tmp_path))

    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["name"] == str(tmp_path / "db.sqlite3")
    assert shown["broker"] == "filesystem://"
    assert shown["backend"] == f"file://{tmp_path / 'celery' / 'results'}"
    assert shown["cache"].endswith("LocMemCache")
    assert shown["beat"] == "django_celery_beat.schedulers:DatabaseScheduler"
    # kombu's filesystem transport lists these folders; it does not create them
    for folder in ("broker", "control", "results"):
        assert (tmp_path / "celery" / folder).is_dir(), folder


def test_it_puts_the_filesystem_broker_where_celery_fs_dir_says(tmp_path):
    shown = show_settings(VAR_DIR=str(tmp_path / "var"), CELERY_FS_DIR=str(tmp_path / "queue"))

    assert shown["transport"]["data_folder_in"] == str(tmp_path / "queue" / "broker")
    assert shown["transport"]["data_folder_out"] == str(tmp_path / "queue" / "broker")
    assert (tmp_path / "queue" / "broker").is_dir()
    assert not (tmp_path / "var" / "celery").exists()


def test_it_switches_to_postgresql_and_redis_by_url(tmp_path):
    shown = show_settings(
        VAR_DIR=str(tmp_path), DATABASE_URL="postgres://cchc:secret@db.example:5433/cchc",
        REDIS_URL="redis://redis.example:6379/2",
    )

    assert shown["engine"] == "django.db.backends.postgresql"
    assert (shown["name"], shown["host"]) == ("cchc", "db.example")
    assert shown["broker"] == shown["backend"] == "redis://redis.example:6379/2"
    assert shown["cache"].endswith("RedisCache")
    assert not (tmp_path / "celery").exists()


def test_it_passes_the_deployment_check_in_production():
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_it_refuses_to_start_production_without_a_database_url():
    env = production_env()
    del env["DATABASE_URL"]
    done = run(["manage.py", "check", "--deploy"], **env)

    assert done.returncode != 0
    assert "DATABASE_URL must be set in production" in done.stderr


def test_it_refuses_a_short_or_development_secret_key_in_production():
    for key in ("too-short", "dev-only-insecure-key-change-me" + "x" * 40):
        done = run(["manage.py", "check", "--deploy"], **production_env(DJANGO_SECRET_KEY=key))
        assert done.returncode != 0, key
        assert "DJANGO_SECRET_KEY" in done.stderr


def test_it_rejects_a_bad_boolean_loudly():
    done = run(["manage.py", "check"], DJANGO_SETTINGS_MODULE="config.settings.local", DJANGO_DEBUG="maybe")

    assert done.returncode != 0
    assert "DJANGO_DEBUG must be true/false, got 'maybe'" in done.stderr


def test_it_speaks_vietnamese_in_the_local_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert formats.number_format(Decimal("23.41"), 2) == "23,41"
        assert formats.date_format(date(2023, 12, 15), "SHORT_DATE_FORMAT") == "15/12/2023"
        field = forms.DateField()
        assert field.clean("15/12/2023") == date(2023, 12, 15)
        assert forms.DecimalField(localize=True).clean("23,41") == Decimal("23.41")
