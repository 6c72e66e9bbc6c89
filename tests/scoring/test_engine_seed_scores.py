"""Every metric-driven score the seeds print, recomputed from the seeds' own numbers (DOMAIN.md)."""

import re
from decimal import Decimal

import pytest

from common.numbers import parse_number
from scoring.engine import HALF_UP, TRUNCATE, CriterionSpec, RoundingRule, compute_criterion, score_for_rate

from .engine_seeds import by_code, cchc_appendix_rows, htnv_appendix_rows

HALF_UP_2 = RoundingRule(HALF_UP, 2)
TWO_KEYS = {"type": "rate", "numerator": ["numerator"], "denominator": ["denominator"]}


def stated_rate(note: str) -> Decimal:
    """"Tỷ lệ xử lý văn bản đến của huyện đạt 84,2%" → 84.2."""
    (rate,) = re.findall(r"đạt:?\s*([\d.,]+)\s*%", note)
    return parse_number(rate)


def ratio_of(text: str) -> tuple[Decimal, Decimal]:
    """The first "a/b" of a council comment: "$(8/112)*1=0,07$" → (8, 112)."""
    numerator, denominator = re.search(r"(\d[\d.]*)/(\d[\d.]*)", text).groups()
    return parse_number(numerator), parse_number(denominator)


def computed(code, max_score, numerator, denominator, rounding=HALF_UP_2):
    criterion = CriterionSpec(code, max_score, "metric", TWO_KEYS, rounding)
    return compute_criterion(criterion, {"Vĩnh Linh": {"numerator": numerator, "denominator": denominator}})


@pytest.mark.parametrize("code", ["VI.1", "VI.2.a", "VI.2.b", "VI.2.c"])
def test_it_scores_the_htnv_it_criteria_from_their_rates(code):
    # Seed 004: "VI.1 ... 5.00  4.21 ... Tỷ lệ xử lý văn bản đến của huyện đạt 84,2%".
    row = by_code(htnv_appendix_rows()[0], code)
    assert score_for_rate(stated_rate(row["note"]), row["max"], HALF_UP_2) == row["appraised"]


def test_it_scores_htnv_v5_from_dossiers_resolved_on_time():
    # Seed 004: "Số thủ tục hành chính giải quyết trong năm đúng hạn là: 30982/31017 HS" → 4,99 of 5.
    row = by_code(htnv_appendix_rows()[0], "V.5")
    numerator, denominator = ratio_of(row["note"])
    assert (numerator, denominator) == (30982, 31017)
    assert computed("V.5", row["max"], numerator, denominator).score == row["appraised"]


def test_it_scores_htnv_ii_as_the_cchc_index_times_its_max():
    # Seed 004: "II. Kết quả thực hiện nhiệm vụ cải cách hành chính  50  47.37 ... Chỉ số CCHC đạt 94.74%".
    row = by_code(htnv_appendix_rows()[0], "II")
    criterion = CriterionSpec("II", row["max"], "reference", {"type": "reference", "set": "CCHC-2023", "period": "2023"})
    result = compute_criterion(criterion, {}, {("CCHC-2023", "2023"): stated_rate(row["note"])})
    assert result.score == row["appraised"] == Decimal("47.37")


def test_it_scores_cchc_34_from_the_dossiers_in_the_comment():
    # Seed 001: "Tổng số hồ sơ TTHC ... là 14.678 hồ sơ); số hồ sơ TTHC đã giải quyết đúng hạn và trước hạn là 14.651".
    row = by_code(cchc_appendix_rows(), "3.4")
    total = parse_number(re.search(r"năm 2023 là ([\d.]+) hồ sơ", row["comment"]).group(1))
    on_time = parse_number(re.search(r"trước hạn là ([\d.]+) hồ sơ", row["comment"]).group(1))
    assert (on_time, total) == (14651, 14678)
    assert computed("3.4", row["max"], on_time, total).score == row["appraised"] == Decimal("2.99")


@pytest.mark.parametrize("code, expected_ratio", [
    ("3.11.1", (8, 112)), ("3.12.1", (325, 408)), ("3.12.2", (10, 29)), ("3.12.3", (7904, 14835)),
])
def test_it_scores_cchc_rate_criteria_from_the_council_formula(code, expected_ratio):
    row = by_code(cchc_appendix_rows(), code)
    numerator, denominator = ratio_of(row["comment"])
    assert (numerator, denominator) == expected_ratio
    result = computed(code, row["max"], numerator, denominator)
    assert result.score == row["appraised"]
    # The comment also prints the rate where it gives one ("325/408=79.66%"): the engine's rate agrees.
    printed_rate = re.search(r"=\s*([\d.,]+)\\?%", row["comment"])
    if printed_rate:
        assert round(result.rate_percent, 2) == parse_number(printed_rate.group(1))


def test_it_rounds_cchc_half_up_as_the_council_did():
    # 325/408 × 0,5 = 0,3983…: the council wrote 0,40, which half-up gives and truncation would not.
    row = by_code(cchc_appendix_rows(), "3.12.1")
    numerator, denominator = ratio_of(row["comment"])
    assert computed("3.12.1", row["max"], numerator, denominator, RoundingRule(TRUNCATE, 2)).score != row["appraised"]
    assert computed("3.12.1", row["max"], numerator, denominator, RoundingRule(HALF_UP, 2)).score == row["appraised"]
