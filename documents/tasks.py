"""Celery tasks of documents: thin wrappers over documents.nightly, returning plain JSON values."""

from celery import shared_task

from .nightly import import_drop_folder

NIGHTLY_TASK = "documents.tasks.import_drop_folder_task"


@shared_task(name=NIGHTLY_TASK)
def import_drop_folder_task() -> dict:
    """Import the new files of IMPORT_DROP_DIR (scheduled nightly by the beat, see the migration)."""
    return import_drop_folder()
