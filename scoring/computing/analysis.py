"""What the analysis pages show: points still available and what they cost, ranks, a simulation.

All read-only: a simulation applies changed metric values in memory and stores nothing."""

from dataclasses import dataclass
from decimal import Decimal

from common.numbers import format_number
from documents.metrics import METRICS, rate_of
from documents.models import MetricValue

from ..engine import Rank, point_cost, rank
from ..models import Assessment
from .compute import AssessmentResult, Line, compute_from_context
from .loading import formula_keys, load_context

# How a letter names the items of a numerator: (noun, what must happen to them). A formula whose
# numerator is not listed is described by the metric's label.
ITEM_WORDS = {
    frozenset({"incoming_replied", "incoming_closed"}): ("văn bản đến", "xử lý (phản hồi hoặc kết thúc)"),
    frozenset({"outgoing_signed"}): ("văn bản đi", "ký số"),
    frozenset({"outgoing_leader_signed"}): ("văn bản đi", "được lãnh đạo ký số"),
    frozenset({"tthc_resolved_on_time"}): ("hồ sơ", "giải quyết đúng hạn"),
    frozenset({"dvc_full_online_dossiers"}): ("hồ sơ toàn trình", "tiếp nhận trực tuyến"),
    frozenset({"dvc_partial_online_dossiers", "dvc_full_online_dossiers"}): ("hồ sơ", "tiếp nhận trực tuyến"),
    frozenset({"dvc_partial_services_with_online_dossiers", "dvc_full_services_with_online_dossiers"}):
        ("dịch vụ công trực tuyến", "phát sinh hồ sơ trực tuyến"),
}


def item_words(formula: dict) -> tuple[str, str]:
    numerator = formula.get("numerator") or []
    numerator = frozenset([numerator] if isinstance(numerator, str) else numerator)
    if numerator in ITEM_WORDS:
        return ITEM_WORDS[numerator]
    labels = ", ".join(METRICS[k].label.lower() if k in METRICS else k for k in sorted(numerator))
    return "đơn vị số liệu", f"tính vào “{labels}”"


@dataclass(frozen=True)
class UnitGain:
    """One unit of a metric criterion: items it has left and the points the criterion gains if it
    finishes them (the others unchanged)."""

    unit: str
    available: Decimal
    gain: Decimal
    sentence: str


@dataclass(frozen=True)
class CostRow:
    line: Line
    points_available: Decimal | None
    current: Decimal | None  # appraised, else self-assessed
    needed: int | None = None  # items the whole subject must add for the max (metric criteria)
    needed_sentence: str = ""
    units: tuple[UnitGain, ...] = ()
    target: Decimal | None = None  # the score the reader aims at, when not the max


def point_costs(result: AssessmentResult, targets: dict | None = None) -> list[CostRow]:
    """Every leaf criterion under its max, most points available first; metric criteria say how many
    items are missing in all (for the max, or for the score ``targets`` gives its code) and, per unit
    with items left, what finishing them is worth."""
    targets = targets or {}
    rows = []
    for line in result.leaves:
        score_line = line.score_line()
        available = score_line.points_available
        if available is not None and available <= 0:
            continue
        current = line.score.appraised if line.score.appraised is not None else line.score.self_score
        needed, sentence, units = None, "", ()
        if line.computed is not None and line.computed.score is not None and line.metrics:
            target = targets.get(line.code)
            cost = point_cost(line.spec, line.metrics, target=target)
            noun, verb = item_words(line.spec.formula)
            goal = (f"đạt {format_number(target)} điểm" if target is not None
                    else f"đạt tối đa {format_number(line.criterion.max_score)} điểm")
            if cost.needed:
                needed = cost.needed
                sentence = f"Toàn bộ đơn vị cần thêm {format_number(cost.needed)} {noun} {verb} để {line.code} {goal}."
            elif target is not None:
                sentence = cost.reason or f"{line.code} đã {goal} theo số liệu hiện có."
            gains = []
            for unit_cost in cost.units:
                if not unit_cost.available or unit_cost.score_if_complete is None:
                    continue
                gain = unit_cost.score_if_complete - line.computed.score
                if gain <= 0:
                    continue
                gains.append(UnitGain(
                    str(unit_cost.unit), unit_cost.available, gain,
                    f"{unit_cost.unit}: {format_number(unit_cost.available)} {noun} phải {verb} thêm để "
                    f"{line.code} tăng {format_number(gain)} điểm",
                ))
            units = tuple(sorted(gains, key=lambda g: (-g.gain, -g.available, g.unit)))
        rows.append(CostRow(line, available, current, needed, sentence, units, targets.get(line.code)))
    return sorted(rows, key=lambda r: (r.points_available is None, -(r.points_available or 0), r.line.criterion.position))


def simulate(assessment: Assessment, changes: dict) -> tuple[AssessmentResult, AssessmentResult]:
    """(with today's data, with ``changes``): {(unit id, key): value} applied in memory, nothing saved."""
    context = load_context([assessment])
    (baseline,) = compute_from_context(context)
    (simulated,) = compute_from_context(context, overrides=changes)
    return baseline, simulated


def simulation_inputs(assessment: Assessment) -> tuple[list[tuple[int, str]], list[str]]:
    """The units (id, name) the assessment aggregates over and the metric keys its criteria read."""
    context = load_context([assessment])
    keys = set()
    for score in context.scores.get(assessment.pk, []):
        keys |= formula_keys(context.criteria[score.criterion_id].formula)
    if assessment.criteria_set.subject_kind == "district":
        unit_ids = context.subtree(assessment.subject_id)
    else:
        unit_ids = [assessment.subject_id]
    return [(u, context.unit_names[u]) for u in unit_ids], sorted(keys)


@dataclass(frozen=True)
class RankRow:
    unit: str
    value: Decimal | None
    rank: Rank | None


def rank_units_by_metric(period, key: str, unit_ids=None) -> list[RankRow]:
    """Units ranked by one metric of a period (a derived rate from each unit's own counts); highest first.

    A unit without the value is listed last, unranked."""
    metric = METRICS.get(key)
    keys = [key] + (list(metric.numerator + metric.denominator) if metric and metric.derived else [])
    rows = MetricValue.objects.filter(period=period, key__in=keys)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    by_unit: dict[str, dict] = {}
    for name, row_key, value in rows.values_list("unit__name", "key", "value"):
        by_unit.setdefault(name, {})[row_key] = value
    values = {
        name: (rate_of(metric, found) if metric and metric.derived else found.get(key))
        for name, found in by_unit.items()
    }
    return _ranked(values)


def rank_assessments_by_index(criteria_set, period) -> list[RankRow]:
    """The subjects of one set and period ranked by their appraised index (leaves only)."""
    assessments = Assessment.objects.filter(criteria_set=criteria_set, period=period).select_related(
        "criteria_set", "period", "subject")
    context = load_context(assessments, with_units=False)
    values = {r.assessment.subject.name: r.totals().overall.index_percent for r in compute_from_context(context)}
    return _ranked(values)


def _ranked(values: dict) -> list[RankRow]:
    ranks = rank(values)
    rows = [RankRow(name, values[name], ranks.get(name)) for name in values]
    return sorted(rows, key=lambda r: (r.rank is None, r.rank.position if r.rank else 0, r.unit))
