from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Max, OuterRef, Sum
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from common import memo
from common.charts import Bar, Series, max_value_bars, trend_chart
from common.numbers import format_number
from documents.visibility import visible_batches
from units.access import (
    authority_of, can_edit_scores, check_role, own_unit, role_of, role_required, visible_units,
)
from units.choices import Role, UnitKind
from units.models import Unit
from units.views import weakest_units

from . import computing
from .actions import (
    FIELD_LABELS, PROPOSAL_OVERRIDE_FIELD, SCORE_FIELDS, ScoreWriteError, StageError, StaleScoreError, TaskWriteError,
    accept_computed, close_stage, reopen_stage, start_rounds, update_task_progress, write_score_in_stage,
)
from .choices import AssessmentStatus, Level
from .engine import ScoreLine, compute_totals, rank
from .forms import (
    AcceptProposalForm, AssessmentFilterForm, EvidenceForm, PortalScoreForm, ReopenStageForm, ScoreForm, StartRoundsForm, TaskProgressForm,
    attach_evidence,
)
from .models import Assessment, Evidence, Notification, Period, RemediationTask, Score
from .rounds import EVIDENCE, answers_for, open_stage, writable_fields
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


# --- The assessment page: the criteria tree, edited row by row -------------------------------------

def visible_assessments(user):
    return Assessment.objects.filter(subject__in=visible_units(user)).select_related("criteria_set", "period", "subject")


@dataclass
class TreeRow:
    """One line of the criteria tree: a heading (area or parent criterion) or a scored criterion."""

    criterion: object
    depth: int
    area: object
    score: object = None
    totals: object = None  # an area's engine Totals
    form_values: dict | None = None  # what the user typed, when a save was refused
    error: str = ""

    @property
    def is_area(self):
        return self.criterion.level == Level.AREA

    @property
    def proposal_state(self) -> str:
        return proposal_state(self.score) if self.score is not None else ""


def proposal_state(score) -> str:
    """Where a score stands against its computed proposal: "" (none), "pending" (not appraised yet),
    "accepted" (appraised = proposal) or "overridden" (another value, its reason in the history)."""
    if score.computed_score is None:
        return ""
    if score.appraised_score is None:
        return "pending"
    return "accepted" if score.appraised_score == score.computed_score else "overridden"


@dataclass
class AssessmentPage:
    assessment: object
    rows: list
    area_rows: dict  # area criterion id → its TreeRow
    overall: object  # engine Totals
    areas: list


def _area_of(criterion, by_id) -> object:
    while criterion.parent_id is not None:
        criterion = by_id[criterion.parent_id]
    return criterion


def build_assessment_page(assessment, *, deducted_only=False, unit_id=None, area_id=None) -> AssessmentPage:
    """The criteria tree with each scored criterion's row and each area's totals.

    Five queries whatever the size of the set: criteria, scores, their responsible units, their
    evidence files, and the units that can be filtered on. Totals come from the scoring engine over
    every score (filters hide rows, never change totals)."""
    criteria = list(assessment.criteria_set.criteria.order_by("position", "pk"))
    by_id = {c.pk: c for c in criteria}
    scores = {
        s.criterion_id: s
        for s in assessment.scores.select_related("criterion").prefetch_related("responsible_units", "evidence_files")
    }
    depth = {}
    for c in criteria:  # parents come before children in position order; fall back to a walk if not
        depth[c.pk] = depth[c.parent_id] + 1 if c.parent_id in depth else _depth(c, by_id)
    area_of = {c.pk: _area_of(c, by_id) for c in criteria}
    # Totals over the leaves only: a criterion scored together with its children counts once
    # (as scoring.computing and the letters count).
    has_scored_child = set()
    for cid in scores:
        parent = by_id[cid].parent_id
        while parent is not None:
            has_scored_child.add(parent)
            parent = by_id[parent].parent_id
    lines = [
        ScoreLine(code=s.criterion.code, area_code=area_of[cid].code, max_score=s.criterion.max_score,
                  self_score=s.self_score, appraised=s.appraised_score, computed=s.computed_score)
        for cid, s in scores.items() if cid not in has_scored_child
    ]
    totals = compute_totals(lines)

    def shown(score) -> bool:
        if deducted_only and not (score.deduction is not None and score.deduction < 0):
            return False
        if unit_id and unit_id not in {u.pk for u in score.responsible_units.all()}:
            return False
        if area_id and area_of[score.criterion_id].pk != area_id:
            return False
        return True

    visible_scored = {cid for cid, s in scores.items() if shown(s)}
    # A heading is shown when a visible scored criterion lies below it.
    needed = set()
    for cid in visible_scored:
        c = by_id[cid]
        while c.parent_id is not None:
            needed.add(c.parent_id)
            c = by_id[c.parent_id]
    rows, area_rows = [], {}
    for c in criteria:
        area = area_of[c.pk]
        if c.pk in scores:
            if c.pk in visible_scored:
                rows.append(TreeRow(c, depth[c.pk], area, score=scores[c.pk]))
        elif c.level == Level.AREA:
            row = TreeRow(c, depth[c.pk], area, totals=totals.areas.get(c.code))
            area_rows[c.pk] = row
            if c.pk in needed or not (deducted_only or unit_id or area_id):
                rows.append(row)
        elif c.pk in needed:
            rows.append(TreeRow(c, depth[c.pk], area))
    areas = [c for c in criteria if c.level == Level.AREA]
    return AssessmentPage(assessment, rows, area_rows, totals.overall, areas)


def _depth(criterion, by_id) -> int:
    depth = 0
    while criterion.parent_id is not None:
        criterion = by_id[criterion.parent_id]
        depth += 1
    return depth


ROW_FIELDS = ("self_score", "appraised_score", "comment")


def _stages(assessment) -> list:
    return list(assessment.stages.select_related("closed_by").order_by("position"))


def _row_fields(user, assessment, stages) -> frozenset:
    """The fields of a row a reviewer may edit now; the open stage decides (scoring.rounds)."""
    if not can_edit_scores(user):
        return frozenset()
    return writable_fields(user, assessment, stages) & frozenset(ROW_FIELDS)


def _rounds_context(request, assessment, stages) -> dict:
    """The rounds panel: the stages with their deadlines, who closed them, what can be done now."""
    reviewer = can_edit_scores(request.user)
    initial = {}
    if not stages:
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        initial = {name: today + timedelta(days=7 * (i + 1)) for i, name in enumerate(StartRoundsForm.base_fields)}
    return {
        "stages": stages,
        "open_stage": open_stage(stages),
        "stage_history": list(assessment.stage_changes.select_related("changed_by")[:12]),
        "start_form": StartRoundsForm(initial=initial) if reviewer and not stages and assessment.status != AssessmentStatus.LOCKED else None,
        "can_close": reviewer and open_stage(stages) is not None,
        "can_reopen": request.user.is_superuser and any(s.closed_at for s in stages),
    }


@role_required()
def assessment_detail(request, pk):
    """The criteria tree of one assessment; reviewers edit each row in place (htmx)."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    units = Unit.objects.filter(scores__assessment=assessment).distinct().order_by("sort_order", "name")
    areas = assessment.criteria_set.criteria.filter(level=Level.AREA).order_by("position")
    filters = AssessmentFilterForm(request.GET or None, units=units, areas=areas)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = build_assessment_page(assessment, deducted_only=chosen.get("deducted", False),
                                 unit_id=chosen.get("unit"), area_id=chosen.get("area"))
    stages = _stages(assessment)
    allowed = _row_fields(request.user, assessment, stages)
    return render(request, "scoring/assessment.html", {
        **_rounds_context(request, assessment, stages),
        "page": page,
        "assessment": assessment,
        "filters": filters,
        "editable": bool(allowed),
        "allowed": allowed,
        "can_edit": can_edit_scores(request.user),
        "locked": assessment.status == AssessmentStatus.LOCKED,
        "classification": assessment.criteria_set.class_for(page.overall.index_percent),
    })


@require_POST
@role_required(Role.REVIEWER)
def score_save(request, pk, score_pk):
    """Save one row through scoring.actions.write_score_in_stage; answer the row and the new totals
    (htmx), or go back to the page (a browser without JavaScript).

    A stale version answers 409 with the other person's values in the row; a value out of range or
    not a number, or an appraised score other than the computed proposal without a reason, answers 422
    with what the user typed kept in the row."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=score_pk, assessment=assessment)
    form = ScoreForm(request.POST)
    error, status, typed = "", 200, None
    if not form.is_valid():
        error, status = "Dữ liệu gửi lên không hợp lệ; tải lại trang rồi nhập lại.", 422
    else:
        data = form.cleaned_data
        # Only the fields the row showed as inputs are sent; the open stage decides which (rounds).
        sent = {name: data[name].strip() if name in SCORE_FIELDS else data[name]
                for name in ROW_FIELDS if name in request.POST}
        try:
            write_score_in_stage(score, acting_user=request.user, expected_version=data["version"],
                                 proposal_reason=data["proposal_reason"], **sent)
        except StaleScoreError as exc:
            error, status = str(exc), 409
        except ScoreWriteError as exc:
            error, status, typed = str(exc), 422, data
    return _row_answer(request, assessment, score, error, status, typed,
                       done=f"Đã lưu tiêu chí {score.criterion.code}.")


@require_POST
@role_required(Role.REVIEWER)
def score_accept(request, pk, score_pk):
    """The reviewer accepts a row's computed proposal as its appraised score (scoring.actions.
    accept_computed: the open stage must let them write the appraised score). Answers as score_save."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=score_pk, assessment=assessment)
    form = AcceptProposalForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = "Dữ liệu gửi lên không hợp lệ; tải lại trang rồi thử lại.", 422
    else:
        try:
            accept_computed(score, acting_user=request.user, expected_version=form.cleaned_data["version"])
        except StaleScoreError as exc:
            error, status = str(exc), 409
        except ScoreWriteError as exc:
            error, status = str(exc), 422
    return _row_answer(request, assessment, score, error, status, None,
                       done=f"Đã chấp nhận điểm tính từ số liệu cho tiêu chí {score.criterion.code}.")


def _row_answer(request, assessment, score, error, status, typed, *, done):
    """The row as stored now with the new totals (htmx), or back to the page with a message."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect(f"{reverse('assessment', args=[assessment.pk])}#score-{score.pk}")
    page = build_assessment_page(assessment)
    row = next(r for r in page.rows if r.score is not None and r.score.pk == score.pk)
    row.error, row.form_values = error, typed
    allowed = _row_fields(request.user, assessment, _stages(assessment))
    return render(request, "scoring/_score_saved.html", {
        "row": row,
        "area_row": page.area_rows.get(row.area.pk),
        "page": page,
        "assessment": assessment,
        "editable": bool(allowed),
        "allowed": allowed,
        "saved": not error,
    }, status=status)


@role_required()
def score_detail(request, pk, score_pk):
    """A score's history (every ScoreChange) and its evidence files, with the upload form."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    score = get_object_or_404(
        Score.objects.select_related("criterion").prefetch_related("evidence_files", "responsible_units"),
        pk=score_pk, assessment=assessment,
    )
    changes = list(score.changes.select_related("changed_by"))
    for change in changes:
        change.label = HISTORY_LABELS.get(change.field, change.field)
        change.is_score = change.field in SCORE_FIELDS or change.field == PROPOSAL_OVERRIDE_FIELD
    state = proposal_state(score)
    # The decision that stands: the newest override, while the appraised score still differs from the proposal.
    override = next((c for c in changes if c.field == PROPOSAL_OVERRIDE_FIELD), None) if state == "overridden" else None
    form = EvidenceForm()
    can_upload = can_edit_scores(request.user) and EVIDENCE in writable_fields(request.user, assessment, _stages(assessment))
    if request.method == "POST":
        check_role(request.user, Role.REVIEWER)
        if assessment.status == AssessmentStatus.LOCKED:
            raise PermissionDenied("Đợt đánh giá đã chốt điểm; không tải thêm tài liệu được.")
        if not can_upload:
            raise PermissionDenied("Giai đoạn đang mở không nhận thêm tài liệu kiểm chứng.")
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            evidence = attach_evidence(score, form.cleaned_data["file"], form.kind, acting_user=request.user)
            messages.success(request, f"Đã tải lên {evidence.original_name} cho tiêu chí {score.criterion.code}.")
            return redirect(reverse("score-detail", args=[assessment.pk, score.pk]))
    template = "scoring/_score_detail.html" if request.htmx else "scoring/score_detail.html"
    return render(request, template, {
        "assessment": assessment,
        "score": score,
        "changes": changes,
        "proposal_state": state,
        "override": override,
        "form": form,
        "can_upload": can_upload,
        "max_mb": format_number(settings.UPLOAD_MAX_BYTES / 1024 / 1024, 1),
    }, status=422 if form.errors else 200)


HISTORY_LABELS = {**FIELD_LABELS, "evidence_file": "tệp tài liệu kiểm chứng",
                  # old → new of this row read: the proposal → the appraised score chosen instead.
                  PROPOSAL_OVERRIDE_FIELD: "chấm khác điểm tính từ số liệu (điểm tính → điểm thẩm định)"}


def can_see_evidence(user, evidence) -> bool:
    """Reviewers and leaders see the evidence of the units they see (their authority's tree when bound
    to one); a unit head the evidence of their own unit's assessments and of the criteria their unit
    is responsible for."""
    role = role_of(user)
    if role in (Role.REVIEWER, Role.VIEWER):
        return visible_units(user).filter(pk=evidence.score.assessment.subject_id).exists()
    unit = own_unit(user)
    if unit is None:
        return False
    score = evidence.score
    return score.assessment.subject_id == unit.pk or score.responsible_units.filter(pk=unit.pk).exists()


@role_required()
def evidence_download(request, pk):
    """Stream an evidence file to a user allowed to see it; anyone else gets 404, as if it did not exist."""
    evidence = get_object_or_404(Evidence.objects.select_related("score__assessment"), pk=pk)
    if not can_see_evidence(request.user, evidence):
        raise Http404("Không tìm thấy tệp.")
    kind_inline = evidence.content_type in INLINE_TYPES
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                            as_attachment=not kind_inline, filename=evidence.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


# --- The dashboard of a period -----------------------------------------------------------------

@dataclass(frozen=True)
class CardFigures:
    """What a dashboard card shows of one assessment, computed once per change of the data (picklable:
    it is kept in the cache)."""

    assessment_id: int
    index_percent: Decimal | None
    appraised_total: Decimal
    max_total: Decimal
    deduction_total: Decimal
    deducted_count: int
    class_label: str | None
    rank: str | None
    bars: tuple  # (label, max, appraised or None) per area


@dataclass
class AssessmentCard:
    """One assessment of the period on the dashboard: its figures and its chart."""

    assessment: object
    totals: CardFigures
    class_label: str | None
    rank: str | None
    chart: str


CARDS_PER_PAGE = 24


def trend_over_periods(results) -> str:
    """The index (in percent) of each kind of set and unit over every period with appraised scores:
    an SVG line chart, or "" with fewer than two such periods. Takes computed results, no query."""
    points: dict[tuple, dict] = {}
    periods = {}
    for result, totals in results:
        a = result.assessment
        index = totals.overall.index_percent
        if index is None:
            continue
        label = f"{a.criteria_set.get_kind_display()} — {a.subject.short_name or a.subject.name}"
        points.setdefault((a.criteria_set.kind, a.subject_id), {"label": label, "values": {}})["values"][a.period_id] = index
        periods[a.period_id] = a.period
    ordered = sorted(periods.values(), key=lambda p: (p.end, p.start, p.code))
    if len(ordered) < 2:
        return ""
    series = [Series(v["label"], [v["values"].get(p.pk) for p in ordered]) for _, v in sorted(points.items())][:3]
    return trend_chart(series, [p.name for p in ordered], title="Chỉ số qua các kỳ (%)", suffix=" %",
                       places=2, scale_max=Decimal(100), width=720, height=240)


def dashboard_figures(assessments: list, others: list) -> dict:
    """Every card's figures of the period (``assessments``), ranked within what the viewer sees (the
    units of their authority: a district's communes are not ranked against another's), and the trend
    over ``others``, the same units' other periods. The costly part of the dashboard: the scoring
    engine over every assessment, kept in the cache (common.memo) until the scores change."""
    results = [(r, r.totals()) for r in computing.compute_assessments(assessments + others)]
    current = results[:len(assessments)]
    ranks = {}
    by_set: dict[int, dict] = {}
    for result, totals in current:
        if totals.overall.index_percent is not None:
            by_set.setdefault(result.assessment.criteria_set_id, {})[result.assessment.pk] = totals.overall.index_percent
    for values in by_set.values():
        ranks.update({pk: str(r) for pk, r in rank(values).items()})
    cards = {}
    for result, totals in current:
        overall = totals.overall
        bars = tuple(
            (f"{code}. {area.name}", t.max_total, None if t.unappraised else t.appraised_total)
            for code, area in result.areas.items() if (t := totals.areas.get(code)) is not None
        )
        index = overall.index_percent
        cards[result.assessment.pk] = CardFigures(
            result.assessment.pk, index, overall.appraised_total, overall.max_total, overall.deduction_total,
            overall.deducted_count, result.assessment.criteria_set.class_for(index),
            ranks.get(result.assessment.pk), bars,
        )
    # The largest deductions of the period, as the query ordered them: most points lost, then catalogue order.
    lost = sorted(
        ((line.deduction, line.criterion.position, line.score.id) for result, _ in current for line in result.lines
         if line.deduction is not None and line.deduction < 0),
    )
    return {"cards": cards, "trend": trend_over_periods(results), "deductions": [pk for _, _, pk in lost[:10]]}


def scores_fingerprint(assessments) -> tuple:
    """How many scores these assessments (a queryset) have, when one last changed and the sum of their
    versions: any write to a score, through whatever path, changes one of the three. One aggregate query."""
    found = Score.objects.filter(assessment__in=assessments.order_by().values("pk")).aggregate(
        n=Count("id"), latest=Max("updated_at"), versions=Sum("version"))
    return found["n"], found["latest"], found["versions"]


@role_required()
def dashboard(request, period=None):
    """A period at a glance: each assessment's index or score with rank and a chart per area (a page
    of cards at a time), the largest deductions, the units furthest below their metric targets, the
    last imports.

    A fixed number of queries whatever the number of units and criteria. The figures of every card
    come from the scoring engine over all the period's assessments (and the same units' other periods,
    for the trend); they are kept in the cache under the scores' fingerprint (common.memo), so a
    province's 1.200 assessments are computed once per change, not once per visit."""
    if role_of(request.user) == Role.UNIT_HEAD:
        # A unit head's overview is their own unit's page: the district's figures are not theirs.
        return redirect("unit-detail", pk=own_unit(request.user).pk)
    # EXISTS, not a join with DISTINCT: a province has tens of thousands of assessment rows to join.
    periods = list(Period.objects.filter(Exists(Assessment.objects.filter(period=OuterRef("pk"))))
                   .order_by("-year", "-start", "code"))
    if period is None:
        if not periods:
            return render(request, "scoring/dashboard.html", {"periods": [], "period": None})
        return redirect("dashboard", period=periods[0].code)
    period = get_object_or_404(Period, code=period)
    visible = visible_assessments(request.user)
    rows = list(visible.order_by().values_list("pk", "period_id", "subject_id", "criteria_set__code", "subject__name"))
    ordered = sorted((r for r in rows if r[1] == period.pk), key=lambda r: (r[3], r[4], r[0]))
    ids = [r[0] for r in ordered]
    subjects = {r[2] for r in ordered}
    other_ids = sorted(r[0] for r in rows if r[1] != period.pk and r[2] in subjects)

    page = Paginator(ids, CARDS_PER_PAGE).get_page(request.GET.get("trang"))

    def compute() -> dict:
        """Every part the memo keeps: the head (trend, largest deductions) and each page of cards."""
        by_pk = visible.in_bulk(ids + other_ids)
        figures = dashboard_figures([by_pk[pk] for pk in ids], [by_pk[pk] for pk in other_ids])
        parts = {"head": {"trend": figures["trend"], "deductions": figures["deductions"]}}
        for number in page.paginator.page_range:
            parts[f"page-{number}"] = [figures["cards"][pk] for pk in page.paginator.page(number).object_list]
        return parts

    # The same units' assessments of the other periods count too: the trend is drawn from them.
    same_units = visible.filter(subject__in=visible.filter(period=period).values("subject"))
    found = memo.remember_parts("dashboard", (period.pk, tuple(ids), tuple(other_ids), scores_fingerprint(same_units)),
                                compute, ["head", f"page-{page.number}"])
    figures, page_cards = found["head"], found[f"page-{page.number}"]
    shown = visible.in_bulk([figure.assessment_id for figure in page_cards])
    cards = []
    for figure in page_cards:
        assessment = shown[figure.assessment_id]
        chart = max_value_bars([Bar(*bar) for bar in figure.bars],
                               title=f"Điểm tối đa và điểm thẩm định theo lĩnh vực — {assessment.criteria_set.code}")
        cards.append(AssessmentCard(assessment, figure, figure.class_label, figure.rank, mark_safe(chart)))
    deductions = Score.objects.annotate(lost=F("appraised_score") - F("criterion__max_score")).select_related(
        "criterion", "assessment__criteria_set").prefetch_related("responsible_units").in_bulk(figures["deductions"])
    deductions = [deductions[pk] for pk in figures["deductions"] if pk in deductions]
    # The imports of the viewer's authority only (documents.visibility), as the import history shows them.
    batches = list(visible_batches(request.user).select_related("period", "created_by").order_by("-created_at", "-id")[:8])
    return render(request, "scoring/dashboard.html", {
        "trend": mark_safe(figures["trend"]),
        "periods": periods,
        "period": period,
        "cards": cards,
        "page": page,
        "deductions": deductions,
        "weak_metrics": weakest_units(period, units=visible_units(request.user)),
        "batches": batches,
        "authority": authority_of(request.user),  # "Toàn huyện" / "Toàn tỉnh"
    })


# --- the appraisal rounds: start, close, reopen -------------------------------------------------------

def _back_to_rounds(assessment):
    return redirect(f"{reverse('assessment', args=[assessment.pk])}#rounds")


@require_POST
@role_required(Role.REVIEWER)
def rounds_start(request, pk):
    """Start the rounds of an assessment with the four deadlines."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    form = StartRoundsForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" if f in form.fields else " ".join(e)
                           for f, e in form.errors.items())
        messages.error(request, f"Chưa bắt đầu được các vòng chấm — {errors}")
        return _back_to_rounds(assessment)
    try:
        start_rounds(assessment, acting_user=request.user, deadlines=form.deadlines())
        messages.success(request, "Đã bắt đầu các vòng chấm: giai đoạn tự đánh giá đang mở.")
    except StageError as exc:
        messages.error(request, str(exc))
    return _back_to_rounds(assessment)


@require_POST
@role_required(Role.REVIEWER)
def stage_close(request, pk):
    """A reviewer closes the open stage (the one they saw: ``stage`` in the form)."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    try:
        stage = close_stage(assessment, acting_user=request.user, expected_kind=request.POST.get("stage", ""))
        messages.success(request, f"Đã kết thúc giai đoạn «{stage.get_kind_display()}».")
    except StageError as exc:
        messages.error(request, str(exc))
    return _back_to_rounds(assessment)


@require_POST
@role_required()
def stage_reopen(request, pk):
    """An admin reopens a closed stage, with a reason kept in the rounds' history."""
    if not request.user.is_superuser:
        raise PermissionDenied("Chỉ quản trị viên được mở lại một giai đoạn đã kết thúc.")
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    form = ReopenStageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần ghi lý do mở lại.")
        return _back_to_rounds(assessment)
    try:
        stage = reopen_stage(assessment, acting_user=request.user, kind=form.cleaned_data["stage"],
                             reason=form.cleaned_data["reason"])
        messages.success(request, f"Đã mở lại giai đoạn «{stage.get_kind_display()}».")
    except StageError as exc:
        messages.error(request, str(exc))
    return _back_to_rounds(assessment)


# --- the unit portal's writes: a criterion's self-assessment / explanation / evidence, a task's progress ---

@require_POST
@role_required(Role.UNIT_HEAD)
def portal_score(request, score_pk):
    """A unit head sends what the open stage allows for a criterion their unit answers for; any other
    criterion answers 404, as if it did not exist."""
    unit = own_unit(request.user)
    score = get_object_or_404(
        Score.objects.select_related("assessment__criteria_set", "assessment__period", "criterion")
        .prefetch_related("responsible_units", "criterion__responsibilities"), pk=score_pk)
    if not answers_for(unit, score):
        raise Http404("Không tìm thấy tiêu chí.")
    back = redirect(f"{reverse('unit-detail', args=[unit.pk])}#score-{score.pk}")
    form = PortalScoreForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"Tiêu chí {score.criterion.code}: {' '.join(errors)}")
        return back
    data = form.cleaned_data
    sent = {name: data[name].strip() for name in ("self_score", "explanation") if name in request.POST}
    try:
        write_score_in_stage(score, acting_user=request.user, expected_version=data["version"], **sent)
        if data.get("file"):
            stages = list(score.assessment.stages.order_by("position"))
            if EVIDENCE not in writable_fields(request.user, score.assessment, stages, score):
                raise ScoreWriteError("Giai đoạn đang mở không nhận thêm tài liệu kiểm chứng.")
            attach_evidence(score, data["file"], form.kind, acting_user=request.user)
        messages.success(request, f"Đã gửi tiêu chí {score.criterion.code}.")
    except ScoreWriteError as exc:
        messages.error(request, str(exc))
    return back


@require_POST
@role_required(Role.UNIT_HEAD, Role.REVIEWER)
def task_progress(request, pk):
    """Progress on a remediation task: by its unit's head, or a reviewer (through update_task_progress)."""
    # Among the tasks of the units the user sees: a unit head's own, a reviewer's authority's.
    task = get_object_or_404(RemediationTask.objects.select_related("responsible_unit")
                             .filter(responsible_unit__in=visible_units(request.user)), pk=pk)
    form = TaskProgressForm(request.POST)
    if form.is_valid():
        try:
            if update_task_progress(task, acting_user=request.user, **form.cleaned_data):
                messages.success(request, "Đã cập nhật tiến độ nhiệm vụ.")
        except TaskWriteError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Trạng thái nhiệm vụ không hợp lệ.")
    return redirect(f"{reverse('unit-detail', args=[task.responsible_unit_id])}#task-{task.pk}")


# --- notifications ----------------------------------------------------------------------------------

@role_required()
def notifications(request):
    """The user's notifications, newest first; POST marks them all read."""
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        from django.utils import timezone

        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    return render(request, "scoring/notifications.html", {"notifications": list(mine[:100])})


@require_POST
@role_required()
def notification_open(request, pk):
    """Mark one notification read and go where it points (a path of this site only)."""
    from django.utils import timezone

    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url if note.url.startswith("/") and not note.url.startswith("//") else "notifications")
