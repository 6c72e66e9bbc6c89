"""Small assessments built from the seeds' own appendix tables (fixtures/seeds/001 and 004).

The tables are parsed here, in the test, so that the expected figures ("23,41", "-27,75", "70,37")
come from the letters themselves and never from the code under test."""

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from common.numbers import parse_number
from scoring.choices import Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from tests.seeds import cchc_appendix_cells, htnv_appendix_cells, htnv_total_text, seed_text
from units.demo import load_registry
from units.models import Unit
from units.text import fold

# DOMAIN.md: "Seed 001: (79 − 23,41) / 79 = 70,37 %" — the half-year assessed 79 points in all; the
# criteria not in the appendix were not deducted, so they stand here as one criterion at full marks.
CCHC_H1_MAX_TOTAL = Decimal("79")
_TAGS = re.compile(r"<[^>]+>")


def _clean(cell: str) -> str:
    """The transcription keeps some HTML of the original table; the data holds plain text."""
    text = _TAGS.sub("\n", cell)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def cchc_seed_rows() -> list[dict]:
    """Rows of seed 001's appendix: code, name, max, self, appraised, deduction, comment, responsible."""
    return [{
        "code": cells[0], "name": cells[1].strip(), "max": parse_number(cells[2]),
        "self": parse_number(cells[3]), "appraised": parse_number(cells[4]),
        "deduction": parse_number(cells[5]), "comment": _clean(cells[6]), "responsible": _clean(cells[7]),
        "max_text": cells[2].strip(), "deduction_text": cells[5].strip(),
    } for cells in cchc_appendix_cells()]


def plan_seed_rows() -> tuple[list[dict], str]:
    """Rows of seed 004's appendix and the printed total ("-27,75")."""
    rows = [{
        "code": code, "name": cells[0].strip(), "max": parse_number(cells[1]), "appraised": parse_number(cells[2]),
        "deduction": parse_number(cells[3]), "comment": _clean(cells[4]), "units": cells[5].strip(),
    } for code, cells in htnv_appendix_cells()]
    return rows, htnv_total_text()


def match_units(cell: str) -> list[Unit]:
    """"- Công an huyện - Ban chỉ huy Quân sự huyện" → the registry's units, by name or alias.

    " - " also occurs inside names (Phòng Tài chính - Kế hoạch), so adjacent pieces are joined
    whenever the joined text is a known unit."""
    known = {}
    for unit in Unit.objects.prefetch_related("aliases"):
        known[fold(unit.name)] = unit
        for alias in unit.aliases.all():
            known.setdefault(alias.folded, unit)
    pieces = [p.strip() for p in cell.strip().lstrip("-").split(" - ") if p.strip()]
    units, i = [], 0
    while i < len(pieces):
        if i + 1 < len(pieces) and fold(f"{pieces[i]} - {pieces[i + 1]}") in known:
            units.append(known[fold(f"{pieces[i]} - {pieces[i + 1]}")])
            i += 2
            continue
        units.append(known[fold(pieces[i])])
        i += 1
    return units


@pytest.fixture
def district(db) -> Unit:
    load_registry()
    return Unit.objects.get(name="UBND huyện Vĩnh Linh")


@pytest.fixture
def cchc_assessment(district) -> Assessment:
    """CCHC-2023 / 2023-H1: the 27 deducted criteria of seed 001 under their areas, plus the rest at full marks.

    Area 7 carries a score of its own as well as its sub-criteria, as an import of area totals would:
    only the sub-criteria may count."""
    criteria_set = CriteriaSet.objects.create(
        code="CCHC-2023", name="Chỉ số CCHC cấp huyện 2023", kind=SetKind.CCHC, year=2023,
        legal_basis="Quyết định số 1325/QĐ-UBND ngày 23/6/2023", subject_kind=SubjectKind.DISTRICT,
    )
    period = Period.objects.create(code="2023-H1", name="6 tháng đầu năm 2023", kind=PeriodKind.HALF_YEAR,
                                   year=2023, start=date(2022, 12, 15), end=date(2023, 6, 14))
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    rows = cchc_seed_rows()
    area_7 = [row for row in rows if row["code"].startswith("7.")]
    area = Criterion.objects.create(
        criteria_set=criteria_set, code="7", name="Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        level=Level.AREA, max_score=sum(r["max"] for r in area_7), position=700,
    )
    Score.objects.create(assessment=assessment, criterion=area, appraised_score=sum(r["appraised"] for r in area_7))
    for position, row in enumerate(rows, start=1):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, code=row["code"], name=row["name"], level=Level.SUB_CRITERION,
            max_score=row["max"], position=position * 10 + (700 if row["code"].startswith("7.") else 0),
            parent=area if row["code"].startswith("7.") else None,
        )
        Score.objects.create(assessment=assessment, criterion=criterion, self_score=row["self"],
                             appraised_score=row["appraised"], comment=row["comment"],
                             responsible_text=row["responsible"])
    rest = CCHC_H1_MAX_TOTAL - sum(row["max"] for row in rows)
    others = Criterion.objects.create(criteria_set=criteria_set, code="9.9", name="Các tiêu chí không bị trừ điểm",
                                      level=Level.CRITERION, max_score=rest, position=9000)
    Score.objects.create(assessment=assessment, criterion=others, self_score=rest, appraised_score=rest)
    return assessment


@pytest.fixture
def plan_assessment(district) -> Assessment:
    """HTNV-2023 / 2023: the 14 deducted criteria of seed 004 with their responsible units."""
    criteria_set = CriteriaSet.objects.create(
        code="HTNV-2023", name="Mức độ hoàn thành nhiệm vụ cấp huyện 2023", kind=SetKind.HTNV, year=2023,
        legal_basis="Quyết định số 1371/QĐ-UBND ngày 29/6/2023", subject_kind=SubjectKind.DISTRICT,
    )
    period = Period.objects.create(code="2023", name="Năm 2023", kind=PeriodKind.YEAR, year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 12, 14))
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    rows, _ = plan_seed_rows()
    for position, row in enumerate(rows, start=1):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, code=row["code"], name=row["name"], level=Level.CRITERION,
            max_score=row["max"], position=position,
        )
        score = Score.objects.create(assessment=assessment, criterion=criterion, appraised_score=row["appraised"],
                                     comment=row["comment"])
        score.responsible_units.set(match_units(row["units"]))
    return assessment


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def pdf_text(path: Path) -> str:
    """pdftotext output in content order (a table row stays together), white space folded to one space."""
    return " ".join(run("pdftotext", "-raw", str(path), "-").replace("\u00a0", " ").split())


@pytest.fixture(scope="session")
def poppler():
    """The poppler tools must be installed (Debian: poppler-utils); a missing tool fails loudly."""
    for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"


SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"


def import_demo_spreadsheets(period_code: str) -> None:
    """Import the demo exports of one period through the import pipeline, as load_demo does."""
    import json

    from documents.importing.run import import_file

    manifest = json.loads((SPREADSHEETS / "manifest.json").read_text(encoding="utf-8"))
    period = Period.objects.get(code=period_code)
    for name, meta in manifest.items():
        if meta["period"] == period_code:
            outcome = import_file(SPREADSHEETS / name, period=period, source=meta["source"])
            assert not outcome.report.refused, outcome.report.errors


@pytest.fixture
def demo_metrics(db):
    """Registry, demo scores and the demo spreadsheets of 2023-R1 and 2023-H1."""
    from scoring.demo import load_all

    load_registry()
    load_all()
    import_demo_spreadsheets("2023-R1")
    import_demo_spreadsheets("2023-H1")


def seed_table(prefix: str, first_cell: str, after: str = "") -> list[list[str]]:
    """Tab-separated rows of a seed whose first cell is a row number, after the marker ``after``."""
    text = seed_text(prefix)
    if after:
        text = text.split(after, 1)[1]
    return [line.split("\t") for line in text.splitlines() if re.match(first_cell, line)]
