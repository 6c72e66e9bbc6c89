"""What a point costs: how many more items the units must process for a rate criterion to gain points."""

from decimal import Decimal

from scoring.engine import HALF_UP, TRUNCATE, CriterionSpec, RoundingRule, compute_criterion, point_cost

from .engine_seeds import incoming_rows

VI_1 = {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]}


def vi1(rounding=RoundingRule()):
    return CriterionSpec("VI.1", Decimal(5), "metric", VI_1, rounding)


def with_more_processed(metrics, unit, extra):
    changed = {name: dict(values) for name, values in metrics.items()}
    changed[unit]["incoming_closed"] += extra
    return changed


def test_it_finds_the_smallest_whole_count_that_reaches_the_max_under_the_rounding():
    metrics = {"a": {"incoming_replied": 0, "incoming_closed": 90, "incoming_total": 100}}
    # Half-up, 5 × n/100 ≥ 4,995 needs n ≥ 99,9 → 10 more; truncation needs all 100 → 10 more as well,
    # and with 1 000 documents the two rules part: 999 vs 1 000 processed.
    assert point_cost(vi1(), metrics).needed == 10
    big = {"a": {"incoming_replied": 0, "incoming_closed": 900, "incoming_total": 1000}}
    assert point_cost(vi1(RoundingRule(HALF_UP, 2)), big).needed == 99
    assert point_cost(vi1(RoundingRule(TRUNCATE, 2)), big).needed == 100


def test_it_costs_a_target_score_on_the_round1_vi1_data_and_the_count_is_tight():
    metrics = incoming_rows()
    current = compute_criterion(vi1(), metrics).score
    target = current + Decimal("0.10")
    cost = point_cost(vi1(), metrics, target=target, responsible_units=["3. Phòng Y tế", "11. Phòng Tài chính - Kế hoạch"])
    assert cost.target_score == target and cost.points_available == 5 - current
    health, finance = cost.units
    assert not health.can_reach_alone and finance.can_reach_alone  # 333 pending vs 4.142 pending
    assert health.available < cost.needed <= finance.available
    unit = finance.unit
    assert compute_criterion(vi1(), with_more_processed(metrics, unit, cost.needed)).score >= target
    assert compute_criterion(vi1(), with_more_processed(metrics, unit, cost.needed - 1)).score < target


def test_it_says_what_each_responsible_unit_would_bring_by_clearing_its_own_backlog():
    metrics = incoming_rows()
    cost = point_cost(vi1(), metrics, responsible_units=["3. Phòng Y tế", "11. Phòng Tài chính - Kế hoạch"])
    health, finance = cost.units
    assert health.available == 333 and finance.available == 4142  # their pending documents (appendix 2)
    assert not health.can_reach_alone and not finance.can_reach_alone  # the max needs more than either has
    current = cost.current.score
    assert current < health.score_if_complete < finance.score_if_complete <= 5
    assert finance.score_if_complete == compute_criterion(vi1(), with_more_processed(metrics, finance.unit, 4142)).score


def test_it_costs_nothing_at_the_max_and_refuses_a_target_above_it():
    full = {"a": {"incoming_replied": 0, "incoming_closed": 10, "incoming_total": 10}}
    assert point_cost(vi1(), full).needed == 0
    half = {"a": {"incoming_replied": 0, "incoming_closed": 5, "incoming_total": 10}}
    above = point_cost(vi1(), half, target=Decimal(6))
    assert above.needed is None and "vượt điểm tối đa" in above.reason


def test_it_says_why_when_the_score_cannot_be_computed():
    cost = point_cost(vi1(), {"a": {"incoming_replied": 0, "incoming_closed": None, "incoming_total": 10}})
    assert cost.needed is None and "incoming_closed" in cost.reason


def test_it_costs_a_step_table_to_the_next_step():
    steps = {
        "type": "steps", "numerator": ["done"], "denominator": ["all"],
        "steps": [{"min": "70", "share": "1"}, {"min": "50", "share": "0.5"}],
    }
    criterion = CriterionSpec("3.10.1", Decimal(1), "steps", steps)
    metrics = {"a": {"done": 40, "all": 100}}
    assert point_cost(criterion, metrics, target=Decimal("0.5")).needed == 10
    assert point_cost(criterion, metrics).needed == 30
