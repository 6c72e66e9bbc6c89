"""A Celery worker whose imports stop half-way: run as ``python -m tests.faults.paused_worker -A config worker ...``.

When a transaction holding metric values is about to commit (store_batch has written them all),
the worker writes the file named by FAULT_MARKER and sleeps, so that the test can kill it at exactly
that point: rows written, nothing committed. Test code only; the application never imports this."""

import os
import sys
import time
from pathlib import Path

import django


def pause_after_writing_values() -> None:
    """Stop at the commit of a transaction that holds metric values: whatever way store_batch
    writes them (bulk_create, COPY, executemany), they are in the database and not yet committed."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    original = BaseDatabaseWrapper.commit

    def commit(self):
        with self.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM documents_metricvalue")
            written = cursor.fetchone()[0]
        if written:
            Path(os.environ["FAULT_MARKER"]).write_text(str(written))
            time.sleep(600)  # the test kills the worker long before this ends
        return original(self)

    BaseDatabaseWrapper.commit = commit


if __name__ == "__main__":
    django.setup()
    pause_after_writing_values()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
