"""Round 1 of the 2023 HTNV scoring (seed 000): what its appendices determine, and where the letter
and its appendices disagree (the seed has known errors; a careful system shows them, never hides them)."""

from decimal import Decimal
from fractions import Fraction

from common.numbers import parse_number
from scoring.engine import HALF_UP, TRUNCATE, CriterionSpec, RoundingRule, compute_criterion

from .engine_seeds import dvc_rows, incoming_rows, letter_figure

VI_1 = {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]}
DVC_ONLINE = {  # (18) = ((11) + (14)) / ((12) + (15))
    "type": "rate",
    "numerator": ["dvc_partial_online_dossiers", "dvc_full_online_dossiers"],
    "denominator": ["dvc_partial_dossiers", "dvc_full_dossiers"],
}
DVC_PARTIAL_ONLINE = {"type": "rate", "numerator": ["dvc_partial_online_dossiers"], "denominator": ["dvc_partial_dossiers"]}
DVC_FULL_ONLINE = {"type": "rate", "numerator": ["dvc_full_online_dossiers"], "denominator": ["dvc_full_dossiers"]}
SERVICES_WITH_ONLINE_DOSSIERS = {  # ((7) + (9)) / ((6) + (8)): services with online dossiers among those with any
    "type": "rate",
    "numerator": ["dvc_partial_services_with_online_dossiers", "dvc_full_services_with_online_dossiers"],
    "denominator": ["dvc_partial_services_with_dossiers", "dvc_full_services_with_dossiers"],
}
LETTER = r"đạt (\d+)%, đạt ([\d,]+)/(\d+) điểm"  # "... đạt 85%, đạt 4,26/5 điểm"
HALF_UP_2 = RoundingRule(HALF_UP, 2)


def spec(code, max_score, formula, rounding=HALF_UP_2):
    return CriterionSpec(code, Decimal(max_score), "metric", formula, rounding)


def one_decimal(rate: Decimal) -> Decimal:
    return rate.quantize(Decimal("0.1"))  # the appendices print rates to one decimal, half-even/half-up alike here


def test_it_aggregates_vi1_over_the_36_units_as_sums_not_a_mean_of_rates():
    rows = incoming_rows()
    assert len(rows) == 36
    result = compute_criterion(spec("VI.1", 5, VI_1), rows)
    processed = sum(r["incoming_replied"] + r["incoming_closed"] for r in rows.values())
    total = sum(r["incoming_total"] for r in rows.values())
    assert (result.numerator, result.denominator) == (processed, total)
    assert abs(Fraction(result.rate_percent) - Fraction(100 * int(processed), int(total))) < Fraction(1, 10**40)
    unit_rates = [Fraction(int(r["incoming_replied"] + r["incoming_closed"]), int(r["incoming_total"])) for r in rows.values()]
    mean_of_rates = sum(unit_rates) / len(unit_rates)
    assert abs(Fraction(result.rate_percent) / 100 - mean_of_rates) > Fraction(1, 100)  # the two readings differ by >1 point


def test_it_shows_that_the_letters_vi1_figure_is_not_what_its_appendix_2_gives():
    # The letter says "đạt 85%, đạt 4,26/5 điểm"; appendix 2 (to 08/12/2023) gives 88,71 % and 4,44.
    stated_rate, stated_score, max_score = letter_figure("000", LETTER)
    result = compute_criterion(spec("VI.1", max_score, VI_1), incoming_rows())
    assert one_decimal(result.rate_percent) != stated_rate
    assert result.score != stated_score
    assert result.score > stated_score  # the appendix is more favourable than the score the province gave


def test_it_reproduces_appendix_1_unit_rates_from_its_counts():
    units, _ = dvc_rows()
    assert len(units) == 19
    for name, row in units.items():
        metrics, printed = {name: row["metrics"]}, row["printed"]
        for formula, column in ((DVC_PARTIAL_ONLINE, 13), (DVC_FULL_ONLINE, 16), (DVC_ONLINE, 18)):
            result = compute_criterion(spec("x", 1, formula), metrics)
            if result.denominator == 0:
                # The appendix prints 0 where there were no dossiers; the engine gives no rate, with a reason.
                assert printed[column] == 0 and result.rate_percent is None and "mẫu số bằng 0" in result.reason
            else:
                assert one_decimal(result.rate_percent) == printed[column], (name, column)


def test_it_catches_the_two_wrong_total_rates_of_appendix_1():
    units, totals = dvc_rows()
    district_total, _communes_total, grand_total = totals
    assert grand_total["label"] == "TỔNG CỘNG (A+B+C)"
    # The grand total's counts are the sums of the unit rows...
    all_units = compute_criterion(spec("x", 1, DVC_ONLINE), {n: r["metrics"] for n, r in units.items()})
    printed = grand_total["printed"]
    assert all_units.numerator == printed[11] + printed[14] and all_units.denominator == printed[12] + printed[15]
    # ...but its printed rate (88,1) is not theirs (61,9); likewise the district's "Tổng số" (13,2 for 29,2).
    assert (printed[18], one_decimal(all_units.rate_percent)) == (Decimal("88.1"), Decimal("61.9"))
    district = compute_criterion(spec("x", 1, DVC_ONLINE), {"1": units["1. UBND huyện Vĩnh Linh"]["metrics"]})
    assert (district_total["printed"][18], one_decimal(district.rate_percent)) == (Decimal("13.2"), Decimal("29.2"))


def test_it_reproduces_round1_vi2a_only_when_truncating():
    # Letter: "Tỷ lệ hồ sơ DVCTT đạt 2,47/4 điểm". Over all units, (11)+(14) / (12)+(15) = 61,899 %:
    # × 4 = 2,476, which truncation gives as 2,47 and half-up as 2,48.
    (stated,) = letter_figure("000", r"Tỷ lệ hồ sơ DVCTT đạt ([\d,]+)/4")
    metrics = {name: row["metrics"] for name, row in dvc_rows()[0].items()}
    assert compute_criterion(spec("VI.2.a", 4, DVC_ONLINE, RoundingRule(TRUNCATE, 2)), metrics).score == stated
    assert compute_criterion(spec("VI.2.a", 4, DVC_ONLINE, HALF_UP_2), metrics).score == stated + Decimal("0.01")


def test_it_reproduces_round1_vi2b_from_the_districts_own_services():
    # Letter: "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến 1,07/2 điểm". UBND huyện's row: services with online
    # dossiers (7)+(9) = 22 of the 41 with any dossier (6)+(8) → 53,66 % × 2 = 1,07, under either rounding.
    (stated,) = letter_figure("000", r"phát sinh hồ sơ trực tuyến ([\d,]+)/2")
    district = {"1": dvc_rows()[0]["1. UBND huyện Vĩnh Linh"]["metrics"]}
    for mode in (HALF_UP, TRUNCATE):
        result = compute_criterion(spec("VI.2.b", 2, SERVICES_WITH_ONLINE_DOSSIERS, RoundingRule(mode, 2)), district)
        assert (result.numerator, result.denominator, result.score) == (22, 41, parse_number(stated))
