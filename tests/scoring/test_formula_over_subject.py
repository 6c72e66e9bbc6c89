"""A rate "over" the assessed unit's own row: HTNV VI.2.b and CCHC 3.12.2 count the district's own
online services, not its communes' catalogues. With seed 000's whole appendix 1 stored (the district's
row and the eighteen communes'), the district's VI.2.b proposal is the letter's 1,07/2; summed over the
tree the same counts would give another score, which the letter does not print."""

import json
from fractions import Fraction

from django.conf import settings

from scoring.choices import Method
from scoring.computing import compute_assessment
from scoring.models import Assessment, Score

from .engine_seeds import dvc_rows, letter_figure
from .test_computing import criterion, district_with_units, half_up, make_set, period, put_metrics  # noqa: F401

DISTRICT_ROW = "1. UBND huyện Vĩnh Linh"


def catalogue_formula(file_name: str, code: str) -> dict:
    data = json.loads((settings.BASE_DIR / "fixtures" / "criteria" / file_name).read_text(encoding="utf-8"))
    (found,) = [c["formula"] for c in data["criteria"] if c["code"] == code]
    return found


def district_with_appendix_1(period):
    rows, _ = dvc_rows()
    communes = [name for name in rows if name != DISTRICT_ROW]
    district, units = district_with_units(len(communes))
    put_metrics(period, {district: rows[DISTRICT_ROW]["metrics"]}
                | {unit: rows[name]["metrics"] for unit, name in zip(units, communes)})
    return district, rows


def proposal(period, district, formula, code="VI.2.b"):
    criteria_set = make_set(code=f"HTNV-{len(str(formula))}")
    c = criterion(criteria_set, code, 2, method=Method.METRIC, formula=formula)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    Score.objects.create(assessment=assessment, criterion=c)
    return compute_assessment(assessment).line(code)


def test_vi2b_is_the_letters_figure_from_the_districts_own_services(period):
    district, rows = district_with_appendix_1(period)
    (stated,) = letter_figure("000", r"phát sinh hồ sơ trực tuyến ([\d,]+)/2")
    formula = catalogue_formula("htnv_2023.json", "VI.2.b")
    assert formula["over"] == "subject"

    line = proposal(period, district, formula)

    assert line.proposal == stated
    assert list(line.metrics) == [district.name]
    own = rows[DISTRICT_ROW]["metrics"]
    assert line.computed.numerator == own["dvc_partial_services_with_online_dossiers"] + own["dvc_full_services_with_online_dossiers"]


def test_the_same_counts_summed_over_the_tree_give_another_score(period):
    district, rows = district_with_appendix_1(period)
    (stated,) = letter_figure("000", r"phát sinh hồ sơ trực tuyến ([\d,]+)/2")
    formula = {k: v for k, v in catalogue_formula("htnv_2023.json", "VI.2.b").items() if k != "over"}

    line = proposal(period, district, formula)

    keys = ("numerator", "denominator")
    sums = [sum(r["metrics"][k] for r in rows.values() for k in formula[key]) for key in keys]
    assert line.proposal == half_up(Fraction(2 * int(sums[0]), int(sums[1])))
    assert line.proposal != stated and len(line.metrics) == len(rows)


def test_cchc_3122_reads_the_districts_own_row_like_vi2b():
    assert catalogue_formula("cchc_2023.json", "3.12.2")["over"] == "subject"
    vi2b = catalogue_formula("htnv_2023.json", "VI.2.b")
    cchc = catalogue_formula("cchc_2023.json", "3.12.2")
    assert (cchc["numerator"], cchc["denominator"]) == (vi2b["numerator"], vi2b["denominator"])


def test_an_unknown_over_gives_no_proposal_and_says_why(period):
    district, _ = district_with_appendix_1(period)
    formula = {**catalogue_formula("htnv_2023.json", "VI.2.b"), "over": "xã"}

    line = proposal(period, district, formula)

    assert line.proposal is None
    assert '"over"' in line.computed.reason and "subject" in line.computed.reason
