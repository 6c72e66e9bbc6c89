"""The Celery application; each app's tasks.py is found by autodiscovery.

Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport, which needs no server
but needs its folders to exist before a worker or a sender touches them."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def broker_settings(redis_url: str, fs_dir: Path, visibility_timeout: int = 3600) -> tuple[str, str, dict]:
    """(broker URL, result backend, transport options) for Redis, or for the filesystem under ``fs_dir``.

    On Redis a task taken by a worker that died before acknowledging it (tasks are acknowledged late)
    is delivered again ``visibility_timeout`` seconds after it was taken; the filesystem broker has no
    such redelivery: there the nightly run is the retry.

    Settings and the worker integration test both build their configuration here, so that a
    client and a worker given the same inputs always meet on the same broker."""
    if redis_url:
        return redis_url, redis_url, {"visibility_timeout": visibility_timeout}
    fs_dir = Path(fs_dir)
    broker = str(fs_dir / "broker")
    return (
        "filesystem://",
        f"file://{fs_dir / 'results'}",
        {"data_folder_in": broker, "data_folder_out": broker, "control_folder": str(fs_dir / "control")},
    )


def make_broker_folders(conf) -> None:
    """Create the filesystem broker's folders and the file result backend's folder, if used."""
    if not str(conf.broker_url or "").startswith("filesystem://"):
        return
    options = conf.broker_transport_options or {}
    folders = [options.get(key) for key in ("data_folder_in", "data_folder_out", "control_folder")]
    backend = str(conf.result_backend or "")
    if backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    for folder in filter(None, folders):
        Path(folder).mkdir(parents=True, exist_ok=True)


app = Celery("cchc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    make_broker_folders(sender.conf)
