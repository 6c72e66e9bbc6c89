"""The formulas written into the 2023 sets' data (fixtures/criteria) are ones the engine reads and computes."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from common.numbers import parse_number
from scoring.engine import CriterionSpec, compute_criterion, resolve_rounding

from .engine_seeds import by_code, cchc_appendix_rows, htnv_appendix_rows

CATALOGUES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "criteria").glob("*.json"))


def specs(path: Path) -> dict[str, CriterionSpec]:
    """Every criterion of a catalogue with a method other than manual, as the engine sees it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = {}

    def walk(criteria):
        for item in criteria:
            if item.get("method", "manual") != "manual":
                rounding = resolve_rounding(
                    data["rounding"], data["rounding_places"], item.get("rounding") or "", item.get("rounding_places"),
                )
                found[item["code"]] = CriterionSpec(
                    item["code"], parse_number(item["max"]), item["method"], item["formula"], rounding,
                )
            walk(item.get("children", []))

    walk(data["criteria"])
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.stem)
def test_it_reads_every_formula_of_the_catalogue(path):
    criteria = specs(path)
    assert criteria
    for criterion in criteria.values():
        formula = criterion.formula
        keys = set(formula.get("numerator", [])) | set(formula.get("denominator", []))
        # Every rate at 100 % and every referenced index at 100 % must give the max.
        metrics = {"u": {key: Decimal(1) for key in keys}}
        references = {(formula.get("set"), formula.get("period")): Decimal(100)}
        result = compute_criterion(criterion, metrics, references)
        assert result.score == criterion.max_score, (criterion.code, result.reason)


def test_it_scores_the_catalogues_v5_and_ii_as_seed_004_prints_them():
    (htnv,) = [p for p in CATALOGUES if p.stem == "htnv_2023"]
    criteria = specs(htnv)
    rows, _ = htnv_appendix_rows()
    v5 = criteria["V.5"]
    metrics = {"Vĩnh Linh": {v5.formula["numerator"][0]: 30982, v5.formula["denominator"][0]: 31017}}
    assert compute_criterion(v5, metrics).score == by_code(rows, "V.5")["appraised"]
    ii = criteria["II"]
    assert compute_criterion(ii, {}, {("CCHC-2023", "2023"): Decimal("94.74")}).score == by_code(rows, "II")["appraised"]


def test_it_scores_the_catalogues_cchc_312_criteria_from_the_council_counts():
    (cchc,) = [p for p in CATALOGUES if p.stem == "cchc_2023"]
    criteria = specs(cchc)
    rows = cchc_appendix_rows()
    # 3.12.1 has one key each side; the counts of the council's comment go straight in.
    c3121 = criteria["3.12.1"]
    metrics = {"Vĩnh Linh": {c3121.formula["numerator"][0]: 325, c3121.formula["denominator"][0]: 408}}
    assert compute_criterion(c3121, metrics).score == by_code(rows, "3.12.1")["appraised"]
