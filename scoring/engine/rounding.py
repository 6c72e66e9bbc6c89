"""Rounding of scores: half-up or truncate to a number of decimals, per set with a per-criterion override.

Values stay exact (Decimal) until the score is rounded once, at the end; rates are never rounded
before a score is computed from them."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

HALF_UP = "half_up"  # the values of scoring.choices.Rounding, repeated here so the engine needs no Django
TRUNCATE = "truncate"
_MODES = {HALF_UP: ROUND_HALF_UP, TRUNCATE: ROUND_DOWN}


@dataclass(frozen=True)
class RoundingRule:
    """How a score is rounded: ``mode`` is "half_up" or "truncate" (towards zero), ``places`` decimals."""

    mode: str = HALF_UP
    places: int = 2

    def __post_init__(self):
        if self.mode not in _MODES:
            raise ValueError(f"quy tắc làm tròn không hợp lệ: {self.mode!r}")
        if not isinstance(self.places, int) or isinstance(self.places, bool) or not 0 <= self.places <= 6:
            raise ValueError(f"số chữ số thập phân không hợp lệ: {self.places!r}")

    def apply(self, value: Decimal) -> Decimal:
        """Round ``value`` once, by this rule (2,476 → 2,48 half-up, 2,47 truncated)."""
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=_MODES[self.mode])


def resolve_rounding(
    set_mode: str, set_places: int, criterion_mode: str = "", criterion_places: int | None = None,
) -> RoundingRule:
    """The rule a criterion uses: its own mode and places where set, the set's otherwise.

    Mirrors the model fields: a blank ``Criterion.rounding`` or a null ``rounding_places`` inherits."""
    return RoundingRule(criterion_mode or set_mode, set_places if criterion_places is None else criterion_places)
