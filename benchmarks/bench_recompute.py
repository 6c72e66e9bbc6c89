"""Recompute benchmark: a province-sized load, 300 units × 120 criteria × 3 periods (900 assessments,
108.000 scores; 24 criteria of each set scored from metrics), fully recomputed.

Figures: ``compute_seconds`` (every proposal and every total, in memory), ``store_first_seconds`` (the
first recompute: every proposal written with its audit row), ``store_again_seconds`` (a full recompute
when nothing changed: read, compare, write nothing), ``after_import_seconds`` (one source of one period
changed: find the dependent assessments, recompute and store them); each with the part of it spent writing
the score traces (scoring.trace) beside it. ``cpu_seconds`` gives this process's CPU time for each and,
on PostgreSQL on the same machine, ``database_cpu_seconds`` the server process's: on a shared machine
the wall clock also counts the waits for a core. Target: each of the three writes under 2 s.
Measured on both databases the project runs on, each in a process of its own (``run``): SQLite, and
PostgreSQL on the server DATABASE_URL names or, without one, on 127.0.0.1:5432 (``"postgresql"`` says why
when no server answers). Each builds its own throwaway test database with bulk_create (``run_here``) and
never touches var/db.sqlite3 or the named database."""

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import connection

UNITS = 300
CRITERIA = 120
PERIODS = ("2023-H1", "2023-R1", "2023")
TARGET_SECONDS = 2.0
FORMULAS = [
    {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]},
    {"type": "rate", "numerator": ["outgoing_signed"], "denominator": ["outgoing_total"]},
    {"type": "rate", "numerator": ["outgoing_leader_signed"], "denominator": ["outgoing_total"]},
    {"type": "steps", "numerator": ["dvc_full_online_dossiers"], "denominator": ["dvc_full_dossiers"],
     "steps": [{"min": "70", "share": "1"}, {"min": "50", "share": "0.5"}]},
]
SOURCES = {
    "incoming": ("incoming_total", "incoming_replied", "incoming_closed"),
    "outgoing": ("outgoing_total", "outgoing_signed", "outgoing_leader_signed"),
    "online_services": ("dvc_full_dossiers", "dvc_full_online_dossiers"),
}


def _values(key: str, unit: int, period: int) -> Decimal:
    total = 200 + (unit * 37 + period * 11) % 500
    if key.endswith(("_total", "_dossiers")) and "online" not in key:
        return Decimal(total)
    return Decimal(total * (40 + (unit * 7 + period * 3 + len(key)) % 55) // 200)  # roughly 20 – 47 % of the total each


def build() -> dict:
    from documents.models import ImportBatch, MetricValue
    from scoring.choices import Level, Method, PeriodKind, SetKind, SubjectKind
    from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
    from units.choices import UnitKind
    from units.models import Unit

    province = Unit.objects.create(name="UBND tỉnh (thử)", kind=UnitKind.AUTHORITY)
    units = Unit.objects.bulk_create([
        Unit(name=f"UBND xã thử {i:03d}", kind=UnitKind.COMMUNE, parent=province, sort_order=i) for i in range(UNITS)
    ])
    periods = Period.objects.bulk_create([
        Period(code=code, name=code, kind=PeriodKind.YEAR, year=2023, start=date(2022, 12, 15), end=date(2023, 12, 14))
        for code in PERIODS
    ])
    criteria_set = CriteriaSet.objects.create(code="XA-THU", name="Bộ thử", kind=SetKind.CCHC, year=2023,
                                              subject_kind=SubjectKind.COMMUNE)
    areas = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, code=str(a), name=f"Lĩnh vực {a}", level=Level.AREA,
                  max_score=Decimal(CRITERIA // 8 * 2), position=a * 1000)
        for a in range(1, 9)
    ])
    leaves = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, parent=areas[i % 8], code=f"{i % 8 + 1}.{i}", name=f"Tiêu chí {i}",
                  level=Level.CRITERION, max_score=Decimal(2), position=(i % 8 + 1) * 1000 + i,
                  method=Method.METRIC if i % 5 == 0 else Method.MANUAL,
                  formula=FORMULAS[(i // 5) % len(FORMULAS)] if i % 5 == 0 else {})
        for i in range(CRITERIA)
    ])
    assessments = Assessment.objects.bulk_create([
        Assessment(criteria_set=criteria_set, period=period, subject=unit) for period in periods for unit in units
    ])
    Score.objects.bulk_create([
        Score(assessment=a, criterion=c, self_score=Decimal(2), appraised_score=Decimal("1.5"))
        for a in assessments for c in leaves
    ], batch_size=5000)
    for p, period in enumerate(periods):
        for source, keys in SOURCES.items():
            batch = ImportBatch.objects.create(file_name=f"{source}.xlsx", sha256=f"{p}{source}".ljust(64, "0"),
                                               source=source, period=period)
            MetricValue.objects.bulk_create([
                MetricValue(batch=batch, unit=unit, period=period, key=key, value=_values(key, u, p))
                for u, unit in enumerate(units) for key in keys
            ], batch_size=5000)
    return {"assessments": len(assessments), "scores": len(assessments) * len(leaves),
            "metric_criteria": sum(1 for c in leaves if c.method != Method.MANUAL),
            "metric_values": MetricValue.objects.count()}


CPU = {}  # figure name → this process's CPU seconds for it
DATABASE_CPU = {}  # figure name → the PostgreSQL server process's CPU seconds for it (same machine only)


def _server_cpu(pid):
    """CPU seconds (user + system) of the PostgreSQL backend serving this connection, read from /proc;
    None where it cannot be read (SQLite runs inside this process, a remote server elsewhere)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(fn, name=None, server_pid=None):
    """(wall seconds, value). The process's CPU seconds go to CPU[name] and, on PostgreSQL, the server
    process's to DATABASE_CPU[name]: on a machine shared with other work the wall clock also counts
    the waits for a core, the CPU times do not (neither counts the server's disk flushes)."""
    started, cpu, server = time.perf_counter(), time.process_time(), _server_cpu(server_pid)
    value = fn()
    if name:
        CPU[name] = round(time.process_time() - cpu, 3)
        if server is not None:
            DATABASE_CPU[name] = round(_server_cpu(server_pid) - server, 2)
    return time.perf_counter() - started, value


class _TraceClock:
    """Time spent in scoring.trace.store_traces (the provenance rows store_computed_for writes beside
    the proposals), so that the figures say which part of a recompute costs what."""

    def __init__(self):
        self.seconds = 0.0

    def __enter__(self):
        from scoring import trace

        self.original = trace.store_traces

        def timed(results):
            started = time.perf_counter()
            try:
                return self.original(results)
            finally:
                self.seconds += time.perf_counter() - started

        trace.store_traces = timed
        return self

    def __exit__(self, *exc):
        from scoring import trace

        trace.store_traces = self.original

    def take(self) -> float:
        seconds, self.seconds = self.seconds, 0.0
        return round(seconds, 3)


def _postgres_url() -> tuple[str | None, str]:
    """(a DATABASE_URL on a PostgreSQL server that answers, or None; which server and why)."""
    import dj_database_url

    given = os.environ.get("DATABASE_URL", "").strip()
    url = given if given.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/cchc"
    parts = dj_database_url.parse(url)
    host, port = parts["HOST"] or "127.0.0.1", int(parts["PORT"] or 5432)
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return None, f"nothing answers on {host}:{port}"
    return url, f"{host}:{port} ({'DATABASE_URL' if url == given else 'DATABASE_URL not set: local server'})"


def _in_process(database_url: str | None) -> dict:
    """run_here() in a fresh interpreter on the given database (None: SQLite), its figures read from the
    last line it prints: Django binds a process to one database engine."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    code = ("import json, django; django.setup(); from benchmarks.bench_recompute import run_here; "
            "print(json.dumps(run_here(), default=str))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent, env=env,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> dict:
    """The same load on SQLite and on PostgreSQL, each in a process of its own."""
    figures = {"sqlite": _in_process(None)}
    url, where = _postgres_url()
    figures["postgresql"] = _in_process(url) if url else {"not_run": where}
    if url:
        figures["postgresql"]["server"] = where
    measured = [f for f in figures.values() if "full_recompute_under_target" in f]
    figures["under_target_on_every_database"] = len(measured) == 2 and all(
        f["full_recompute_under_target"] for f in measured)
    return figures


def run_here() -> dict:
    """The benchmark on this process's database."""
    from documents.models import ImportBatch, MetricValue
    from scoring.actions import store_computed_for
    from scoring.computing import compute_assessments
    from scoring.models import Assessment
    from scoring.tasks import recompute_after_import

    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite" and not connection.settings_dict["TEST"].get("NAME"):
        # Beside the named database with the same prefix (test_<name> would fall outside it).
        connection.settings_dict["TEST"]["NAME"] = old_name + "_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        size = build()
        assessments = list(Assessment.objects.select_related("period"))
        pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
        with _TraceClock() as trace:
            compute_seconds, results = _timed(lambda: compute_assessments(assessments), "compute", pid)
            proposals = sum(1 for r in results for line in r.lines if line.proposal is not None)
            # Let the 108.000 lines go, as a worker would: kept alive, every collection of Python's
            # garbage collector during the next figures walks them (half of after_import's CPU).
            del results
            store_first, written = _timed(lambda: store_computed_for(assessments, acting_user=None), "store_first",
                                          pid)
            trace_first = trace.take()
            store_again, rewritten = _timed(lambda: store_computed_for(assessments, acting_user=None), "store_again",
                                            pid)
            trace_again = trace.take()
            # One source of one period changes (a newer export), as after an import.
            batch = ImportBatch.objects.get(source="incoming", period__code=PERIODS[0])
            MetricValue.objects.filter(batch=batch, key="incoming_closed").update(value=0)
            after_import, outcome = _timed(lambda: recompute_after_import.run(batch.pk), "after_import", pid)
            trace_after = trace.take()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return {
        "database": connection.vendor,
        **size,
        "proposals": proposals,
        "compute_seconds": round(compute_seconds, 3),
        "store_first_seconds": round(store_first, 3),
        "store_first_trace_seconds": trace_first,
        "store_first_written": written,
        "store_again_seconds": round(store_again, 3),
        "store_again_trace_seconds": trace_again,
        "store_again_written": rewritten,
        "after_import_seconds": round(after_import, 3),
        "after_import_trace_seconds": trace_after,
        "after_import_assessments": len(outcome["assessments"]),
        "after_import_written": outcome["changed"],
        "cpu_seconds": dict(CPU),
        **({"database_cpu_seconds": dict(DATABASE_CPU)} if DATABASE_CPU else {}),
        "target_seconds": TARGET_SECONDS,
        "full_recompute_under_target": max(store_first, store_again, after_import) < TARGET_SECONDS,
    }
