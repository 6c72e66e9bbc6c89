"""Totals, deductions, the index and the HTNV class, from the seeds' appendices (seeds 001 and 004)."""

from decimal import Decimal

import pytest

from scoring.engine import ScoreLine, classify, compute_totals

from .engine_seeds import cchc_appendix_rows, htnv_appendix_rows, letter_figure

# DOMAIN.md: "Seed 001: (79 − 23,41) / 79 = 70,37 %": the in-scope max of the first half of 2023.
CCHC_H1_IN_SCOPE_MAX = Decimal(79)
BANDS = [
    {"min": "70", "label": "Hoàn thành tốt nhiệm vụ"},
    {"min": "90", "label": "Hoàn thành xuất sắc nhiệm vụ"},
    {"min": "50", "label": "Hoàn thành nhiệm vụ"},
]


def area_of(code: str) -> str:
    return code.split(".")[0]


def cchc_lines() -> list[ScoreLine]:
    return [
        ScoreLine(r["code"], area_of(r["code"]), r["max"], r["self"], r["appraised"])
        for r in cchc_appendix_rows()
    ]


def test_it_counts_and_sums_the_27_deductions_of_the_cchc_half_year():
    count, points = letter_figure("001", r"bị trừ điểm ở (\d+) tiêu chí/tiêu chí thành phần với ([\d,]+) điểm")
    lines = cchc_lines()
    totals = compute_totals(lines).overall
    assert (totals.deducted_count, totals.deduction_total) == (count, -points) == (27, Decimal("-23.41"))
    # Each printed deduction is appraised − max.
    for line, row in zip(lines, cchc_appendix_rows()):
        assert line.deduction == row["deduction"], line.code


def test_it_gives_the_cchc_half_year_index_over_the_in_scope_max():
    # The appendix lists only the deducted criteria; the rest of the in-scope max (79) scored in full.
    # One line stands for them: max = 79 − Σ max of the deducted rows, appraised at that max.
    lines = cchc_lines()
    rest = CCHC_H1_IN_SCOPE_MAX - sum(line.max_score for line in lines)
    lines.append(ScoreLine("others", "others", rest, rest, rest))
    lines.append(ScoreLine("2.1", "2", Decimal(3), appraised=None, in_scope=False))  # not assessed in a half-year
    (stated_index,) = letter_figure("001", r"đạt \*\*([\d,]+)%")
    totals = compute_totals(lines).overall
    assert totals.max_total == CCHC_H1_IN_SCOPE_MAX
    assert totals.index_percent.quantize(Decimal("0.01")) == stated_index == Decimal("70.37")


def test_it_sums_the_htnv_2023_deductions_to_the_plans_total():
    rows, stated_total = htnv_appendix_rows()
    lines = [ScoreLine(r["code"], area_of(r["code"]), r["max"], appraised=r["appraised"]) for r in rows]
    totals = compute_totals(lines)
    assert (totals.overall.deducted_count, totals.overall.deduction_total) == (14, stated_total) == (14, Decimal("-27.75"))
    for area, area_totals in totals.areas.items():
        printed = sum(r["deduction"] for r in rows if area_of(r["code"]) == area)
        assert area_totals.deduction_total == printed, area
    assert list(totals.areas) == ["I", "II", "IV", "V", "VI"]


def test_it_gives_no_index_while_a_criterion_in_scope_is_unappraised():
    lines = [
        ScoreLine("1.1", "1", Decimal(2), appraised=Decimal(2)),
        ScoreLine("1.2", "1", Decimal(4), self_score=Decimal(3)),
    ]
    totals = compute_totals(lines).overall
    assert totals.index_percent is None and totals.unappraised == ("1.2",)
    assert totals.self_total == 3 and totals.appraised_total == 2


def test_it_leaves_out_of_scope_criteria_out_of_every_total():
    lines = [
        ScoreLine("1.1", "1", Decimal(2), appraised=Decimal(1)),
        ScoreLine("1.2", "1", Decimal(4), appraised=Decimal(0), in_scope=False),
    ]
    totals = compute_totals(lines).overall
    assert (totals.max_total, totals.deducted_count, totals.deduction_total) == (2, 1, -1)
    assert totals.index_percent == 50


def test_it_reports_points_still_available_on_a_line():
    assert ScoreLine("3.4", "3", Decimal(3), appraised=Decimal("2.99")).points_available == Decimal("0.01")
    assert ScoreLine("3.4", "3", Decimal(3), self_score=Decimal("2")).points_available == 1
    assert ScoreLine("3.4", "3", Decimal(3)).points_available is None


@pytest.mark.parametrize("value, label", [
    ("95", "Hoàn thành xuất sắc nhiệm vụ"), ("90", "Hoàn thành xuất sắc nhiệm vụ"), ("89.99", "Hoàn thành tốt nhiệm vụ"),
    ("50", "Hoàn thành nhiệm vụ"), ("49.99", None),
])
def test_it_classes_by_configured_bands_in_any_order(value, label):
    assert classify(Decimal(value), BANDS) == label


def test_it_refuses_a_band_without_min_or_label():
    with pytest.raises(ValueError):
        classify(Decimal(1), [{"min": "", "label": "x"}])
    with pytest.raises(ValueError):
        classify(Decimal(1), [{"min": "1"}])
