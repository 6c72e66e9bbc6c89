"""Properties of the engine over many inputs (hypothesis): bounds, monotonicity, exact rounding, ranks."""

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.engine import HALF_UP, TRUNCATE, CriterionSpec, RoundingRule, compute_criterion, point_cost, rank

RATE = {"type": "rate", "numerator": ["n"], "denominator": ["d"]}
STEPS = {
    "type": "steps", "numerator": ["n"], "denominator": ["d"],
    "steps": [{"min": "90", "share": "1"}, {"min": "70", "share": "0.75"}, {"min": "50", "share": "0.333"}],
}

maxima = st.decimals(min_value=Decimal("0.25"), max_value=Decimal(100), places=2)
rules = st.builds(RoundingRule, st.sampled_from([HALF_UP, TRUNCATE]), st.integers(min_value=0, max_value=4))
formulas = st.sampled_from([RATE, STEPS])


@st.composite
def group(draw):
    """A few units, each with a count done out of a count received (done ≤ received)."""
    units = {}
    for name in range(draw(st.integers(min_value=1, max_value=5))):
        received = draw(st.integers(min_value=0, max_value=10**9))
        units[name] = {"n": draw(st.integers(min_value=0, max_value=received)), "d": received}
    return units


def score(formula, max_score, rule, metrics):
    return compute_criterion(CriterionSpec("x", max_score, "metric", formula, rule), metrics).score


def fraction_round(value: Fraction, rule: RoundingRule) -> Decimal:
    """Round a non-negative exact fraction, independently of Decimal's quantize."""
    scaled = value * 10**rule.places
    whole = math.floor(scaled + Fraction(1, 2)) if rule.mode == HALF_UP else math.floor(scaled)
    return Decimal(whole).scaleb(-rule.places)


def expected_rate_score(max_score: Decimal, numerator: int, denominator: int, rule: RoundingRule) -> Decimal:
    """The rule, stated with fractions: max × n / d within [0, max], rounded, and never above the max."""
    value = min(Fraction(max_score) * numerator / denominator, Fraction(max_score))
    return min(fraction_round(value, rule), max_score)


@given(formulas, maxima, rules, group())
def test_a_score_stays_within_zero_and_max(formula, max_score, rule, metrics):
    result = score(formula, max_score, rule, metrics)
    if sum(u["d"] for u in metrics.values()) == 0:
        assert result is None
    else:
        assert 0 <= result <= max_score


@given(formulas, maxima, rules, group(), st.integers(min_value=0), st.integers(min_value=0, max_value=10**6))
def test_a_score_never_falls_when_the_rate_rises(formula, max_score, rule, metrics, pick, extra):
    unit = list(metrics)[pick % len(metrics)]
    metrics[unit]["d"] += extra  # room for the numerator to grow
    before = score(formula, max_score, rule, metrics)
    metrics[unit]["n"] += extra
    after = score(formula, max_score, rule, metrics)
    if before is not None:
        assert after >= before


@given(maxima, rules, group())
def test_a_rate_score_rounds_exactly(max_score, rule, metrics):
    numerator = sum(u["n"] for u in metrics.values())
    denominator = sum(u["d"] for u in metrics.values())
    result = score(RATE, max_score, rule, metrics)
    if denominator:
        assert result == expected_rate_score(max_score, numerator, denominator, rule)


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=0), maxima, rules)
def test_a_rate_of_small_counts_rounds_exactly(denominator, pick, max_score, rule):
    # Small counts hit exact halves and whole steps often, where an inexact computation would slip.
    numerator = pick % (denominator + 1)
    result = score(RATE, max_score, rule, {"u": {"n": numerator, "d": denominator}})
    assert result == expected_rate_score(max_score, numerator, denominator, rule)


@given(st.sampled_from([HALF_UP, TRUNCATE]), st.integers(min_value=1, max_value=500), st.integers(min_value=0, max_value=99))
def test_halves_round_up_and_truncation_drops_them(mode, m, k):
    # max 1 and n/d = m(2k+1) / 200m = k/100 + 0,005: exactly on a half of the second decimal.
    result = score(RATE, Decimal(1), RoundingRule(mode, 2), {"u": {"n": m * (2 * k + 1), "d": 200 * m}})
    assert result == Decimal(k + (1 if mode == HALF_UP else 0)) / 100


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.one_of(st.none(), st.decimals(-1000, 1000, places=2)), max_size=12),
       st.booleans(), st.randoms(use_true_random=False))
def test_ranks_depend_only_on_the_values(values, descending, rng):
    items = list(values.items())
    rng.shuffle(items)
    ranks = rank(values, descending=descending)
    assert rank(dict(items), descending=descending) == ranks
    for unit, r in ranks.items():
        better = [v for v in values.values() if v is not None and (v > values[unit] if descending else v < values[unit])]
        assert r.position == len(better) + 1


@given(maxima, rules, group(), st.integers(min_value=0, max_value=100))
def test_the_cost_of_a_target_is_the_smallest_count_that_reaches_it(max_score, rule, metrics, percent):
    criterion = CriterionSpec("x", max_score, "metric", RATE, rule)
    target = rule.apply(max_score * percent / 100)
    assume(target <= max_score)
    cost = point_cost(criterion, metrics, target=target)
    if cost.needed is None:  # only with nothing received, or a target not reached even at 100 %
        everything_done = {name: {"n": values["d"], "d": values["d"]} for name, values in metrics.items()}
        full = score(RATE, max_score, rule, everything_done)
        assert (full is None or full < target) and cost.reason
        return
    unit = next(iter(metrics))
    grown = {name: dict(values) for name, values in metrics.items()}
    grown[unit]["n"] += cost.needed
    assert score(RATE, max_score, rule, grown) >= target
    if cost.needed:
        grown[unit]["n"] -= 1
        assert score(RATE, max_score, rule, grown) < target


def test_the_independent_rounding_agrees_with_known_cases():
    # So that the properties above compare against something right, not just something different.
    assert fraction_round(Fraction(2476, 1000), RoundingRule(HALF_UP, 2)) == Decimal("2.48")
    assert fraction_round(Fraction(2476, 1000), RoundingRule(TRUNCATE, 2)) == Decimal("2.47")
    assert fraction_round(Fraction(5, 1000), RoundingRule(HALF_UP, 2)) == Decimal("0.01")
