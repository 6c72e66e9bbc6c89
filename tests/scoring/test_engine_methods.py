"""The methods of a criterion: what it scores, what it refuses, and why (no silent zeros)."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from scoring.engine import (
    HALF_UP,
    TRUNCATE,
    CriterionSpec,
    RoundingRule,
    compute_criterion,
    parse_steps,
    resolve_rounding,
    score_for_rate,
)
from scoring.engine.methods import FormulaError

RATE = {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]}
STEPS = {
    "type": "steps", "numerator": ["tthc_digitized"], "denominator": ["tthc_received"],
    "steps": [{"min": "50", "share": "0.5"}, {"min": "70", "share": "1"}],
}


def unit(replied, closed, total):
    return {"incoming_replied": replied, "incoming_closed": closed, "incoming_total": total}


def test_it_rounds_half_up_or_truncates_to_the_places_asked():
    value = Decimal("2.476")
    assert RoundingRule(HALF_UP, 2).apply(value) == Decimal("2.48")
    assert RoundingRule(TRUNCATE, 2).apply(value) == Decimal("2.47")
    assert RoundingRule(HALF_UP, 1).apply(Decimal("2.45")) == Decimal("2.5")
    assert RoundingRule(HALF_UP, 0).apply(Decimal("2.5")) == 3


def test_it_lets_a_criterion_override_the_sets_rounding():
    assert resolve_rounding(HALF_UP, 2) == RoundingRule(HALF_UP, 2)
    assert resolve_rounding(HALF_UP, 2, TRUNCATE) == RoundingRule(TRUNCATE, 2)
    assert resolve_rounding(HALF_UP, 2, "", 3) == RoundingRule(HALF_UP, 3)
    with pytest.raises(ValueError):
        RoundingRule("round_even", 2)


def test_it_sums_numerators_and_denominators_over_the_units():
    criterion = CriterionSpec("VI.1", Decimal(5), "metric", RATE)
    # 9/10 and 1/90: Σ/Σ is 10 %, the mean of the two rates would be 45,6 %.
    result = compute_criterion(criterion, {"a": unit(4, 5, 10), "b": unit(0, 1, 90)})
    assert (result.numerator, result.denominator, result.rate_percent, result.score) == (10, 100, 10, Decimal("0.50"))


def test_it_gives_no_score_and_names_what_is_missing_when_a_value_is_blank():
    criterion = CriterionSpec("VI.1", Decimal(5), "metric", RATE)
    result = compute_criterion(criterion, {"a": unit(4, 5, 10), "Phòng Y tế": unit(0, None, 90)})
    assert result.score is None
    assert "incoming_closed" in result.reason and "Phòng Y tế" in result.reason
    result = compute_criterion(criterion, {"a": {"incoming_replied": 1, "incoming_closed": 1}})
    assert result.score is None and "incoming_total" in result.reason


def test_it_gives_no_score_for_a_zero_denominator_or_no_units():
    criterion = CriterionSpec("VI.1", Decimal(5), "metric", RATE)
    zero = compute_criterion(criterion, {"a": unit(0, 0, 0)})
    assert zero.score is None and "mẫu số bằng 0" in zero.reason
    nobody = compute_criterion(criterion, {})
    assert nobody.score is None and nobody.reason


def test_it_refuses_negative_counts():
    result = compute_criterion(CriterionSpec("VI.1", Decimal(5), "metric", RATE), {"a": unit(-1, 5, 10)})
    assert result.score is None and "âm" in result.reason


def test_it_keeps_a_score_at_its_max_when_the_rate_passes_100():
    result = compute_criterion(CriterionSpec("VI.1", Decimal(5), "metric", RATE), {"a": unit(6, 6, 10)})
    assert result.rate_percent == 120 and result.score == 5


def test_it_never_rounds_a_score_above_a_max_finer_than_the_rounding():
    criterion = CriterionSpec("x", Decimal("0.25"), "metric", RATE, RoundingRule(HALF_UP, 1))
    assert compute_criterion(criterion, {"a": unit(5, 5, 10)}).score == Decimal("0.25")
    assert compute_criterion(criterion, {"a": unit(4, 5, 10)}).score == Decimal("0.2")


def test_it_scores_a_step_table_by_the_highest_step_reached():
    criterion = CriterionSpec("3.10.1", Decimal(1), "steps", STEPS)

    def score(digitized, received):
        return compute_criterion(criterion, {"a": {"tthc_digitized": digitized, "tthc_received": received}}).score

    assert score(70, 100) == 1
    assert score(6999, 10000) == Decimal("0.50")  # 69,99 % is below the 70 % step
    assert score(50, 100) == Decimal("0.50")
    assert score(49, 100) == 0


def test_it_refuses_malformed_steps():
    with pytest.raises(FormulaError):
        parse_steps({"steps": [{"min": "70"}]})
    with pytest.raises(FormulaError):
        parse_steps({"steps": [{"min": "70", "share": "2"}]})


def test_it_scores_a_reference_as_index_times_max_and_says_when_the_index_is_missing():
    criterion = CriterionSpec("II", Decimal(50), "reference", {"type": "reference", "set": "CCHC-2023", "period": "2023"})
    assert compute_criterion(criterion, {}, {("CCHC-2023", "2023"): Decimal("80")}).score == 40
    missing = compute_criterion(criterion, {}, {("CCHC-2023", "2023-H1"): Decimal("70.37")})
    assert missing.score is None and "CCHC-2023" in missing.reason


def test_it_does_not_compute_manual_criteria_or_unreadable_formulas():
    manual = compute_criterion(CriterionSpec("1.2", Decimal(4)), {"a": unit(1, 1, 2)})
    assert manual.score is None and "thủ công" in manual.reason
    broken = compute_criterion(CriterionSpec("x", Decimal(1), "metric", {"type": "rate", "numerator": []}), {"a": {}})
    assert broken.score is None and "không hợp lệ" in broken.reason
    unknown = compute_criterion(CriterionSpec("x", Decimal(1), "metric", {"type": "median"}), {"a": {}})
    assert unknown.score is None and "median" in unknown.reason


def test_it_scores_a_rate_given_in_percent():
    assert score_for_rate(Decimal("94.74"), Decimal(50), RoundingRule()) == Decimal("47.37")
    assert score_for_rate(Decimal("0"), Decimal(50), RoundingRule()) == 0


def test_it_runs_without_django():
    # The engine is pure: importing it must not load the ORM (services feed it plain values).
    code = "import sys, scoring.engine; sys.exit(1 if any(m.startswith('django') for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=False).returncode == 0
