"""Read the tables of the seed letters (fixtures/seeds) for the engine's tests: the seeds are the oracle.

Only parsing lives here; nothing is computed, so the tests compute every figure from these rows."""

import re
from decimal import Decimal

from common.numbers import parse_number
from tests.seeds import cchc_appendix_cells, htnv_appendix_cells, htnv_total_text, seed_text
from tests.seeds import cells as _cells

# Seed 000, appendix 1: column number → canonical metric key (DOMAIN.md, "online_services").
DVC_COLUMNS = {
    3: "dvc_partial_services",
    4: "dvc_full_services",
    6: "dvc_partial_services_with_dossiers",
    7: "dvc_partial_services_with_online_dossiers",
    8: "dvc_full_services_with_dossiers",
    9: "dvc_full_services_with_online_dossiers",
    11: "dvc_partial_online_dossiers",
    12: "dvc_partial_dossiers",
    14: "dvc_full_online_dossiers",
    15: "dvc_full_dossiers",
    17: "tthc_dossiers",
}


def _between(text: str, start: str, end: str | None) -> str:
    part = text.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def incoming_rows() -> dict[str, dict[str, Decimal]]:
    """Seed 000, appendix 2 (incoming documents to 08/12/2023): "row. unit name" → metrics."""
    rows = {}
    for line in _between(seed_text("000"), "Phụ lục 2", "Phụ lục 3").splitlines():
        cells = _cells(line)
        if cells[0].isdigit():
            rows[f"{cells[0]}. {cells[1]}"] = {
                "incoming_total": parse_number(cells[2]),
                "incoming_replied": parse_number(cells[3]),
                "incoming_closed": parse_number(cells[4]),
                "incoming_pending": parse_number(cells[5]),
            }
    return rows


def dvc_rows() -> tuple[dict[str, dict], list[dict]]:
    """Seed 000, appendix 1: (unit rows "row. name" → metrics and printed columns, total rows).

    Each row is {"metrics": {key: value}, "printed": {column number: value as printed}}; total rows
    also carry "label" ("Tổng số", "TỔNG CỘNG (A+B+C)")."""
    units, totals = {}, []
    for line in _between(seed_text("000"), "Phụ lục 1", "Phụ lục 2").splitlines():
        cells = _cells(line)
        if len(cells) < 18 or not (cells[0].isdigit() or cells[0].startswith(("Tổng số", "TỔNG CỘNG"))):
            continue
        printed = {number: parse_number(cells[number - 1]) for number in range(3, 19)}
        if cells[0].isdigit():
            metrics = {key: printed[number] for number, key in DVC_COLUMNS.items()}
            units[f"{cells[0]}. {cells[1]}"] = {"metrics": metrics, "printed": printed}
        elif cells[0].startswith(("Tổng số", "TỔNG CỘNG")):
            totals.append({"label": cells[0], "printed": printed})
    return units, totals


def letter_figure(number: str, pattern: str) -> list[Decimal]:
    """The numbers a regular expression captures in a seed's text (e.g. the index in the letter body)."""
    match = re.search(pattern, seed_text(number))
    assert match, f"seed {number} lost the phrase {pattern!r}"
    return [parse_number(group) for group in match.groups()]


def cchc_appendix_rows() -> list[dict]:
    """Seed 001, the appendix of deducted CCHC criteria (first half of 2023)."""
    return [{
        "code": cells[0].strip(),
        "max": parse_number(cells[2]),
        "self": parse_number(cells[3]),
        "appraised": parse_number(cells[4]),
        "deduction": parse_number(cells[5]),
        "comment": cells[6].strip(),
    } for cells in cchc_appendix_cells()]


def htnv_appendix_rows() -> tuple[list[dict], Decimal]:
    """Seed 004, the appendix of deducted HTNV criteria of 2023, and its printed total deduction."""
    rows = [{
        "code": code,
        "max": parse_number(cells[1]),
        "appraised": parse_number(cells[2]),
        "deduction": parse_number(cells[3]),
        "note": cells[4].strip(),
    } for code, cells in htnv_appendix_cells()]
    return rows, parse_number(htnv_total_text())


def by_code(rows: list[dict], code: str) -> dict:
    (row,) = [row for row in rows if row["code"] == code]
    return row
