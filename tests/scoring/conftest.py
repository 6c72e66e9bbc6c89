"""Scoring test helpers: the demo data loaded once per test, and the seed letters' appendices parsed
straight from fixtures/seeds so that tests compare the database with the letters, not with typed answers."""

import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from common.numbers import parse_number
from scoring import demo as scoring_demo
from tests.seeds import cchc_appendix_cells, htnv_appendix_cells, htnv_total_text
from tests.seeds import seed_text  # noqa: F401 (the scoring tests import it from here)
from units import demo as units_demo


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
    return [SeedRow(cells[0], plain(cells[1]), parse_number(cells[2]), parse_number(cells[3]),
                    parse_number(cells[4]), parse_number(cells[5]), plain(cells[6]), plain(cells[7]))
            for cells in cchc_appendix_cells()]


def seed004_rows() -> list[SeedRow]:
    """Seed 004, appendix: every deducted HTNV criterion of 2023 ("I.A.1.1. name<TAB>max<TAB>…")."""
    return [SeedRow(code, plain(cells[0]), parse_number(cells[1]), None, parse_number(cells[2]),
                    parse_number(cells[3]), plain(cells[4]), plain(cells[5]))
            for code, cells in htnv_appendix_cells()]


def seed004_total_deduction() -> Decimal:
    """The appendix's own "Tổng điểm trừ" line."""
    return parse_number(htnv_total_text())


@pytest.fixture
def demo(db):
    """The unit registry and every demo set, period and assessment, as `load_demo` loads them."""
    units_demo.load_registry()
    return scoring_demo.load_all()
