"""compute_scores on the demo data prints the letters' totals, in the shape DESIGN.md fixes."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from common.numbers import parse_number

from .conftest import seed004_rows, seed004_total_deduction, seed_text
from .engine_seeds import cchc_appendix_rows

KEYS = {"set", "period", "unit", "criteria", "areas", "total", "index_percent"}
CRITERION_KEYS = {"max", "self", "appraised", "computed", "deduction", "rate"}


def run(*args) -> dict:
    out = StringIO()
    call_command("compute_scores", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_half_year_cchc_totals_of_seed_001(demo):
    data = run("--period", "2023-H1", "--set", "CCHC-2023")
    letter = seed_text("001")
    stated = re.search(r"bị trừ điểm ở (\d+) tiêu chí/tiêu chí thành phần với ([\d,]+) điểm", letter)
    index = re.search(r"đạt \*\*([\d,]+)%\*\*", letter).group(1)

    assert set(data) == KEYS
    assert (data["set"], data["period"], data["unit"]) == ("CCHC-2023", "2023-H1", "UBND huyện Vĩnh Linh")
    assert Decimal(data["total"]["deduction"]) == -parse_number(stated.group(2))
    assert Decimal(data["index_percent"]) == parse_number(index)
    assert data["total"]["max"] == "79.00"  # the half-year's in-scope max (DOMAIN.md)
    deducted = [code for code, row in data["criteria"].items() if Decimal(row["deduction"]) < 0]
    assert len(deducted) == int(stated.group(1))
    for row in cchc_appendix_rows():
        printed = data["criteria"][row["code"]]
        assert set(printed) == CRITERION_KEYS
        assert (Decimal(printed["max"]), Decimal(printed["appraised"]), Decimal(printed["deduction"])) == (
            row["max"], row["appraised"], row["deduction"])
    # Area sums add up to the total; every value is a string, never a float.
    assert sum(Decimal(a["deduction"]) for a in data["areas"].values()) == Decimal(data["total"]["deduction"])
    assert all(isinstance(v, str) for a in data["areas"].values() for k, v in a.items())


def test_it_prints_the_htnv_2023_deduction_of_seed_004(demo):
    data = run("--period", "2023", "--set", "HTNV-2023")
    assert Decimal(data["total"]["deduction"]) == seed004_total_deduction()
    assert {code for code, row in data["criteria"].items() if Decimal(row["deduction"]) < 0} == {
        row.code for row in seed004_rows()}


def test_it_names_the_unit_and_refuses_an_unknown_assessment(demo):
    assert run("--period", "2023-R1", "--set", "HTNV-2023", "--unit", "UBND huyện Vĩnh Linh")["unit"] == \
        "UBND huyện Vĩnh Linh"
    with pytest.raises(CommandError, match="Không có đợt đánh giá"):
        run("--period", "2023-H1", "--set", "HTNV-2023")
    with pytest.raises(CommandError, match="Không có đợt đánh giá"):
        run("--period", "2023-R1", "--set", "HTNV-2023", "--unit", "Phòng Y tế")


def test_it_prints_a_readable_table_by_default(demo):
    out = StringIO()
    call_command("compute_scores", "--period", "2023-H1", "--set", "CCHC-2023", stdout=out)
    assert "bị trừ -23,41" in out.getvalue() and "70,37 %" in out.getvalue()
