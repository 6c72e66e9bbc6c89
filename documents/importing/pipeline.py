"""The import pipeline without the database writes: read a file, find its table and source,
validate it, then resolve the unit names in one separate step. ``store_batch`` in
documents/actions.py is the only writer."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from ..metrics import COUNT, METRICS, derive_rates
from . import dossiers
from .layout import SheetReader, detect_source, header_at
from .profiles import PROFILES
from .reading import UnreadableFile, read_sheets
from .report import ImportReport
from .validation import validate


class Matcher(Protocol):
    """What the pipeline needs of units.matching.UnitMatcher (a fake in tests)."""

    def match(self, name: str, code: str | None = None, system: str | None = None): ...


def read_file(path, *, source: str | None = None, display_name: str | None = None,
              as_of: date | None = None) -> ImportReport:
    """Read and validate ``path``; names are not resolved yet. Never writes to the database.

    A per-dossier TTHC export (found by its header) is streamed and aggregated per unit; ``as_of``
    (the period's last day) decides which pending dossiers are already overdue."""
    path = Path(path)
    report = ImportReport(file=display_name or path.name)
    if source is not None and source not in PROFILES:
        report.error(f"Nguồn «{source}» không có; cần một trong: {', '.join(PROFILES)}.",
                     value=source, expected=", ".join(PROFILES))
        return report
    try:
        if source in (None, dossiers.SOURCE) and dossiers.try_read(path, report, as_of=as_of):
            return report
        sheets = read_sheets(path, report.file)
    except UnreadableFile as exc:
        report.error(str(exc), value=report.file, expected="bảng tính .xlsx, .xls hoặc .csv")
        return report
    found = False
    for sheet in sheets:
        header = next((h for h in (header_at(sheet.rows, i) for i in range(len(sheet.rows))) if h), None)
        if header is None:
            report.notes.append(f"Trang «{sheet.name}»: không có bảng số liệu, bỏ qua.")
            continue
        sheet_source, _missing = detect_source(header)
        chosen = source or report.source or sheet_source
        if report.source and sheet_source != report.source and source is None:
            report.warn(
                f"Tệp {report.file}, trang «{sheet.name}»: bảng thuộc nguồn khác ({PROFILES[sheet_source].label}) "
                f"với trang đầu ({PROFILES[report.source].label}); trang này không được nhập.",
                sheet=sheet.name, row=header.start + 1, value=sheet_source, expected=report.source,
            )
            continue
        report.source = chosen
        found = True
        SheetReader(report, sheet, header, PROFILES[chosen]).read()
    if not found:
        report.error(
            f"Tệp {report.file}: không tìm thấy dòng tiêu đề của bảng số liệu (cần cột tên đơn vị và các cột "
            "số liệu của văn bản đến, văn bản đi, dịch vụ công trực tuyến hoặc thủ tục hành chính).",
            value="(không có)", expected="dòng tiêu đề",
        )
        return report
    if not report.errors:
        validate(report)
    return report


def resolve_units(report: ImportReport, matcher: Matcher, mapping: dict | None = None) -> ImportReport:
    """Give each row its unit: the user's mapping first (name in file → Unit or registry name),
    then the matcher (with the QLVB ID when the file has one). An unresolved name refuses the file."""
    from units.models import Unit

    mapping = dict(mapping or {})
    system = PROFILES[report.source].code_system if report.source else ""
    seen: dict[int, object] = {}
    for row in report.rows:
        target = mapping.get(row.name)
        unit, message = None, ""
        if target is not None:
            unit = target if isinstance(target, Unit) else Unit.objects.filter(name=str(target)).first()
            if unit is None:
                message = f"đơn vị «{target}» được chỉ định không có trong danh mục"
        else:
            match = matcher.match(row.name, code=row.code or None, system=system if row.code else None)
            unit, message = match.unit, match.message
        where = {"sheet": row.sheet, "row": row.row, "column": "", "value": row.name}
        if unit is None:
            if row.name not in report.unmatched:
                report.unmatched.append(row.name)
            report.error(
                f"Tệp {report.file}, trang «{row.sheet}», dòng {row.row}: không xác định được đơn vị «{row.name}»"
                f"{' (ID ' + row.code + ')' if row.code else ''}"
                f"{': ' + message if message else ''}; cần tên một đơn vị trong danh mục, hoặc chỉ định đơn vị cho tên này.",
                expected="đơn vị trong danh mục", **where,
            )
            continue
        if unit.pk in seen:
            other = seen[unit.pk]
            report.error(
                f"Tệp {report.file}, trang «{row.sheet}», dòng {row.row}: «{row.name}» là {unit.name}, "
                f"đơn vị đã có ở dòng {other.row} («{other.name}»); cần mỗi đơn vị một dòng.",
                expected="mỗi đơn vị một dòng", **where,
            )
            continue
        seen[unit.pk] = row
        row.unit = unit
        report.matched[row.name] = unit.name
    report.resolved = True
    return report


def unit_values(report: ImportReport, *, with_rates: bool = True) -> dict[str, dict[str, Decimal]]:
    """{registry name (or name in file before resolution): {key: value}}: what would be stored,
    plus the rates derived from it (unrounded)."""
    result = {}
    for row in report.rows:
        values = {k: c.value for k, c in row.values.items()}
        if with_rates:
            values.update(derive_rates(report.source, values))
        result[row.unit.name if row.unit is not None else row.name] = values
    return result


def _json_number(key: str, value: Decimal):
    """Counts as JSON integers, rates as JSON numbers (unrounded)."""
    if METRICS[key].kind == COUNT:
        return int(value)
    return int(value) if value == value.to_integral_value() else float(value)


def report_json(report: ImportReport, *, period: str, dry_run: bool) -> dict:
    """The JSON object the CLI prints for one file (contract in DESIGN.md)."""
    units = {name: {k: _json_number(k, v) for k, v in values.items()}
             for name, values in unit_values(report).items()} if report.source else {}
    return {
        "file": report.file,
        "source": report.source or None,
        "period": period,
        "dry_run": dry_run,
        "rows": len(report.rows),
        "units": units,
        "matched": dict(report.matched),
        "unmatched": list(report.unmatched),
        "warnings": [m.as_dict() for m in report.warnings],
        "errors": [m.as_dict() for m in report.errors],
    }
