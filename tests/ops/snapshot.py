"""Every row of every table, comparable between two databases (imported by the tests and run in the
restored database's own process).

Rows are read through each model's concrete columns, the auto-created many-to-many tables included.
Content types and permissions are made by each database's own `migrate`, so their ids may differ
between two databases: they, and every column pointing at them, are compared by natural key."""

import json

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

SKIPPED = {
    "sessions.session",  # logins are not backed up: everyone signs in again after a restore
    # Beat's one-row "schedule changed at" marker: loading the schedule sets it to now, as it should,
    # so that a running beat reloads the restored schedule.
    "django_celery_beat.periodictasks",
}


def _natural(model, pk):
    obj = model._base_manager.get(pk=pk)
    return ["natural", *obj.natural_key()] if hasattr(obj, "natural_key") else pk


def table_rows() -> dict[str, list[str]]:
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED:
            continue
        fields = meta.concrete_fields
        by_key = {ContentType, Permission}
        values = []
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            cells = []
            for f, value in zip(fields, row):
                if model in by_key and f.primary_key:
                    continue  # compared by natural key below
                if meta.auto_created and f.primary_key:
                    # A many-to-many row is its two ends: the backup stores the relation as a list on
                    # its owner, so the restored rows get the target's next ids (on PostgreSQL a
                    # sequence that earlier tests advanced).
                    continue
                if f.is_relation and f.related_model in by_key and value is not None:
                    value = _natural(f.related_model, value)
                cells.append(value)
            if model in by_key:
                cells.append(_natural(model, row[0]))
            values.append(json.dumps(cells, default=repr, ensure_ascii=False))
        rows[meta.db_table] = sorted(values)
    return rows


def print_snapshot() -> None:
    """Print the rows as JSON; run in the restored database's own process (see SNAPSHOT_SCRIPT)."""
    print(json.dumps(table_rows(), ensure_ascii=False))


SNAPSHOT_SCRIPT = "import django; django.setup(); from tests.ops.snapshot import print_snapshot; print_snapshot()"
