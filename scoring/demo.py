"""Demo data from the seed letters: the 2023 periods, the CCHC-2023 and HTNV-2023 criteria sets and
the scores of UBND huyện Vĩnh Linh. Safe to run any number of times: a second run changes nothing.

The data lives in fixtures/criteria/*.json and fixtures/demo/*.json (human-readable, each row saying
where it comes from). Scores are typed there as the letters print them ("0,85", "0.25", "47.37"),
and read with common.numbers.parse_number. The letters' own max and deduction figures are kept
beside each score and checked against the catalogue here, so a typing error in the data stops the load.
Assumes the unit registry is loaded (units.demo.load_registry)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from common.numbers import format_number, parse_number
from units.models import Unit

from . import actions
from .criteria_io import CriterionRow, save_criteria_set
from .models import Assessment, CriteriaSet, Criterion, Period, Score

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CRITERIA_FILES = ["criteria/cchc_2023.json", "criteria/htnv_2023.json"]
PERIODS_FILE = "demo/periods.json"
ASSESSMENT_FILES = [
    "demo/cchc_2023_h1_vinh_linh.json",
    "demo/htnv_2023_vinh_linh.json",
    "demo/htnv_2023_r1_vinh_linh.json",
]
RELOAD_REASON = "Nạp lại dữ liệu mẫu từ fixtures/demo"
# The second demo authority (invented data, fixtures/units/quang_tri_minh_hoa.json): a province
# scoring communes merged in 2025 — its own periods, small criteria set and one assessment per commune.
PROVINCE_PERIODS_FILE = "demo/quang_tri_minh_hoa_periods.json"
PROVINCE_CRITERIA_FILE = "demo/quang_tri_minh_hoa_criteria.json"
PROVINCE_ASSESSMENTS_FILE = "demo/quang_tri_minh_hoa_assessments.json"
PROVINCE_SPREADSHEETS = FIXTURES / "demo" / "quang_tri_minh_hoa_spreadsheets.json"


class DemoDataError(Exception):
    """The fixture contradicts itself (e.g. a letter's deduction ≠ appraised − max)."""


def _read(relative: str) -> dict:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


@transaction.atomic
def load_all() -> list[str]:
    """Load periods, criteria sets and demo assessments; return one readable line per thing loaded."""
    lines = [f"Kỳ đánh giá: {load_periods()}"]
    for relative in CRITERIA_FILES:
        criteria_set = load_criteria_set(relative)
        lines.append(f"Bộ tiêu chí {criteria_set.code}: {criteria_set.criteria.count()} tiêu chí")
    for relative in ASSESSMENT_FILES:
        assessment = load_assessment(relative)
        scores = list(assessment.scores.select_related("criterion"))
        deducted = [s for s in scores if s.deduction is not None and s.deduction < 0]
        lines.append(
            f"Đánh giá {assessment.criteria_set.code} / {assessment.period.code} / {assessment.subject.name}: "
            f"{len(scores)} tiêu chí được chấm, {len(deducted)} bị trừ điểm, tổng trừ "
            f"{format_number(sum((s.deduction for s in deducted), Decimal(0)))}"
        )
    from .mapping import load_demo_2024  # the demo CCHC-2024 set mapped to CCHC-2023 (criteria across years)

    lines += load_demo_2024()
    return lines


@transaction.atomic
def load_province() -> list[str]:
    """The second demo authority's periods, criteria set and assessments (registry loaded first:
    units.demo.load_registry(units.demo.PROVINCE_FILE)); one readable line per thing loaded."""
    lines = [f"Kỳ đánh giá (tỉnh minh họa): {load_periods(PROVINCE_PERIODS_FILE)}"]
    criteria_set = load_criteria_set(PROVINCE_CRITERIA_FILE)
    lines.append(f"Bộ tiêu chí {criteria_set.code}: {criteria_set.criteria.count()} tiêu chí")
    data = _read(PROVINCE_ASSESSMENTS_FILE)
    for row in data["assessments"]:
        assessment = save_assessment(row, PROVINCE_ASSESSMENTS_FILE)
        lines.append(f"Đánh giá {criteria_set.code} / {assessment.period.code} / {assessment.subject.name}: "
                     f"{assessment.scores.count()} tiêu chí được chấm")
    return lines


def load_periods(relative: str = PERIODS_FILE) -> int:
    data = _read(relative)
    for row in data["periods"]:
        values = {
            "name": row["name"], "kind": row["kind"], "year": row["year"],
            "start": date.fromisoformat(row["start"]), "end": date.fromisoformat(row["end"]),
        }
        period, created = Period.objects.get_or_create(code=row["code"], defaults=values)
        changed = [k for k, v in values.items() if getattr(period, k) != v]
        if not created and changed:
            for k in changed:
                setattr(period, k, values[k])
            period.save(update_fields=changed)
    return len(data["periods"])


def criterion_rows(data: dict) -> list[CriterionRow]:
    """The fixture's criteria as rows for save_criteria_set. A parent whose max is not given gets
    the sum of its children's max, since the fixtures hold only part of each published set."""
    raw = {c["code"]: c for c in data["criteria"]}
    children: dict[str, list[str]] = {}
    for c in data["criteria"]:
        if c.get("parent"):
            children.setdefault(c["parent"], []).append(c["code"])

    def max_of(code: str) -> Decimal:
        given = parse_number(raw[code].get("max"))
        if given is not None:
            return given
        if code not in children:
            raise DemoDataError(f"Tiêu chí {code} không có điểm tối đa và không có tiêu chí con.")
        return sum((max_of(child) for child in children[code]), Decimal(0))

    return [
        CriterionRow(
            code=c["code"], name=c["name"], level=c["level"], parent=c.get("parent"), max_score=max_of(c["code"]),
            method=c.get("method", "manual"), formula=c.get("formula", {}), rounding=c.get("rounding", ""),
            rounding_places=c.get("rounding_places"), responsible_units=c.get("responsible_units", []),
            guidance=c.get("guidance", ""), provenance=c.get("provenance", ""),
        )
        for c in data["criteria"]
    ]


def load_criteria_set(relative: str) -> CriteriaSet:
    data = _read(relative)
    meta = {k: data[k] for k in ("code", "name", "kind", "legal_basis", "year", "subject_kind",
                                 "rounding", "rounding_places", "class_bands", "notes")}
    meta["complete"] = data.get("complete", True)
    return save_criteria_set(meta, criterion_rows(data))


def load_assessment(relative: str) -> Assessment:
    """Create or update one assessment and its scores. A score created here gets its values directly
    (the fixture is its source); an existing score that differs from the fixture is changed through
    scoring.actions.set_score, so a re-run with unchanged data writes no audit row at all."""
    return save_assessment(_read(relative), relative)


def save_assessment(data: dict, relative: str) -> Assessment:
    """One assessment of a fixture (``relative`` names the file in error messages)."""
    criteria_set = CriteriaSet.objects.get(code=data["set"])
    assessment, created = Assessment.objects.get_or_create(
        criteria_set=criteria_set,
        period=Period.objects.get(code=data["period"]),
        subject=Unit.objects.get(name=data["subject"]),
        defaults={"status": data["status"], "notes": data["notes"]},
    )
    if not created and (assessment.status, assessment.notes) != (data["status"], data["notes"]):
        assessment.status, assessment.notes = data["status"], data["notes"]
        assessment.save(update_fields=["status", "notes", "updated_at"])

    criteria = {c.code: c for c in criteria_set.criteria.all()}
    for row in data["scores"]:
        criterion = criteria.get(row["criterion"])
        if criterion is None:
            raise DemoDataError(f"{relative}: tiêu chí {row['criterion']} không có trong bộ {criteria_set.code}.")
        values = _score_values(relative, criterion, row)
        units = list(Unit.objects.filter(name__in=row["responsible_units"]))
        if len(units) != len(set(row["responsible_units"])):
            missing = set(row["responsible_units"]) - {u.name for u in units}
            raise DemoDataError(f"{relative}, {criterion.code}: đơn vị không có trong danh mục: {sorted(missing)}")
        score = Score.objects.filter(assessment=assessment, criterion=criterion).first()
        if score is None:
            score = Score.objects.create(assessment=assessment, criterion=criterion, **values)
            score.responsible_units.set(units)
        else:
            actions.set_score(score, acting_user=None, reason=RELOAD_REASON, responsible_units=units, **values)
    return assessment


def _score_values(relative: str, criterion: Criterion, row: dict) -> dict:
    self_score = parse_number(row.get("self"))
    appraised = parse_number(row.get("appraised"))
    stated_max = parse_number(row.get("max_in_source"))
    if stated_max is not None and stated_max != criterion.max_score:
        raise DemoDataError(
            f"{relative}, {criterion.code}: điểm tối đa trong văn bản {stated_max} khác danh mục {criterion.max_score}."
        )
    stated_deduction = parse_number(row.get("deduction_in_source"))
    if stated_deduction is not None and appraised is not None and stated_deduction != appraised - criterion.max_score:
        raise DemoDataError(
            f"{relative}, {criterion.code}: điểm bị trừ trong văn bản {stated_deduction} khác "
            f"điểm thẩm định − điểm tối đa = {appraised - criterion.max_score}."
        )
    return {
        "self_score": self_score,
        "appraised_score": appraised,
        "comment": row.get("comment", ""),
        "responsible_text": row.get("responsible_text", ""),
    }
