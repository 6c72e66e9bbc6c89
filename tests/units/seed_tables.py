"""Reading the unit names out of the five seed documents, so that the tests check the matcher
against the documents themselves rather than against a copy typed into the test."""

import re

from tests.seeds import seed_text
from tests.seeds import tab_rows as rows

_APPENDIX = re.compile(r"^Phụ lục\s*(\d*)", re.MULTILINE)
_CRITERION_CODE = re.compile(r"^(\d+(\.\d+)*|[IVX]+\.\S*)")


def one_line(text: str) -> str:
    """Runs of whitespace (also the line breaks inside a sentence) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def appendices(number: str) -> dict[str, str]:
    """The seed cut at each "Phụ lục N" heading: {"1": text, "2": text, …} ("" for an unnumbered one)."""
    text = seed_text(number)
    marks = list(_APPENDIX.finditer(text))
    return {
        mark.group(1): text[mark.start():marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        for i, mark in enumerate(marks)
    }


def numbered_names(text: str) -> list[tuple[int, str]]:
    """(row number, unit name) of every numbered row of the tables in ``text``: header, group
    ("HUYỆN VĨNH LINH") and total ("Tổng số") rows have no number and are left out."""
    return [(int(cells[0]), cells[1]) for cells in rows(text) if cells[0].isdigit()]


def qlvb_rows(text: str) -> list[tuple[str, str]]:
    """(QLVB ID of the unit, unit name) of the rows of a seed 002 appendix ("2730  ID  name  …")."""
    return [(cells[1], cells[2]) for cells in rows(text) if cells[0] == "2730"]


def responsible_cells(number: str, column: int) -> list[str]:
    """The responsible-unit cell of every criterion row of the appendix of seed 001 or 004
    (the appendix is the only table of those seeds)."""
    return [
        cells[column] for cells in rows(seed_text(number))
        if _CRITERION_CODE.match(cells[0]) and len(cells) > column and cells[column]
    ]
