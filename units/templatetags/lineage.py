"""Lineage of units on the registry pages: what a unit came from and what it became, with dates.

Tags rather than view code, so that any page showing units can add them: ``{% unit_lineage unit %}``
for one unit's page (three queries), ``{% lineage_index as lineage %}`` then
``lineage|became:unit`` / ``lineage|came_from:unit`` for a list (three queries for the whole list)."""

from django import template

from ..succession import SuccessionIndex, lineage_of

register = template.Library()


@register.inclusion_tag("units/_lineage.html")
def unit_lineage(unit):
    came_from, became = lineage_of(unit)
    return {"unit": unit, "came_from": came_from, "became": became}


@register.simple_tag
def lineage_index():
    return SuccessionIndex.load()


def _steps(successions, unit_id, side):
    return [
        {"kind": s.get_kind_display(), "date": s.effective_date, "legal_basis": s.legal_basis,
         "units": [u for u in getattr(s, side).all() if u.pk != unit_id]}
        for s in sorted(successions, key=lambda s: s.effective_date)
    ]


@register.filter
def became(index: SuccessionIndex, unit):
    """The successions in which ``unit`` was a predecessor, each with its successors."""
    return _steps(index.as_predecessor.get(unit.pk, []), unit.pk, "successors")


@register.filter
def came_from(index: SuccessionIndex, unit):
    """The successions that created ``unit``, each with its predecessors."""
    return _steps(index.as_successor.get(unit.pk, []), unit.pk, "predecessors")
