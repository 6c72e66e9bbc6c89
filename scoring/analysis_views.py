"""Analysis pages: points still available and what they cost, ranks, and the what-if simulator.

Thin views: they parse, call scoring.computing, and render. Reviewers and viewers see the assessments
of the units they may see (units.access.visible_units: their authority's tree when bound to its root),
and rank the units of one authority's tree, named in its own words ("Toàn huyện" / "Toàn tỉnh"); a
unit head sees the assessments of their own unit's tree, and only the lines of their own unit. An
assessment outside what the user may see answers 404, as the assessment page does. Nothing here saves
scores or metrics; the one write (recompute on demand) goes through the task and scoring.actions."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.numbers import parse_number
from common.outbox import enqueue
from documents.metrics import METRICS
from units.access import authority_of, authority_root, own_unit, role_of, role_required, subtree_ids, tree_ids, visible_units
from units.choices import Role
from units.models import Authority

from .computing import (
    RankRow, compute_assessment, compute_assessments, point_costs, rank_units_by_metric, simulate, simulation_inputs,
)
from .engine import rank
from .models import Assessment, CriteriaSet, Period
from .tasks import recompute_assessments

SIMULATOR_ROWS = 3


def visible_assessments(user):
    """The assessments the analysis pages may show: of the units a reviewer or viewer sees; for a unit
    head, of every unit of their own unit's tree (the district's own assessment names their criteria),
    never another authority's."""
    rows = Assessment.objects.select_related("criteria_set", "period", "subject")
    unit = own_unit(user)
    if unit is not None:
        return rows.filter(subject_id__in=tree_ids(unit))
    return rows.filter(subject__in=visible_units(user))


def _assessment(request, pk: int) -> Assessment:
    return get_object_or_404(visible_assessments(request.user), pk=pk)


def ranking_authority(request) -> tuple[Authority | None, list[Authority]]:
    """(the authority whose units the ranks page ranks, the authorities the user may choose from).

    Units of two authorities are never ranked together: a reviewer or viewer bound to an authority
    ranks its tree; a unit head their own unit's; one who sees every tree (a reviewer of no unit)
    picks one with ?authority=, the first (authority_of) by default."""
    user = request.user
    unit = own_unit(user)
    if unit is not None:
        return authority_of(user, unit), []
    if not user.is_superuser and authority_root(user) is not None:
        return authority_of(user), []
    choices = list(Authority.objects.select_related("unit").order_by("pk"))
    chosen = request.GET.get("authority", "")
    found = next((a for a in choices if str(a.pk) == chosen), None)
    return found or authority_of(user), choices if len(choices) > 1 else []


def rank_by_index(assessments) -> list[RankRow]:
    """The subjects of ``assessments`` ranked by their appraised index, as
    scoring.computing.rank_assessments_by_index ranks a whole set, over the given ones only."""
    values = {r.assessment.subject.name: r.totals().overall.index_percent for r in compute_assessments(assessments)}
    ranks = rank(values)
    rows = [RankRow(name, values[name], ranks.get(name)) for name in values]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank.position if r.rank else 0, r.unit))


@role_required()
def index(request):
    """Every assessment the user may see, with links to its analysis pages."""
    assessments = visible_assessments(request.user)
    return render(request, "scoring/analysis/index.html", {
        "assessments": assessments, "role": role_of(request.user),
        "sets": CriteriaSet.objects.all(), "periods": Period.objects.all(),
    })


@role_required()
def points(request, pk):
    """Criteria under their max, most points available first; per unit, what finishing its items is worth."""
    assessment = _assessment(request, pk)
    result = compute_assessment(assessment)
    targets, target_errors = _targets(request.GET, result)
    rows = point_costs(result, targets)
    unit = own_unit(request.user)
    if unit is not None:
        # A unit head: only the criteria their unit answers for, and only their own unit's line.
        rows = [
            row for row in rows
            if unit.name in row.line.responsible or any(g.unit == unit.name for g in row.units)
        ]
        rows = [_only_unit(row, unit.name) for row in rows]
    return render(request, "scoring/analysis/points.html", {
        "assessment": assessment, "rows": rows, "own_unit": unit, "target_errors": target_errors,
        "totals": None if unit else result.totals().overall,
        "available_total": sum((r.points_available or Decimal(0) for r in rows), Decimal(0)),
        "can_recompute": role_of(request.user) == Role.REVIEWER,
    })


TARGET_PREFIX = "muc_tieu_"


def _targets(query, result) -> tuple[dict, dict]:
    """The target scores a reader typed per criterion (?muc_tieu_VI.1=4,5): {code: Decimal}, and
    {code: why a value was refused}. Blank means the criterion's max."""
    codes = {line.code for line in result.leaves}
    targets, errors = {}, {}
    for name, raw in query.items():
        code = name.removeprefix(TARGET_PREFIX)
        if not name.startswith(TARGET_PREFIX) or code not in codes or not raw.strip():
            continue
        try:
            value = parse_number(raw)
        except ValueError:
            value = None
        if value is None or value < 0:
            errors[code] = f"Mục tiêu của {code} phải là một số điểm không âm, ví dụ 4,5 (đã nhập: {raw})."
        else:
            targets[code] = value
    return targets, errors


def _only_unit(row, name):
    from dataclasses import replace

    return replace(row, units=tuple(g for g in row.units if g.unit == name), needed_sentence="")


@role_required(Role.REVIEWER, Role.VIEWER)
def simulator(request, pk):
    """Change metric values in memory and see the totals they would give; nothing is saved."""
    assessment = _assessment(request, pk)
    units, keys = simulation_inputs(assessment)
    unit_ids = {u for u, _ in units}
    rows, errors, changes = [], [], {}
    source = request.POST if request.method == "POST" else {}
    for i in range(SIMULATOR_ROWS):
        unit_id, key, raw = source.get(f"unit_{i}", ""), source.get(f"key_{i}", ""), source.get(f"value_{i}", "")
        rows.append({"unit": unit_id, "key": key, "value": raw})
        if not (unit_id and key and raw.strip()):
            continue
        try:
            value = parse_number(raw)
        except ValueError:
            errors.append(f"Dòng {i + 1}: “{raw}” không phải là số.")
            continue
        if not unit_id.isdigit() or int(unit_id) not in unit_ids or key not in keys:
            errors.append(f"Dòng {i + 1}: đơn vị hoặc chỉ số không thuộc đợt đánh giá này.")
            continue
        if value is None or value < 0:
            errors.append(f"Dòng {i + 1}: giá trị phải là số không âm.")
            continue
        changes[(int(unit_id), key)] = value
    baseline, simulated = simulate(assessment, changes)
    changed_lines = [
        (before, after) for before, after in zip(baseline.lines, simulated.lines)
        if before.proposal != after.proposal
    ]
    return render(request, "scoring/analysis/simulator.html", {
        "assessment": assessment, "units": units,
        "keys": [(k, METRICS[k].label if k in METRICS else k) for k in keys],
        "rows": rows, "errors": errors, "changes": changes, "posted": request.method == "POST",
        "current": baseline.totals().overall,
        "baseline": baseline.totals(projected=True).overall,
        "simulated": simulated.totals(projected=True).overall,
        "baseline_class": baseline.class_label(projected=True),
        "simulated_class": simulated.class_label(projected=True),
        "changed_lines": changed_lines,
    })


@role_required()
def ranks(request):
    """Units by one metric of a period, or subjects by their assessment's index, within one
    authority's tree (ranking_authority); ties share a rank."""
    authority, authorities = ranking_authority(request)
    unit_ids = subtree_ids(authority.unit) if authority is not None else None
    periods = list(Period.objects.all())
    sets = list(CriteriaSet.objects.all())
    period = next((p for p in periods if p.code == request.GET.get("period")), periods[0] if periods else None)
    key = request.GET.get("key") or "incoming_processed_rate"
    set_code = request.GET.get("set")
    unit = own_unit(request.user)
    by_metric = rank_units_by_metric(period, key, unit_ids=unit_ids) if period and key in METRICS else []
    criteria_set = next((s for s in sets if s.code == set_code), None)
    by_index = []
    if criteria_set and period:
        rows = Assessment.objects.filter(criteria_set=criteria_set, period=period)
        by_index = rank_by_index(list(rows.filter(subject_id__in=unit_ids) if unit_ids is not None else rows))
    if unit is not None:
        by_metric = [r for r in by_metric if r.unit == unit.name]
        by_index = [r for r in by_index if r.unit == unit.name]
    return render(request, "scoring/analysis/ranks.html", {
        "periods": periods, "period": period, "sets": sets, "criteria_set": criteria_set,
        "metrics": sorted(METRICS.values(), key=lambda m: (m.source, m.key)), "key": key,
        "metric": METRICS.get(key), "by_metric": by_metric, "by_index": by_index, "own_unit": unit,
        "authority": authority, "authorities": authorities,
    })


@require_POST
@role_required(Role.REVIEWER)
def recompute(request, pk):
    """Recompute and store this assessment's proposals now (the task runs eagerly or in the worker)."""
    assessment = _assessment(request, pk)
    enqueue(recompute_assessments, [assessment.pk], request.user.pk)  # kept for later if the broker is down
    messages.info(request, f"Đã yêu cầu tính lại điểm từ số liệu cho {assessment}.")
    return redirect("analysis-points", pk=assessment.pk)
