"""A Celery worker whose imports stop half-way: run as ``python -m tests.faults.paused_worker -A config worker ...``.

After store_batch has written the metric values, inside its transaction and before it commits, the
worker writes the file named by FAULT_MARKER and sleeps, so that the test can kill it at exactly
that point: rows written, nothing committed. Test code only; the application never imports this."""

import os
import sys
import time
from pathlib import Path

import django


def pause_after_writing_values() -> None:
    from documents.models import MetricValue

    manager = MetricValue.objects
    original = manager.bulk_create

    def bulk_create(objs, *args, **kwargs):
        created = original(objs, *args, **kwargs)
        Path(os.environ["FAULT_MARKER"]).write_text(str(len(created)))
        time.sleep(600)  # the test kills the worker long before this ends
        return created

    manager.bulk_create = bulk_create


if __name__ == "__main__":
    django.setup()
    pause_after_writing_values()
    from celery.__main__ import main

    sys.argv[0] = "celery"
    sys.exit(main())
