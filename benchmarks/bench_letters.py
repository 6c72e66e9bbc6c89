"""Rendering benchmark: htnv-round with three 36-row appendices, PDF and DOCX, median of 5 warm runs.

Targets (issue 6): PDF median < 2 s, DOCX median < 0,5 s. Builds its own throwaway test database
(SQLite by default, PostgreSQL when DATABASE_URL says so) and never touches var/db.sqlite3."""

import os
import statistics
import time
from decimal import Decimal

from django.db import connection

RUNS = 5
TARGETS = {"pdf": 2.0, "docx": 0.5}


def _seed_data() -> None:
    """Registry, demo scores, the round-1 demo exports; DVCTT figures for the units the export lacks,
    so that each of the three appendices has 36 unit rows."""
    from documents.choices import BatchStatus, Source
    from documents.importing.run import import_file
    from documents.models import ImportBatch, MetricValue
    from scoring.demo import load_all
    from scoring.models import Period
    from units.demo import load_registry
    from units.models import Unit

    load_registry()
    load_all()
    from django.conf import settings

    sheets = settings.BASE_DIR / "fixtures" / "spreadsheets"
    period = Period.objects.get(code="2023-R1")
    for name, source in (("2023-R1_phu-luc-1_dvctt.xlsx", "online_services"),
                         ("2023-R1_phu-luc-2_van-ban-den.xlsx", "incoming"),
                         ("2023-R1_phu-luc-3_van-ban-di.xlsx", "outgoing")):
        import_file(sheets / name, period=period, source=source)
    with_dvc = set(MetricValue.objects.filter(period=period, key="dvc_partial_services").values_list("unit_id", flat=True))
    with_docs = set(MetricValue.objects.filter(period=period, key="incoming_total").values_list("unit_id", flat=True))
    template = {v.key: v.value for v in MetricValue.objects.filter(period=period, unit__name="UBND xã Vĩnh Giang",
                                                                    key__startswith="dvc")}
    template["tthc_dossiers"] = Decimal(2491)
    batch = ImportBatch.objects.filter(source=Source.ONLINE_SERVICES, period=period,
                                       status=BatchStatus.IMPORTED).first()
    MetricValue.objects.bulk_create([
        MetricValue(batch=batch, unit=unit, period=period, key=key, value=value)
        for unit in Unit.objects.filter(pk__in=with_docs - with_dvc)
        for key, value in template.items()
    ])


def _median(fn) -> tuple[float, float]:
    """(wall, CPU) medians: on a shared machine the CPU time shows the cost when the wall clock waits."""
    walls, cpus = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return statistics.median(walls), statistics.median(cpus)


def run() -> dict:
    from reports.facts import build_letter
    from reports.rendering.docx import render_docx
    from reports.rendering.pdf import render_pdf

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _seed_data()
        document = build_letter("htnv-round", "2023-R1")
        rows = [len([r for r in a.table.rows if r.kind == "data"]) for a in document.appendices]
        render_pdf(document), render_docx(document)  # warm: fonts, templates, imports
        facts = _median(lambda: build_letter("htnv-round", "2023-R1"))
        pdf = _median(lambda: render_pdf(document))
        docx = _median(lambda: render_docx(document))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return {
        "kind": "htnv-round",
        "appendix_rows": rows,
        "runs": RUNS,
        "facts_median_s": round(facts[0], 3),
        "pdf_median_s": round(pdf[0], 3),
        "pdf_cpu_median_s": round(pdf[1], 3),
        "docx_median_s": round(docx[0], 3),
        "docx_cpu_median_s": round(docx[1], 3),
        "targets_s": TARGETS,
        "within_targets": pdf[0] < TARGETS["pdf"] and docx[0] < TARGETS["docx"],
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
