"""Ranks of units by a value: ties share a rank (competition ranking 1, 1, 3), printed "05/10"."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .methods import to_decimal


@dataclass(frozen=True, order=True)
class Rank:
    """Position among ``of`` ranked units; ``str()`` prints it as the letters do: "01/10"."""

    position: int
    of: int

    def __str__(self):
        return format_rank(self.position, self.of)


def format_rank(position: int, of: int) -> str:
    """"05/10": both numbers zero-padded to two digits, or to the width of the larger if wider (007/120)."""
    width = max(2, len(str(of)))
    return f"{position:0{width}d}/{of:0{width}d}"


def rank(values: Mapping[Hashable, Decimal | None], *, descending: bool = True) -> dict[Hashable, Rank]:
    """Rank every unit that has a value; a unit without one (None) is not ranked and not counted.

    A unit's rank is 1 + the number of units strictly better, so equal values share a rank and the
    next rank skips (1, 1, 3). The result depends only on the values, never on the input order."""
    present = {unit: to_decimal(value) for unit, value in values.items() if value is not None}
    ordered = sorted(present.values(), reverse=descending)
    of = len(ordered)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {unit: Rank(first_position[value], of) for unit, value in present.items()}
