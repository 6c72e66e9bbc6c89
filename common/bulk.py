"""Insert or update many rows of plain values at once, without building a model instance per row.

bulk_create builds and compiles every object: at province size (tens of thousands of audit rows after
a recompute) that is most of the time spent. ``insert_rows`` takes tuples of column values and sends
them in one statement: PostgreSQL's COPY FROM STDIN (CSV), about four times faster there than
bulk_create's INSERTs; elsewhere (SQLite) one executemany of a parameterised INSERT.

It runs inside the caller's transaction and bypasses what bulk_create would do per object: no
defaults, no auto_now(_add), no signals, no primary keys set back. The caller gives every column it
means to write, by the field's attname (``batch_id``, not ``batch``).

``update_rows`` sets columns of existing rows, each row to its own values. On PostgreSQL one
``UPDATE … FROM unnest(arrays)`` whatever the number of rows: the values travel as one array per
column, so there is no limit on parameters and the server plans one join instead of a statement per
value. Elsewhere (SQLite) one UPDATE per distinct set of values, in chunks of ids that every SQLite
accepts as parameters: few statements when the values repeat, as scores with two decimals do."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.db import connection as default_connection
from django.db import models
from django.db.models import F


def insert_rows(model, fields: list[str], rows, *, connection=None) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``, attnames) into ``model``'s table.

    Returns the number of rows sent. Nothing is returned about the rows themselves (no ids)."""
    connection = connection or default_connection
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    for name, column in zip(fields, columns):
        if meta.get_field(name).attname != name:
            raise ValueError(f"insert_rows() takes attnames: {name!r} is not one (its column is {column!r})")
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The CSV is made chunk by chunk as psycopg2 reads it: the server stores one chunk while the
            # next is made (a tenth less time for a province's audit rows) and no whole copy is held.
            # cursor.cursor is psycopg2's own cursor; Django's wrapper has no copy_expert.
            cursor.cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN WITH (FORMAT csv)",
                                      _LineReader(map(_csv_line, rows)), size=COPY_CHUNK)
        else:
            adapt = _adapters(meta, fields, connection)
            if adapt:
                rows = [tuple(fn(v) if fn and v is not None else v for fn, v in zip(adapt, row)) for row in rows]
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows)
    return len(rows)


def update_rows(model, key_field: str, fields: list[str], rows, *, also: dict | None = None, increment=(),
                connection=None) -> int:
    """Set ``fields`` (attnames) of the rows of ``model`` named by ``key_field``, each to its own values.

    ``rows`` are tuples (key, value of fields[0], …), their keys distinct. ``also`` gives columns set to
    one value in every row (``updated_at``); ``increment`` names integer columns raised by one
    (``version``). Runs inside the caller's transaction; no signals, no auto_now. Returns the rows
    updated (a key that names no row updates nothing)."""
    connection = connection or default_connection
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    if len({row[0] for row in rows}) != len(rows):
        raise ValueError("update_rows() takes each key once: a key given twice would leave its value to chance")
    also = also or {}
    meta = model._meta
    for name in (key_field, *fields, *also, *increment):
        if meta.get_field(name).attname != name:
            raise ValueError(f"update_rows() takes attnames: {name!r} is not one")
    if connection.vendor == "postgresql":
        return _update_from_arrays(meta, key_field, fields, rows, also, increment, connection)
    manager = model._base_manager.using(connection.alias)
    raised = {name: F(name) + 1 for name in increment}
    by_values = {}
    for key, *values in rows:
        by_values.setdefault(tuple(values), []).append(key)
    updated = 0
    for values, keys in by_values.items():
        for start in range(0, len(keys), 900):
            updated += manager.filter(**{f"{key_field}__in": keys[start:start + 900]}).update(
                **dict(zip(fields, values)), **also, **raised)
    return updated


def _update_from_arrays(meta, key_field, fields, rows, also, increment, connection) -> int:
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    names = [key_field, *fields]
    columns = [quote(meta.get_field(name).column) for name in names]
    # One typed array per column, sent as the text of an array literal ('{1,2,NULL}'::bigint[]): the
    # server reads it with the column type's own input function, where a psycopg2 list (ARRAY[…] with
    # an expression per element) cost a tenth of a second to parse at 20.000 rows.
    arrays = [f"%s::{meta.get_field(name).cast_db_type(connection)}[]" for name in names]
    params = [_array_literal(row[i] for row in rows) for i in range(len(names))]
    assignments = [f"{column} = v.{column}" for column in columns[1:]]
    assignments += [f"{quote(meta.get_field(name).column)} = {table}.{quote(meta.get_field(name).column)} + 1"
                    for name in increment]
    also_params = []
    for name, value in also.items():
        field = meta.get_field(name)
        assignments.append(f"{quote(field.column)} = %s")
        also_params.append(field.get_db_prep_value(value, connection))
    sql = (f"UPDATE {table} SET {', '.join(assignments)} "
           f"FROM unnest({', '.join(arrays)}) AS v({', '.join(columns)}) "
           f"WHERE {table}.{columns[0]} = v.{columns[0]}")
    with connection.cursor() as cursor:
        cursor.execute(sql, also_params + params)
        return cursor.rowcount


def _adapters(meta, fields, connection) -> list:
    """Per column, what Django would do to a value before SQLite sees it where the driver's own
    adaptation differs (aware datetimes are stored as naive UTC text); None where nothing is needed."""
    found = []
    for name in fields:
        field = meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            found.append(connection.ops.adapt_datetimefield_value)
        else:
            found.append(None)
    return found if any(found) else []


def _csv_field(value) -> str:
    """One CSV field as COPY reads it: an unquoted empty field is NULL, a quoted one is text (so an
    empty string stays an empty string, never NULL)."""
    if value is None:
        return ""
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    return '"' + text.replace('"', '""') + '"'


def _array_element(value) -> str:
    if value is None:
        return "NULL"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    text = value.isoformat() if isinstance(value, (datetime, date)) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _array_literal(values) -> str:
    """PostgreSQL's text form of a one-dimensional array: NULL unquoted, text always quoted (so the
    string "NULL" stays a string), backslash and double quote escaped inside the quotes."""
    return "{" + ",".join([_array_element(v) for v in values]) + "}"


def _csv_line(row) -> str:
    return ",".join([_csv_field(v) for v in row]) + "\n"


COPY_CHUNK = 1 << 16


class _LineReader(io.TextIOBase):
    """A read-only text file over an iterator of lines, made as they are read."""

    def __init__(self, lines):
        self._lines = iter(lines)
        self._rest = ""

    def readable(self) -> bool:
        return True

    def read(self, size=-1) -> str:
        size = -1 if size is None else size
        parts, length = [self._rest], len(self._rest)
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        text = "".join(parts)
        if size < 0:
            self._rest = ""
            return text
        self._rest = text[size:]
        return text[:size]
