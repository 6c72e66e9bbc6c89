"""The seed letters (fixtures/seeds/*.txt) read as the tests' oracle: the text of a seed, its
tab-separated tables, and the rows of the two criteria appendices (seed 001: the deducted CCHC
criteria of 2023-H1; seed 004: the deducted HTNV criteria of 2023) as the transcription gives them.

Only the reading lives here. Each test helper turns the cells into what it compares (Decimals, text
without the transcription's HTML, …), so that expected figures still come from the letters."""

import re
from functools import cache
from pathlib import Path

from django.conf import settings

SEEDS_DIR = Path(settings.BASE_DIR) / "fixtures" / "seeds"
# A row of seed 001's appendix starts with the criterion's number ("7.2.1<TAB>").
CCHC_ROW = re.compile(r"^\d+(\.\d+)*\t")
# A row of seed 004's appendix starts with the criterion's code and its name in one cell
# ("I.A.1.4.b. Ban hành …"): roman area, then letters, numbers or a Vietnamese letter.
HTNV_ROW = re.compile(r"^([IVX]+(?:\.(?:[A-Z]|\d+|[a-zđ]))*)\.\s*(.*)$")
HTNV_TOTAL = "Tổng điểm trừ"


@cache
def seed_text(number: str) -> str:
    """The text of seed ``number`` ("000" … "004")."""
    (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def cells(line: str) -> list[str]:
    """A table line's tab-separated cells, stripped."""
    return [cell.strip() for cell in line.split("\t")]


def tab_rows(text: str) -> list[list[str]]:
    """The tab-separated rows of a text, cells stripped."""
    return [cells(line) for line in text.splitlines() if "\t" in line]


def cchc_appendix_cells() -> list[list[str]]:
    """Seed 001's appendix, one list a deducted criterion, cells as transcribed (not stripped) and
    padded: code, name, max, self, appraised, deduction, comment, responsible units."""
    return [line.split("\t") + [""] * 8 for line in seed_text("001").splitlines() if CCHC_ROW.match(line)]


def htnv_appendix_cells() -> list[tuple[str, list[str]]]:
    """Seed 004's appendix, one (code, cells) a deducted criterion; cells as transcribed and padded:
    name, max, appraised, deduction, note, responsible units."""
    rows = []
    for line in seed_text("004").splitlines():
        match = HTNV_ROW.match(line)
        if match and "\t" in line:
            rows.append((match.group(1), match.group(2).split("\t") + [""] * 6))
    return rows


def htnv_total_text() -> str:
    """The appendix's own total deduction as printed ("-27,75")."""
    (line,) = [line for line in seed_text("004").splitlines() if line.startswith(HTNV_TOTAL)]
    return [cell for cell in cells(line)[1:] if cell][-1]
