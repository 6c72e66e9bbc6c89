"""The nightly import of the drop folder (settings.IMPORT_DROP_DIR).

Every spreadsheet at the top of the folder is imported through the same pipeline as an upload,
then moved to ``processed/`` (imported, or the same file already was) or ``failed/`` (refused),
with its report beside it as ``<name>.json``. The move happens only after the import committed; a
crash leaves the file where it was, and the next run imports it again (the same sha256 changes
nothing) or finishes moving it. No file is ever deleted.

Which period a file is for, first found wins:
1. a sidecar ``<file name>.json`` beside it: ``{"period": "2023-H1", "source": "incoming"}``
   (source optional; it is moved along with the file);
2. the file name starting with a period code and an underscore: ``2023-H1_van-ban-den.xlsx``
   (the convention of fixtures/spreadsheets);
3. the setting IMPORT_DEFAULT_PERIOD (environment variable of the same name);
4. otherwise the file fails with a message saying how to name it.
"""

import fcntl
import json
import logging
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from scoring.models import Period

from .choices import Source
from .importing.pipeline import report_json
from .importing.run import default_matcher, import_file
from .uploads import keep_file

logger = logging.getLogger(__name__)

SPREADSHEETS = {".xlsx", ".xls", ".csv"}
PERIOD_PREFIX = re.compile(r"^(?P<code>[0-9]{4}(?:-[A-Za-z0-9]+)?)_")
PROCESSED, FAILED = "processed", "failed"


class NoPeriod(Exception):
    pass


def default_period_code() -> str:
    return getattr(settings, "IMPORT_DEFAULT_PERIOD", "") or os.environ.get("IMPORT_DEFAULT_PERIOD", "")


def instructions(path: Path) -> tuple[str, str | None]:
    """(period code, source or None) for a dropped file, by the rules of this module's docstring."""
    sidecar = path.with_name(path.name + ".json")
    if sidecar.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise NoPeriod(f"Tệp kèm {sidecar.name} không phải JSON hợp lệ ({exc}).") from exc
        source = data.get("source") or None
        if source is not None and source not in Source.values:
            raise NoPeriod(f"Tệp kèm {sidecar.name}: nguồn «{source}» không có; cần một trong {', '.join(Source.values)}.")
        if data.get("period"):
            return str(data["period"]), source
    match = PERIOD_PREFIX.match(path.name)
    if match:
        return match["code"], None
    if default_period_code():
        return default_period_code(), None
    raise NoPeriod(
        f"Không biết tệp {path.name} thuộc kỳ nào: đặt tên tệp bắt đầu bằng mã kỳ (ví dụ 2023-H1_van-ban-den.xlsx), "
        f"hoặc để kèm tệp {path.name}.json ghi {{\"period\": \"2023-H1\"}}, hoặc đặt IMPORT_DEFAULT_PERIOD."
    )


def pending_files(drop_dir: Path, min_age: float) -> list[Path]:
    """Spreadsheets at the top of the folder, oldest first; a file modified in the last
    ``min_age`` seconds may still be being copied in, and waits for the next run."""
    now = time.time()
    files = [p for p in drop_dir.iterdir()
             if p.is_file() and p.suffix.lower() in SPREADSHEETS and not p.name.startswith(".")
             and now - p.stat().st_mtime >= min_age]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


@contextmanager
def folder_lock(drop_dir: Path):
    """One run at a time per folder (a second worker or a manual run finds it busy and skips)."""
    with open(drop_dir / ".import.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_json(path: Path, data: dict) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    partial.replace(path)


def _move(path: Path, folder: Path, report: dict) -> Path:
    """Report first, then the file (and its sidecar): a crash between leaves the file in the drop
    folder to be handled again (at worst beside a spare report), never a moved file without one."""
    folder.mkdir(exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{stamp}_{path.name}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stamp}-{n}_{path.name}"
    _write_json(target.with_name(target.name + ".report.json"), report)
    sidecar = path.with_name(path.name + ".json")
    path.replace(target)
    if sidecar.exists():
        sidecar.replace(target.with_name(target.name + ".json"))
    return target


def import_drop_folder(drop_dir: Path | None = None, *, min_age: float | None = None) -> dict:
    """Import every new file of the drop folder; returns what happened to each, by file name."""
    drop_dir = Path(drop_dir or settings.IMPORT_DROP_DIR)
    min_age = getattr(settings, "IMPORT_DROP_MIN_AGE", 5) if min_age is None else min_age
    drop_dir.mkdir(parents=True, exist_ok=True)
    summary = {"imported": [], "unchanged": [], "failed": [], "left": []}
    with folder_lock(drop_dir) as locked:
        if not locked:
            summary["left"].append("(thư mục đang được một lần chạy khác xử lý)")
            return summary
        matcher = default_matcher()
        for path in pending_files(drop_dir, min_age):
            try:
                outcome_kind, report = _import_one(path, matcher)
            except Exception:  # a bug or a database failure: leave the file for the next run
                logger.exception("Nhập tệp %s thất bại; tệp được để lại trong thư mục nhận", path)
                summary["left"].append(path.name)
                continue
            _move(path, drop_dir / (FAILED if outcome_kind == "failed" else PROCESSED), report)
            summary[outcome_kind].append(path.name)
    return summary


def _import_one(path: Path, matcher) -> tuple[str, dict]:
    """Import one file (committed when this returns); ("imported" | "unchanged" | "failed", report)."""
    try:
        code, source = instructions(path)
    except NoPeriod as exc:
        return "failed", {"file": path.name, "errors": [{"message": str(exc)}]}
    period = Period.objects.filter(code=code).first()
    if period is None:
        return "failed", {"file": path.name, "period": code,
                          "errors": [{"message": f"Kỳ «{code}» không có trong hệ thống (tệp {path.name})."}]}
    outcome = import_file(path, period=period, source=source, matcher=matcher)
    report = report_json(outcome.report, period=code, dry_run=False)
    report["message"] = outcome.message
    if outcome.stored is None:
        return "failed", report
    report["batch"] = outcome.stored.batch.pk
    keep_file(path, outcome.sha256)  # so that the batch can be re-imported from the browser
    return ("imported" if outcome.stored.created else "unchanged"), report
