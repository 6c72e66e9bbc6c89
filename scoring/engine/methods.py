"""Scores of one criterion from metrics: rate, step table, reference to another assessment's index.

Formula JSON, as written into ``Criterion.formula`` ("basis" quotes the seed line and is not read here):

    {"type": "rate", "metric": rate key, "numerator": [key, ...], "denominator": [key, ...]}
        score = max × Σ numerators / Σ denominators over the units given; "metric" names the rate of
        documents.metrics that these counts make (not read here: tests hold the two in agreement).
        "over": "tree" (the default: the assessed unit and every unit under it) or "subject" (the
        assessed unit's own row only: a district's own services, not its communes' catalogues). The
        caller chooses the units by it (``over``); rate and steps alike
    {"type": "steps", "numerator": [...], "denominator": [...], "steps": [{"min": "70", "share": "1"}, ...]}
        rate in percent ≥ min of the highest step reached → share × max; below every step → 0
    {"type": "reference", "set": "CCHC-2023", "period": "2023"}
        score = referenced index % × max / 100

Missing data. A blank cell is "no data", never zero: if any unit given lacks any value the formula
needs (key absent or None), the criterion cannot be computed and gets no score (None) with a reason
naming the units and keys. The caller decides which units a criterion aggregates over by passing only
those; it must not pass units that do not report the metric. A zero denominator, a negative value or
a missing reference also give no score with a reason. A rate above 100 % scores the max (the score
never leaves [0, max]); the rate itself is reported as computed, so the reviewer sees it.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal

from .rounding import RoundingRule

RATE = "rate"
STEPS = "steps"
TREE, SUBJECT = "tree", "subject"  # what a rate aggregates over (formula "over")
REFERENCE = "reference"
MANUAL = "manual"  # the value of scoring.choices.Method.MANUAL

# 50 significant digits: a quotient of counts below 10^20 cannot land closer than 10^-40 to a rounding
# boundary without being on it, so rounding the 50-digit quotient equals rounding the exact fraction.
PRECISION = 50
HUNDRED = Decimal(100)
ZERO = Decimal(0)
# The arithmetic at that precision, called as methods (EXACT.divide(a, b)) rather than by entering a
# localcontext per score: the same results, without a context switch for each of 100.000 proposals.
EXACT = Context(prec=PRECISION)


class FormulaError(ValueError):
    """A criterion's formula JSON cannot be read."""


@dataclass(frozen=True)
class Step:
    min_percent: Decimal
    share: Decimal


@dataclass(frozen=True)
class CriterionSpec:
    """What the engine needs of a criterion: code, max, method, formula JSON and its rounding rule."""

    code: str
    max_score: Decimal
    method: str = MANUAL
    formula: Mapping = field(default_factory=dict)
    rounding: RoundingRule = RoundingRule()

    def __post_init__(self):
        maximum = to_decimal(self.max_score)
        if maximum is None or maximum < 0:
            raise ValueError(f"điểm tối đa không hợp lệ của tiêu chí {self.code}: {self.max_score!r}")
        object.__setattr__(self, "max_score", maximum)


@dataclass(frozen=True)
class ComputedScore:
    """A computed proposal: the score (None when it cannot be computed, with the reason in Vietnamese),
    the rate in percent unrounded, and the summed numerator and denominator it came from."""

    score: Decimal | None
    rate_percent: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    reason: str | None = None


def to_decimal(value) -> Decimal | None:
    """A metric value as Decimal; None stays None (no data). Floats go through repr, never binary."""
    if value is None or type(value) is Decimal:  # what the database gives: the common case, first
        return value
    if isinstance(value, bool):
        raise FormulaError(f"giá trị không phải số: {value!r}")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise FormulaError(f"giá trị không phải số: {value!r}") from exc


def over(formula: Mapping) -> str:
    """TREE or SUBJECT: the units a rate or step formula aggregates over."""
    value = (formula or {}).get("over", TREE)
    if value not in (TREE, SUBJECT):
        raise FormulaError(f'"over" phải là "{TREE}" hoặc "{SUBJECT}", không phải {value!r}')
    return value


def _keys(formula: Mapping, name: str) -> tuple[str, ...]:
    keys = formula.get(name)
    if isinstance(keys, str):
        keys = [keys]
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise FormulaError(f"công thức thiếu danh sách khóa số liệu “{name}”")
    return tuple(keys)


def parse_steps(formula: Mapping) -> tuple[Step, ...]:
    """The step table, highest threshold first; raises FormulaError when malformed."""
    raw = formula.get("steps")
    if not raw or not isinstance(raw, list):
        raise FormulaError("công thức bậc thiếu bảng “steps”")
    steps = []
    for item in raw:
        try:
            step = Step(to_decimal(item["min"]), to_decimal(item["share"]))
        except (KeyError, TypeError) as exc:
            raise FormulaError(f"bậc không hợp lệ: {item!r}") from exc
        if step.min_percent is None or step.share is None or not ZERO <= step.share <= 1:
            raise FormulaError(f"bậc không hợp lệ: {item!r}")
        steps.append(step)
    return tuple(sorted(steps, key=lambda s: s.min_percent, reverse=True))


def bounded(value: Decimal, max_score: Decimal, rounding: RoundingRule) -> Decimal:
    """``value`` kept within [0, max] and rounded once. A max finer than the rounding (0,25 at one
    decimal) could round above itself; the score never exceeds the max, so the max caps it again."""
    return min(rounding.apply(min(max(value, ZERO), max_score)), max_score)


def score_for_rate(rate_percent, max_score, rounding: RoundingRule) -> Decimal:
    """max × rate / 100, kept within [0, max], rounded once: 84,2 % of 5 → 4,21."""
    rate = to_decimal(rate_percent)
    maximum = to_decimal(max_score)
    value = EXACT.divide(EXACT.multiply(maximum, rate), HUNDRED)
    return bounded(value, maximum, rounding)


def rate_score(numerator: Decimal, denominator: Decimal, max_score: Decimal, rounding: RoundingRule) -> Decimal:
    """max × numerator / denominator in one exact step (no rounded rate in between), within [0, max]."""
    value = EXACT.divide(EXACT.multiply(max_score, numerator), denominator)
    return bounded(value, max_score, rounding)


def steps_score(numerator: Decimal, denominator: Decimal, max_score: Decimal, steps, rounding: RoundingRule) -> Decimal:
    """share × max of the highest step whose min the rate reaches; 0 below every step.

    Compared as 100 × numerator ≥ min × denominator, exactly, so 69,999… never passes a 70 % step."""
    for step in steps:
        if EXACT.multiply(HUNDRED, numerator) >= EXACT.multiply(step.min_percent, denominator):
            return bounded(EXACT.multiply(step.share, max_score), max_score, rounding)
    return rounding.apply(ZERO)


def sum_over_units(metrics: Mapping[Hashable, Mapping], keys) -> tuple[Decimal | None, list[str]]:
    """Σ of ``keys`` over every unit; (None, problems) if any value is missing or negative."""
    total = ZERO
    missing: dict[str, list] = {}
    problems = []
    for unit, values in metrics.items():
        for key in keys:
            value = to_decimal(values.get(key)) if values is not None else None
            if value is None:
                missing.setdefault(key, []).append(unit)
            elif value < 0:
                problems.append(f"{key} của {unit} âm ({value})")
            else:
                total += value
    for key, units in missing.items():
        shown = ", ".join(str(u) for u in units[:5]) + (f" và {len(units) - 5} đơn vị khác" if len(units) > 5 else "")
        problems.append(f"thiếu số liệu {key} của {shown}")
    return (None if problems else total), problems


def aggregate(formula: Mapping, metrics: Mapping[Hashable, Mapping]) -> ComputedScore:
    """Σ numerators and Σ denominators over the units, or a ComputedScore without score saying why not.

    The returned ComputedScore carries numerator, denominator and rate; its score is filled by the caller."""
    return _aggregate(_keys(formula, "numerator"), _keys(formula, "denominator"), metrics)


def _aggregate(numerator_keys: tuple[str, ...], denominator_keys: tuple[str, ...], metrics: Mapping) -> ComputedScore:
    if not metrics:
        return ComputedScore(None, reason="Không có đơn vị nào có số liệu để tính.")
    numerator, problems = sum_over_units(metrics, numerator_keys)
    denominator, more = sum_over_units(metrics, denominator_keys)
    problems += more
    if problems:
        return ComputedScore(None, reason="Không tính được: " + "; ".join(problems) + ".")
    if denominator == 0:
        return ComputedScore(None, None, numerator, denominator, "Không tính được: mẫu số bằng 0.")
    rate = EXACT.divide(EXACT.multiply(HUNDRED, numerator), denominator)
    return ComputedScore(None, rate, numerator, denominator)


def compute_criterion(
    criterion: CriterionSpec,
    metrics: Mapping[Hashable, Mapping[str, Decimal | None]],
    references: Mapping[tuple[str, str], Decimal | None] | None = None,
) -> ComputedScore:
    """The computed score of one criterion for the units in ``metrics`` (unit → {metric key → value}).

    ``references`` maps (set code, period code) to that assessment's index in percent. Never raises on
    data: a formula that cannot be read or data that is missing gives ``score=None`` and a reason."""
    formula = criterion.formula or {}
    kind = formula.get("type")
    if criterion.method == MANUAL:
        return ComputedScore(None, reason="Tiêu chí chấm thủ công, không tính từ số liệu.")
    try:
        if kind == REFERENCE:
            return _reference(criterion, formula, references or {})
        if kind not in (RATE, STEPS):
            raise FormulaError(f"loại công thức không hỗ trợ: {kind!r}")
        over(formula)
        numerator_keys, denominator_keys, steps = _parsed(criterion)
        result = _aggregate(numerator_keys, denominator_keys, metrics)
    except FormulaError as exc:
        return ComputedScore(None, reason=f"Công thức của tiêu chí {criterion.code} không hợp lệ: {exc}.")
    if result.rate_percent is None:
        return result
    if kind == STEPS:
        score = steps_score(result.numerator, result.denominator, criterion.max_score, steps, criterion.rounding)
    else:
        score = rate_score(result.numerator, result.denominator, criterion.max_score, criterion.rounding)
    return ComputedScore(score, result.rate_percent, result.numerator, result.denominator)


def _parsed(criterion: CriterionSpec) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Step, ...]]:
    """(numerator keys, denominator keys, steps) of a rate or steps formula, read once per spec (a
    recompute asks each spec hundreds of times); raises FormulaError as reading it would, steps first."""
    parsed = criterion.__dict__.get("_parsed")
    if parsed is None:
        formula = criterion.formula or {}
        try:
            steps = parse_steps(formula) if formula.get("type") == STEPS else ()
            parsed = (_keys(formula, "numerator"), _keys(formula, "denominator"), steps)
        except FormulaError as exc:
            parsed = str(exc)
        object.__setattr__(criterion, "_parsed", parsed)  # a cache beside the fields, not one of them
    if isinstance(parsed, str):
        raise FormulaError(parsed)
    return parsed


def _reference(criterion: CriterionSpec, formula: Mapping, references: Mapping) -> ComputedScore:
    set_code, period_code = formula.get("set"), formula.get("period")
    if not set_code or not period_code:
        raise FormulaError("công thức tham chiếu thiếu “set” hoặc “period”")
    index = to_decimal(references.get((set_code, str(period_code))))
    if index is None:
        return ComputedScore(None, reason=f"Chưa có chỉ số của bộ {set_code} kỳ {period_code} để tham chiếu.")
    if index < 0:
        return ComputedScore(None, index, reason=f"Chỉ số tham chiếu âm ({index}).")
    return ComputedScore(score_for_rate(index, criterion.max_score, criterion.rounding), index)
