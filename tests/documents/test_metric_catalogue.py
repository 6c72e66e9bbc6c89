"""The metric catalogue says one thing per key, and every formula of the criteria sets speaks its keys."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from common.numbers import parse_number
from documents.metrics import METRICS, RATE, rate_of
from tests.scoring.conftest import seed_text

CRITERIA = Path(__file__).resolve().parents[2] / "fixtures" / "criteria"


def _formulas(node, where=""):
    """(where, formula) of every formula in a criteria file, wherever it sits in the JSON."""
    if isinstance(node, dict):
        if isinstance(node.get("formula"), dict):
            yield f"{where}{node.get('code', '?')}", node["formula"]
        for value in node.values():
            yield from _formulas(value, where)
    elif isinstance(node, list):
        for value in node:
            yield from _formulas(value, where)


def _keys(formula, name):
    value = formula.get(name) or []
    return [value] if isinstance(value, str) else list(value)


FORMULAS = [
    (f"{path.name}: {code}", formula)
    for path in sorted(CRITERIA.glob("*.json"))
    for code, formula in _formulas(json.loads(path.read_text(encoding="utf-8")))
]


def test_there_are_formulas_to_check():
    assert any(formula.get("type") == "rate" for _, formula in FORMULAS)


@pytest.mark.parametrize("where, formula", FORMULAS, ids=[w for w, _ in FORMULAS])
def test_every_metric_key_a_formula_names_is_in_the_catalogue(where, formula):
    named = _keys(formula, "numerator") + _keys(formula, "denominator") + _keys(formula, "metric")
    assert [key for key in named if key not in METRICS] == [], where


NAMING = [(w, f) for w, f in FORMULAS if f.get("metric")]


@pytest.mark.parametrize("where, formula", NAMING, ids=[w for w, _ in NAMING])
def test_a_formula_computes_the_rate_it_names(where, formula):
    metric = METRICS[formula["metric"]]
    assert metric.kind == RATE and metric.derived, where
    assert (set(metric.numerator), set(metric.denominator)) == (
        set(_keys(formula, "numerator")), set(_keys(formula, "denominator"))), where


@pytest.mark.parametrize("name", ["cchc_2023.json", "htnv_2023.json"])
def test_the_2023_sets_name_the_rate_each_formula_scores(name):
    formulas = [(code, f) for code, f in _formulas(json.loads((CRITERIA / name).read_text(encoding="utf-8")))
                if f.get("type") in ("rate", "steps")]
    assert formulas and [code for code, f in formulas if not f.get("metric")] == []


def test_each_rate_formula_is_defined_once():
    # Two keys with the same numerator and denominator would be the same rate under two names.
    seen = {}
    for metric in METRICS.values():
        if metric.derived:
            parts = (frozenset(metric.numerator), frozenset(metric.denominator))
            assert parts not in seen, (metric.key, seen.get(parts))
            seen[parts] = metric.key


def _seed000_district_row() -> dict[int, int]:
    """Seed 000, appendix 1: the district's own row, counts (3)…(9) by the appendix's column numbers."""
    lines = seed_text("000").splitlines()
    numbers = next(i for i, ln in enumerate(lines) if "(5)=(3)+ (4)" in ln)  # the numbered-columns row
    cells = lines[numbers + 1].split("\t")
    assert cells[1] == "UBND huyện Vĩnh Linh"
    return {number: int(cells[number - 1]) for number in range(3, 10)}


def test_the_services_rate_the_criteria_score_reproduces_seed_000():
    row = _seed000_district_row()
    values = {
        "dvc_partial_services": row[3], "dvc_full_services": row[4],
        "dvc_partial_services_with_dossiers": row[6], "dvc_partial_services_with_online_dossiers": row[7],
        "dvc_full_services_with_dossiers": row[8], "dvc_full_services_with_online_dossiers": row[9],
    }
    assert row[5] == row[3] + row[4]  # (5) = (3) + (4), as the appendix's header says
    # The letter: "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến 1,07/2 điểm" (HTNV VI.2.b, round 1).
    score, maximum = (parse_number(x) for x in re.search(
        r"Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến ([\d,]+)/([\d,]+) điểm", seed_text("000")).groups())

    def points(key):
        return (rate_of(METRICS[key], values) * maximum / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    assert points("dvc_services_with_dossiers_online_rate") == score
    # DOMAIN.md's rate, over every service (5), is another figure: the criteria do not score it.
    assert points("dvc_services_with_online_dossiers_rate") != score
