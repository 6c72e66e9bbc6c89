from collections import Counter
from dataclasses import dataclass, field

from django.shortcuts import render

from units.access import own_unit, role_of, role_required, visible_units
from units.choices import Role, UnitKind

from .services import AssessmentSummary, assessment_summaries


@dataclass
class AssessmentGroup:
    """The assessments of one criteria set in one period, shown as one table."""

    criteria_set: object
    period: object
    rows: list[AssessmentSummary] = field(default_factory=list)


def group_summaries(summaries: list[AssessmentSummary]) -> list[AssessmentGroup]:
    """One group per (set, period), in the order the summaries come (newest year first).

    Grouped here rather than with {% regroup %}: a year and its first half start on the same day,
    so the rows of one (set, period) are not always next to each other."""
    groups: dict[tuple[int, int], AssessmentGroup] = {}
    for summary in summaries:
        a = summary.assessment
        key = (a.criteria_set_id, a.period_id)
        if key not in groups:
            groups[key] = AssessmentGroup(a.criteria_set, a.period)
        groups[key].rows.append(summary)
    return list(groups.values())


def group_units(units, assessment_counts: Counter) -> list[dict]:
    """Units under the headings of their kind, kinds in the order of UnitKind."""
    by_kind: dict[str, list] = {kind: [] for kind in UnitKind.values}
    for unit in units:
        unit.assessment_count = assessment_counts.get(unit.pk, 0)
        by_kind.setdefault(unit.kind, []).append(unit)
    return [
        {"kind": kind, "label": UnitKind(kind).label if kind in UnitKind.values else kind, "units": members}
        for kind, members in by_kind.items() if members
    ]


@role_required()
def home(request):
    """The first page: the units the user may see, by kind, and the assessments with their totals.

    A fixed number of queries whatever the size of the registry: one for the units, one for every
    assessment's totals (scoring.services.assessment_summaries)."""
    role = role_of(request.user)
    visible = visible_units(request.user)
    units = list(visible.select_related("parent").order_by("sort_order", "name"))
    summaries = assessment_summaries(visible)
    counts = Counter(s.assessment.subject_id for s in summaries)
    return render(request, "scoring/home.html", {
        "role": role,
        "role_label": Role(role).label,
        "own_unit": own_unit(request.user),
        "unit_count": len(units),
        "unit_groups": group_units(units, counts),
        "assessment_count": len(summaries),
        "assessment_groups": group_summaries(summaries),
    })
