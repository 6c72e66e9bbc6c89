"""Scoring test helpers: the demo data loaded once per test, and the seed letters' appendices parsed
straight from fixtures/seeds so that tests compare the database with the letters, not with typed answers."""

import html
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from common.numbers import parse_number
from scoring import demo as scoring_demo
from units import demo as units_demo

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def seed_text(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def plain(text: str) -> str:
    """The seed's cell text without its HTML/LaTeX debris and with single spaces, for comparison."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text)).replace("$", "")
    return " ".join(text.split())


@dataclass(frozen=True)
class SeedRow:
    code: str
    name: str
    max: Decimal
    self: Decimal | None
    appraised: Decimal
    deduction: Decimal
    comment: str
    responsible: str


def seed001_rows() -> list[SeedRow]:
    """Seed 001, appendix: every deducted CCHC criterion of the 2023 half-year."""
    rows = []
    for line in seed_text("001").splitlines():
        if re.match(r"^\d+(\.\d+)*\t", line):
            cells = line.split("\t") + [""] * 8
            rows.append(SeedRow(cells[0], plain(cells[1]), parse_number(cells[2]), parse_number(cells[3]),
                                parse_number(cells[4]), parse_number(cells[5]), plain(cells[6]), plain(cells[7])))
    return rows


def seed004_rows() -> list[SeedRow]:
    """Seed 004, appendix: every deducted HTNV criterion of 2023 ("I.A.1.1. name<TAB>max<TAB>…")."""
    rows = []
    for line in seed_text("004").splitlines():
        match = re.match(r"^([IVX]+(?:\.(?:[A-Z]|\d+|[a-zđ]))*)\.\s*(.*)$", line)
        if match and "\t" in line:
            cells = match.group(2).split("\t") + [""] * 6
            rows.append(SeedRow(match.group(1), plain(cells[0]), parse_number(cells[1]), None,
                                parse_number(cells[2]), parse_number(cells[3]), plain(cells[4]), plain(cells[5])))
    return rows


def seed004_total_deduction() -> Decimal:
    """The appendix's own "Tổng điểm trừ" line."""
    (line,) = [ln for ln in seed_text("004").splitlines() if ln.startswith("Tổng điểm trừ")]
    (figure,) = [cell for cell in line.split("\t")[1:] if cell.strip()]
    return parse_number(figure)


@pytest.fixture
def demo(db):
    """The unit registry and every demo set, period and assessment, as `load_demo` loads them."""
    units_demo.load_registry()
    return scoring_demo.load_all()
