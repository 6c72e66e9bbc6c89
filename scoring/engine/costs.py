"""What a point costs: how much a rate's numerator must grow for a criterion to reach its max or a target.

For a rate over a group of units (Σ numerators / Σ denominators) one more item processed anywhere adds
one to the group numerator, so the whole group needs the same count whichever unit does the work; what
differs is whether a unit alone has that many items left (its own denominator − numerator). Counts
are whole items: the smallest whole number that reaches the target under the criterion's rounding."""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .methods import (
    RATE,
    STEPS,
    ZERO,
    ComputedScore,
    CriterionSpec,
    FormulaError,
    compute_criterion,
    parse_steps,
    rate_score,
    steps_score,
    _keys,
    sum_over_units,
    to_decimal,
)


@dataclass(frozen=True)
class UnitCost:
    """One responsible unit: the items it has left, whether it alone can supply ``needed``, and the
    score the criterion would reach if this unit alone processed everything it has left."""

    unit: Hashable
    available: Decimal | None
    can_reach_alone: bool
    score_if_complete: Decimal | None


@dataclass(frozen=True)
class PointCost:
    """For one criterion: current and target scores, the points still available, and the whole number
    of items the numerator must grow by (None with a reason when it cannot be said)."""

    code: str
    current: ComputedScore
    target_score: Decimal | None
    points_available: Decimal | None
    needed: int | None
    units: tuple[UnitCost, ...] = ()
    reason: str | None = None


def point_cost(
    criterion: CriterionSpec,
    metrics: Mapping[Hashable, Mapping],
    *,
    target=None,
    responsible_units: Iterable[Hashable] | None = None,
) -> PointCost:
    """How many more items (numerator) the units in ``metrics`` must process for ``criterion`` to score
    ``target`` (default: its max), and for each responsible unit (default: every unit) whether it alone can."""
    current = compute_criterion(criterion, metrics)
    formula = criterion.formula or {}
    if current.score is None:
        return PointCost(criterion.code, current, None, None, None, reason=current.reason)
    if formula.get("type") not in (RATE, STEPS):
        return PointCost(criterion.code, current, None, criterion.max_score - current.score, None,
                         reason="Tiêu chí không tính theo tỷ lệ số liệu.")
    target_score = criterion.max_score if target is None else to_decimal(target)
    available_points = criterion.max_score - current.score
    if target_score > criterion.max_score:
        return PointCost(criterion.code, current, target_score, available_points, None,
                         reason="Điểm mục tiêu vượt điểm tối đa của tiêu chí.")
    steps = parse_steps(formula) if formula["type"] == STEPS else ()

    def score_with(numerator: Decimal) -> Decimal:
        if steps:
            return steps_score(numerator, current.denominator, criterion.max_score, steps, criterion.rounding)
        return rate_score(numerator, current.denominator, criterion.max_score, criterion.rounding)

    needed = _smallest_growth(current.numerator, current.denominator, target_score, score_with)
    units = tuple(
        _unit_cost(unit, metrics.get(unit), formula, current.numerator, needed, score_with)
        for unit in (metrics.keys() if responsible_units is None else responsible_units)
    )
    reason = None if needed is not None else "Tử số đã bằng mẫu số mà chưa đạt điểm mục tiêu."
    return PointCost(criterion.code, current, target_score, available_points, needed, units, reason)


def _smallest_growth(numerator: Decimal, denominator: Decimal, target: Decimal, score_with) -> int | None:
    """Smallest whole x ≥ 0 with score(numerator + x) ≥ target, searching up to a numerator equal to
    the denominator (a rate of 100 %); None if even that does not reach. The score never falls when the
    numerator grows, so a bisection finds it exactly under any rounding."""
    if score_with(numerator) >= target:
        return 0
    high = int((denominator - numerator).to_integral_value(rounding=ROUND_CEILING))
    if high <= 0 or score_with(numerator + high) < target:
        return None
    low = 0  # score_with(numerator + low) < target <= score_with(numerator + high)
    while high - low > 1:
        middle = (low + high) // 2
        if score_with(numerator + middle) >= target:
            high = middle
        else:
            low = middle
    return high


def _unit_cost(unit, values, formula, group_numerator, needed, score_with) -> UnitCost:
    try:
        own_numerator, problems = sum_over_units({unit: values or {}}, _keys(formula, "numerator"))
        own_denominator, more = sum_over_units({unit: values or {}}, _keys(formula, "denominator"))
    except FormulaError:
        problems, more = ["công thức"], []
    if problems or more:
        return UnitCost(unit, None, False, None)
    available = max(own_denominator - own_numerator, ZERO)
    return UnitCost(
        unit,
        available,
        needed is not None and needed <= available,
        score_with(group_numerator + available),
    )
