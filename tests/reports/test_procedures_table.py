"""The per-unit TTHC table of the procedures letter prints each unit's figures as seed 003 does."""

from collections import Counter

from reports.choices import LetterKind
from reports.facts import BUILDERS
from scoring.models import Period

from .conftest import seed_table


def test_it_prints_every_units_figures_as_the_seed_table(demo_metrics):
    seed_rows = [(row + [""] * 7)[2:7] for row in seed_table("003", r"^\d+\t")]
    seed_cells = Counter(tuple(cell.strip() for cell in row) for row in seed_rows)

    table = BUILDERS[LetterKind.PROCEDURES](Period.objects.get(code="2023-H1")).appendices[0].table
    printed = Counter(tuple(row.cells[2:7]) for row in table.rows if row.kind == "data")

    assert printed == seed_cells  # "76,0" and "77,0" keep their decimal
