"""Import benchmark: a 200,000-row per-dossier TTHC export, end to end (read, validate, aggregate,
write), beside two references measured in the same run on the same file: pandas.read_excel with
openpyxl, and a bare python-calamine row iteration (the practical floor).

    .venv/bin/python -m benchmarks import            # via make bench
    .venv/bin/python -m benchmarks.bench_import      # this one alone

The file is generated once (openpyxl write_only; slow) and cached in benchmarks/cache/ (git-ignored).
Each measurement runs in a subprocess of its own, so that its peak RSS (getrusage ru_maxrss) is its
own. The end-to-end run builds a throwaway database through Django's test-database machinery: a
temporary SQLite file, or a fresh database beside the one DATABASE_URL names (PostgreSQL), dropped
afterwards; var/db.sqlite3 is never touched.

Targets (issue 3): end to end ≥ 7× faster than the pandas read, within 3× of the bare calamine
read, peak RSS < 400 MB.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / "cache"
ROWS = 200_000
FILE = CACHE / f"tthc-dossiers-{ROWS}.xlsx"
SHEET = "Danh sách hồ sơ"
HEADER = ["STT", "Mã hồ sơ", "Đơn vị tiếp nhận", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả",
          "Hình thức nộp", "Mức độ", "Thanh toán trực tuyến", "Số hóa", "Biên lai điện tử", "Trạng thái"]
PROCEDURES = ["Cấp bản sao từ sổ gốc", "Chứng thực bản sao từ bản chính", "Đăng ký khai sinh", "Đăng ký kết hôn",
              "Cấp giấy chứng nhận quyền sử dụng đất", "Đăng ký hộ kinh doanh", "Cấp giấy phép xây dựng"]
TARGETS = {"vs_pandas_min": 7.0, "vs_calamine_max": 3.0, "peak_rss_mb_max": 400.0}


def unit_names() -> list[str]:
    data = json.loads((ROOT / "fixtures" / "units" / "vinh_linh.json").read_text(encoding="utf-8"))
    return [u["name"] for u in data["units"]]


def generate(path: Path = FILE, rows: int = ROWS) -> Path:
    """Write the per-dossier export once; later runs reuse it."""
    if path.exists():
        return path
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20230614)
    units = unit_names()
    start = datetime(2022, 12, 15, 7, 30)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Từ ngày 15/12/2022 đến ngày 14/06/2023"])
    sheet.append([])
    sheet.append(HEADER)
    for i in range(rows):
        submitted = start + timedelta(minutes=rng.randrange(0, 181 * 24 * 60))
        due = submitted + timedelta(days=rng.choice((1, 3, 5, 7, 15)))
        roll = rng.random()
        if roll < 0.003:
            returned = due + timedelta(days=rng.randrange(1, 10))  # late, as ~0,2 % are in seed 003
        elif roll < 0.02:
            returned = None  # still pending
        else:
            returned = submitted + (due - submitted) * rng.random()
        online = rng.random() < 0.77
        fee = rng.random() < 0.6
        sheet.append([
            i + 1, f"H{i:07d}", units[rng.randrange(len(units))], PROCEDURES[i % len(PROCEDURES)],
            submitted, due, returned,
            "Trực tuyến" if online else "Trực tiếp",
            rng.choice(("Một phần", "Toàn trình")) if online else None,
            ("Có" if rng.random() < 0.1 else "Không") if fee else None,
            "Có" if rng.random() < 0.6 else None,
            "Có" if fee and rng.random() < 0.55 else "Không",
            "Đã trả kết quả" if returned else "Đang xử lý",
        ])
    partial = path.with_name(path.name + ".part")
    workbook.save(partial)
    partial.replace(path)
    return path


# ---- measurements, each run in its own process ---------------------------------------------

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def measure_pandas(path: Path) -> dict:
    import pandas

    started = time.perf_counter()
    frame = pandas.read_excel(path, engine="openpyxl", header=3)
    return {"seconds": time.perf_counter() - started, "rows": len(frame)}


def measure_calamine(path: Path) -> dict:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    workbook = CalamineWorkbook.from_path(str(path))
    rows = 0
    for _row in workbook.get_sheet_by_name(workbook.sheet_names[0]).iter_rows():
        rows += 1
    return {"seconds": time.perf_counter() - started, "rows": rows - 4}  # title, blank and header rows


def measure_end_to_end(path: Path) -> dict:
    """Django set up on a throwaway database (not timed); then import_file, timed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    db_file = None
    if connection.vendor == "sqlite":
        db_file = Path(tempfile.mkdtemp(prefix="bench-import-")) / "bench.sqlite3"
        connection.settings_dict["TEST"]["NAME"] = str(db_file)
    elif not connection.settings_dict["TEST"].get("NAME"):
        # Beside the named database with the same prefix (test_<name> would fall outside it).
        connection.settings_dict["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_bench"
    settings.UPLOAD_MAX_BYTES = max(settings.UPLOAD_MAX_BYTES, path.stat().st_size + 1)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from datetime import date

        from documents.importing.run import import_file
        from documents.models import MetricValue, OverdueDossier
        from scoring.models import Period
        from units.demo import load_registry

        load_registry()
        period = Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind="half_year", year=2023,
                                       start=date(2022, 12, 15), end=date(2023, 6, 14))
        rss_before = _peak_rss_mb()
        started = time.perf_counter()
        outcome = import_file(path, period=period)
        seconds = time.perf_counter() - started
        if outcome.stored is None:
            raise SystemExit("import refused: " + "; ".join(m.text for m in outcome.report.errors[:5]))
        return {
            "seconds": seconds, "rows": outcome.report.dossiers, "units": len(outcome.report.rows),
            "values_written": MetricValue.objects.count(), "overdue_written": OverdueDossier.objects.count(),
            "database": connection.vendor, "peak_rss_mb_before_import": round(rss_before, 1),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if db_file is not None:
            db_file.unlink(missing_ok=True)
            db_file.parent.rmdir()


MEASURES = {"pandas": measure_pandas, "calamine": measure_calamine, "end_to_end": measure_end_to_end}


def _child(name: str, path: str) -> None:
    result = MEASURES[name](Path(path))
    result["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    print("BENCH-RESULT " + json.dumps(result))


def _measure_in_subprocess(name: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_import", "--child", name, str(path)],
                          cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"{name} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(line.removeprefix("BENCH-RESULT "))


def run() -> dict:
    started = time.perf_counter()
    existed = FILE.exists()
    path = generate()
    generated_seconds = None if existed else round(time.perf_counter() - started, 1)
    results = {name: _measure_in_subprocess(name, path) for name in ("calamine", "end_to_end", "pandas")}
    for result in results.values():
        result["rows_per_second"] = round(result["rows"] / result["seconds"])
        result["seconds"] = round(result["seconds"], 3)
    e2e = results["end_to_end"]
    vs_pandas = results["pandas"]["seconds"] / e2e["seconds"]
    vs_calamine = e2e["seconds"] / results["calamine"]["seconds"]
    return {
        "file": str(path.relative_to(ROOT)), "file_mb": round(path.stat().st_size / 1024 / 1024, 1), "rows": ROWS,
        "generated_seconds": generated_seconds,
        **results,
        "end_to_end_faster_than_pandas": round(vs_pandas, 2),
        "end_to_end_vs_calamine": round(vs_calamine, 2),
        "targets": TARGETS,
        "targets_met": {
            "vs_pandas": vs_pandas >= TARGETS["vs_pandas_min"],
            "vs_calamine": vs_calamine <= TARGETS["vs_calamine_max"],
            "peak_rss": e2e["peak_rss_mb"] < TARGETS["peak_rss_mb_max"],
        },
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
