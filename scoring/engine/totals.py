"""Totals of an assessment: per area and overall, deductions, the index in percent, the HTNV class.

The scope is data: a line with ``in_scope=False`` (a criterion not assessed in this period, e.g. in a
half-year) counts nowhere. The index is Σ appraised / Σ max over the in-scope lines, and it is only
given once every in-scope line is appraised; before that it is None and ``unappraised`` lists the codes
still open (a partial index would look final and be wrong)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from .methods import HUNDRED, PRECISION, ZERO, to_decimal


@dataclass(frozen=True)
class ScoreLine:
    """One criterion of an assessment with its max and its three scores (each may still be None)."""

    code: str
    area_code: str
    max_score: Decimal
    self_score: Decimal | None = None
    appraised: Decimal | None = None
    computed: Decimal | None = None
    in_scope: bool = True

    @property
    def deduction(self) -> Decimal | None:
        """Appraised − max, negative when points were lost (−1,15); None until appraised."""
        if self.appraised is None:
            return None
        return to_decimal(self.appraised) - to_decimal(self.max_score)

    @property
    def points_available(self) -> Decimal | None:
        """What the criterion can still gain: max − appraised (or − self while not appraised)."""
        current = self.appraised if self.appraised is not None else self.self_score
        if current is None:
            return None
        return max(to_decimal(self.max_score) - to_decimal(current), ZERO)


@dataclass(frozen=True)
class Totals:
    """Sums over a group of in-scope lines (an area, or the whole assessment)."""

    line_count: int
    max_total: Decimal
    self_total: Decimal
    appraised_total: Decimal
    computed_total: Decimal
    deducted_count: int
    deduction_total: Decimal
    unappraised: tuple[str, ...]

    @property
    def index_percent(self) -> Decimal | None:
        """Σ appraised / Σ max × 100, unrounded; None while a line is unappraised or the max is 0."""
        if self.unappraised or not self.max_total:
            return None
        with localcontext(prec=PRECISION):
            return HUNDRED * self.appraised_total / self.max_total


@dataclass(frozen=True)
class AssessmentTotals:
    areas: dict[str, Totals]
    overall: Totals


def _sum(values) -> Decimal:
    return sum((to_decimal(v) for v in values if v is not None), ZERO)


def totals_of(lines: Iterable[ScoreLine]) -> Totals:
    """Totals of the in-scope lines among ``lines``; self and computed totals sum the scores present."""
    lines = [line for line in lines if line.in_scope]
    deductions = [line.deduction for line in lines if line.deduction is not None and line.deduction < 0]
    return Totals(
        line_count=len(lines),
        max_total=_sum(line.max_score for line in lines),
        self_total=_sum(line.self_score for line in lines),
        appraised_total=_sum(line.appraised for line in lines),
        computed_total=_sum(line.computed for line in lines),
        deducted_count=len(deductions),
        deduction_total=_sum(deductions),
        unappraised=tuple(line.code for line in lines if line.appraised is None),
    )


def compute_totals(lines: Iterable[ScoreLine]) -> AssessmentTotals:
    """Totals per area (in the order areas first appear) and overall."""
    lines = list(lines)
    by_area: dict[str, list[ScoreLine]] = {}
    for line in lines:
        by_area.setdefault(line.area_code, []).append(line)
    return AssessmentTotals({area: totals_of(group) for area, group in by_area.items()}, totals_of(lines))


def classify(value, bands: Iterable[Mapping]) -> str | None:
    """The label of the highest band whose min ``value`` reaches; None below every band or without value.

    ``bands`` is the set's data: [{"min": "90", "label": "Hoàn thành xuất sắc nhiệm vụ"}, ...], any order."""
    value = to_decimal(value)
    if value is None:
        return None
    parsed = []
    for band in bands:
        minimum = to_decimal(band.get("min"))
        if minimum is None or not band.get("label"):
            raise ValueError(f"bậc xếp loại không hợp lệ: {band!r}")
        parsed.append((minimum, band["label"]))
    for minimum, label in sorted(parsed, key=lambda b: b[0], reverse=True):
        if value >= minimum:
            return label
    return None
