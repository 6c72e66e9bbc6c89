"""Checks on what was read: parts and wholes agree, every rate and total the file prints is
recomputed. A part above its whole refuses the file; a printed figure that the file's own numbers
do not give is a warning naming the row and both figures."""

from decimal import Decimal

from common.numbers import format_number

from ..metrics import METRICS, RATE as RATE_KIND, Metric, rate_of
from .profiles import PROFILES, RATE, STATED_RATE, STATED_SUM
from .report import Cell, DataRow, ImportReport, TotalRow

ZERO = Decimal(0)


def agrees(stated: Cell, computed: Decimal) -> bool:
    """Equal at the precision the file printed: 10,4 agrees with 10,43 but not with 9,24."""
    tolerance = Decimal(5) * Decimal(10) ** -(stated.places + 1)
    return abs(stated.value - computed) <= tolerance + Decimal("1e-9")


def _label(key: str) -> str:
    metric = METRICS.get(key)
    return metric.label if metric else key


def _formula(numerator: tuple[str, ...], denominator: tuple[str, ...]) -> str:
    top = " + ".join(_label(k) for k in numerator)
    bottom = " + ".join(_label(k) for k in denominator)
    top = f"({top})" if len(numerator) > 1 else top
    bottom = f"({bottom})" if len(denominator) > 1 else bottom
    return f"{top} / {bottom} × 100"


def formula_text(key: str) -> str:
    metric = METRICS[key]
    return _formula(metric.numerator, metric.denominator)


def _where(cell: Cell) -> dict:
    return {"sheet": cell.sheet, "row": cell.row, "column": cell.column}


def _at(report: ImportReport, cell: Cell, who: str) -> str:
    return f"Tệp {report.file}, trang «{cell.sheet}», dòng {cell.row} ({who}), cột {cell.column}"


def validate(report: ImportReport) -> None:
    profile = PROFILES[report.source]
    columns = {c.key: c for c in profile.columns}
    for row in report.rows:
        _check_parts(report, profile, row)
        for key, cell in row.stated.items():
            column = columns[key]
            values = {k: c.value for k, c in row.values.items()}
            if column.role == STATED_SUM:
                _compare_sum(report, cell, column, values, row.name)
            elif column.role == STATED_RATE:
                _compare_rate(report, cell, key, values, row.name, column)
    for total in report.totals:
        _check_total(report, total, columns)


def _check_parts(report: ImportReport, profile, row: DataRow) -> None:
    for check in profile.checks:
        cells = [row.values.get(k) for k in check.parts]
        whole = row.values.get(check.whole)
        if whole is None or any(c is None for c in cells):
            continue
        parts_sum = sum((c.value for c in cells), ZERO)
        names = " + ".join(f"{_label(k)} ({c.column})" for k, c in zip(check.parts, cells))
        if parts_sum > whole.value:
            report.error(
                f"{_at(report, whole, row.name)}: {names} = {format_number(parts_sum)}, lớn hơn "
                f"{_label(check.whole)} = {format_number(whole.value)}; cần không vượt quá {format_number(whole.value)}.",
                **_where(whole), value=format_number(parts_sum), expected=f"≤ {format_number(whole.value)}",
            )
        elif check.equal and parts_sum != whole.value:
            report.warn(
                f"{_at(report, whole, row.name)}: {names} = {format_number(parts_sum)}, không bằng "
                f"{_label(check.whole)} = {format_number(whole.value)}.",
                **_where(whole), value=format_number(parts_sum), expected=format_number(whole.value),
            )


def _compare_sum(report, cell: Cell, column, values: dict, who: str) -> None:
    if any(values.get(k) is None for k in column.parts):
        return
    computed = sum((values[k] for k in column.parts), ZERO)
    if computed != cell.value:
        parts = " + ".join(_label(k) for k in column.parts)
        report.warn(
            f"{_at(report, cell, who)}: tệp ghi tổng {format_number(cell.value)}, nhưng {parts} = "
            f"{format_number(computed)}.",
            **_where(cell), value=format_number(cell.value), expected=format_number(computed),
        )


def _compare_rate(report, cell: Cell, key: str, values: dict, who: str, column=None) -> None:
    computed = rate_of(METRICS[key], values)
    if computed is None or agrees(cell, computed):
        return
    text = (f"{_at(report, cell, who)}: tỷ lệ ghi trong tệp là {format_number(cell.value)}%, nhưng tính lại theo "
            f"{formula_text(key)} được {format_number(computed, cell.places)}%")
    if column is not None and column.also:
        numerator, denominator = column.also
        other = Metric(key, "", "", RATE_KIND, numerator, denominator)
        alternative = rate_of(other, values)
        if alternative is not None and agrees(cell, alternative):
            text += (f"; con số trong tệp khớp với cách tính {_formula(numerator, denominator)} "
                     f"(= {format_number(alternative, cell.places)}%), khác định nghĩa chuẩn; tỷ lệ dùng để chấm điểm tính theo định nghĩa chuẩn")
    report.warn(text + ".", **_where(cell), value=format_number(cell.value),
                expected=format_number(computed, cell.places))


def _check_total(report: ImportReport, total: TotalRow, columns: dict) -> None:
    """A total row is checked against the rows it covers: Σ counts, and rates as Σ numerators /
    Σ denominators (never the mean of the rows' rates)."""
    sums: dict[str, Decimal] = {}
    for row in total.covers:
        for key, cell in row.values.items():
            sums[key] = sums.get(key, ZERO) + cell.value
    who = f"dòng tổng «{total.label}»"
    for key, cell in total.values.items():
        column = columns[key]
        if column.role == STATED_RATE:
            _compare_rate(report, cell, key, sums, who, column)
        elif column.role == STATED_SUM:
            _compare_sum(report, cell, column, sums, who)
        elif column.role == RATE:
            continue  # the table gives no denominators: a district rate cannot be recomputed from it
        elif key in sums and sums[key] != cell.value:
            report.warn(
                f"{_at(report, cell, who)}: tệp ghi {format_number(cell.value)}, nhưng cộng {len(total.covers)} "
                f"dòng đơn vị được {format_number(sums[key])}.",
                **_where(cell), value=format_number(cell.value), expected=format_number(sums[key]),
            )
