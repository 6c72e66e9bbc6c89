"""Every write that changes a score goes through here: atomic, with the acting user, audited.

Views, the API, imports and the demo loader call these functions; none of them saves a Score's
values themselves."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from common.bulk import insert_rows, update_rows
from common.numbers import format_number, parse_number

from .choices import AssessmentStatus
from .computing.compute import paused_gc
from .models import Score, ScoreChange

SCORE_FIELDS = ("self_score", "computed_score", "appraised_score")
TEXT_FIELDS = ("comment", "evidence", "responsible_text", "explanation")
EDITABLE_FIELDS = SCORE_FIELDS + TEXT_FIELDS + ("responsible_units",)
FIELD_LABELS = {
    "self_score": "điểm tự đánh giá",
    "computed_score": "điểm tính từ số liệu",
    "appraised_score": "điểm thẩm định",
    "comment": "ý kiến hội đồng thẩm định",
    "evidence": "tài liệu kiểm chứng",
    "responsible_text": "đơn vị chịu trách nhiệm (nội dung)",
    "responsible_units": "đơn vị chịu trách nhiệm",
    "explanation": "giải trình của đơn vị",
}
CENT = Decimal("0.01")


class ScoreWriteError(Exception):
    """A score write was refused; the message is for the user, in Vietnamese."""


class StaleScoreError(ScoreWriteError):
    """Someone saved the score after the user loaded it; carries what is stored now."""

    def __init__(self, score: Score, expected_version: int):
        self.current_version = score.version
        self.expected_version = expected_version
        self.current = {f: getattr(score, f) for f in SCORE_FIELDS + TEXT_FIELDS}
        self.current["responsible_units"] = [u.name for u in score.responsible_units.all()]
        shown = ", ".join(
            f"{FIELD_LABELS[f]}: {format_number(self.current[f]) or 'trống'}" for f in SCORE_FIELDS
        )
        super().__init__(
            f"Điểm tiêu chí {score.criterion.code} đã được người khác sửa (bạn sửa từ phiên bản {expected_version}, "
            f"hiện là phiên bản {score.version}; {shown}). Tải lại trang để xem giá trị mới rồi sửa lại."
        )


def _as_score(field: str, value, score: Score) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = parse_number(value)
    except ValueError:
        raise ScoreWriteError(f'{FIELD_LABELS[field].capitalize()} "{value}" không phải là số.') from None
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    maximum = score.criterion.max_score
    if number < 0 or number > maximum:
        raise ScoreWriteError(
            f"{FIELD_LABELS[field].capitalize()} {format_number(number)} nằm ngoài khoảng 0 – {format_number(maximum)} "
            f"(điểm tối đa của tiêu chí {score.criterion.code})."
        )
    return number


def _audit_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


@transaction.atomic
def set_score(score: Score, *, acting_user, reason: str = "", expected_version: int | None = None,
              field_reasons: dict | None = None, **fields) -> list[ScoreChange]:
    """Change some fields of a score; one ScoreChange per field whose value really changes.

    ``expected_version`` is the version the user loaded: if someone saved since, nothing is written
    and StaleScoreError says what is stored now. A locked assessment refuses every change. Bumps
    ``version`` once per call that changes anything; returns the audit rows written (none if nothing
    changed). Score values are rounded half-up to 2 decimals and must lie within 0 – max.
    ``field_reasons`` gives some fields' audit rows another reason than ``reason``.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"set_score() cannot change {', '.join(sorted(unknown))}")
    current = Score.objects.select_for_update().select_related("assessment", "criterion").get(pk=score.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleScoreError(current, expected_version)

    changes: list[ScoreChange] = []
    changed_fields: list[str] = []
    new_units = None
    field_reasons = field_reasons or {}
    for name, value in fields.items():
        if name == "responsible_units":
            old_names = sorted(u.name for u in current.responsible_units.all())
            new_units = list(value)
            new_names = sorted(u.name for u in new_units)
            if old_names != new_names:
                changes.append(ScoreChange(score=current, field=name, old_value="; ".join(old_names),
                                           new_value="; ".join(new_names), reason=reason, changed_by=acting_user))
            else:
                new_units = None
            continue
        new = _as_score(name, value, current) if name in SCORE_FIELDS else ("" if value is None else str(value))
        old = getattr(current, name)
        if old == new:
            continue
        setattr(current, name, new)
        changed_fields.append(name)
        changes.append(ScoreChange(score=current, field=name, old_value=_audit_text(old), new_value=_audit_text(new),
                                   reason=field_reasons.get(name, reason), changed_by=acting_user))
    if not changes:
        return []
    # Checked after comparing, so that re-saving unchanged values of a locked assessment is harmless.
    if current.assessment.status == AssessmentStatus.LOCKED:
        raise ScoreWriteError(
            f"Đợt đánh giá {current.assessment} đã chốt điểm; không sửa được tiêu chí {current.criterion.code}."
        )

    current.version += 1
    current.save(update_fields=changed_fields + ["version", "updated_at"])
    if new_units is not None:
        current.responsible_units.set(new_units)
    written = ScoreChange.objects.bulk_create(changes)
    if "appraised_score" in changed_fields:
        _recompute_references_on_commit(current.assessment_id)
    # Keep the caller's instance in step with what was stored.
    for name in changed_fields + ["version", "updated_at"]:
        setattr(score, name, getattr(current, name))
    return written


class _RecomputeReferences:
    """The on-commit callback that sends scoring.tasks.recompute_references for one assessment."""

    def __init__(self, assessment_id: int):
        self.assessment_id = assessment_id

    def __call__(self):
        from common.outbox import enqueue

        from .tasks import recompute_references

        enqueue(recompute_references, self.assessment_id)


def _recompute_references_on_commit(assessment_id: int) -> None:
    """The assessments referring to this one's index (HTNV II = CCHC index × 50) are recomputed once the
    change is committed (a worker finds them; sent later if the broker is down). Once per assessment and
    transaction: a transaction saving 300 scores sends one task. The callbacks waiting for the commit
    are Django's list (connection.run_on_commit, of (savepoints, callback, robust)); a rolled-back
    savepoint takes its own out of it."""
    connection = transaction.get_connection()
    if any(getattr(callback, "assessment_id", None) == assessment_id for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_RecomputeReferences(assessment_id))


# -- remediation tasks -----------------------------------------------------------------------------

TASK_FIELD_LABELS = {"status": "trạng thái", "progress": "tiến độ", "evidence": "tài liệu kiểm chứng"}


class TaskWriteError(Exception):
    """A task update was refused; the message is for the user, in Vietnamese."""


@transaction.atomic
def update_task_progress(task, *, acting_user, **fields) -> list[str]:
    """Report progress on a remediation task: its status, progress text and evidence.

    Returns the names of the fields that really changed (none: nothing is written). The audit row is
    a django.contrib.admin LogEntry on the task, whose message says old → new for each field, so the
    task's history page in the admin shows who reported what and when. There is no task-specific
    audit model yet; if one is added, this is the only place to change.
    """
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .choices import TaskStatus
    from .models import RemediationTask

    unknown = set(fields) - set(TASK_FIELD_LABELS)
    if unknown:
        raise TypeError(f"update_task_progress() cannot change {', '.join(sorted(unknown))}")
    if "status" in fields and fields["status"] not in TaskStatus.values:
        raise TaskWriteError(f"Trạng thái «{fields['status']}» không hợp lệ.")
    current = RemediationTask.objects.select_for_update().get(pk=task.pk)
    changed, notes = [], []
    for name, value in fields.items():
        new = "" if value is None else str(value)
        old = getattr(current, name)
        if old == new:
            continue
        if name == "status":
            shown_old, shown_new = TaskStatus(old).label, TaskStatus(new).label
        else:
            shown_old, shown_new = old or "trống", new or "trống"
        setattr(current, name, new)
        changed.append(name)
        notes.append(f"{TASK_FIELD_LABELS[name]}: {shown_old} → {shown_new}")
    if not changed:
        return []
    current.save(update_fields=changed + ["updated_at"])
    LogEntry.objects.create(
        user=acting_user, content_type=ContentType.objects.get_for_model(RemediationTask),
        object_id=str(current.pk), object_repr=str(current)[:200], action_flag=CHANGE,
        change_message="; ".join(notes),
    )
    for name in changed + ["updated_at"]:
        setattr(task, name, getattr(current, name))
    return changed


# -- computed proposals ------------------------------------------------------------------------------

COMPUTED_REASON = "Tính lại từ số liệu kỳ {period}"
ACCEPT_REASON = "Chấp nhận điểm tính từ số liệu"


def store_computed_scores(assessment, *, acting_user) -> int:
    """Store the fresh proposals of one assessment; see store_computed_for. Returns the scores changed."""
    return store_computed_for([assessment], acting_user=acting_user)


@transaction.atomic
@paused_gc()  # a province-sized recompute builds some 300.000 short-lived objects, none in a cycle
def store_computed_for(assessments, *, acting_user) -> int:
    """Write the engine's proposals into ``computed_score`` where they differ from what is stored.

    The audited path for many scores at once: one ScoreChange per changed score (old → new, with the
    engine's reason when a proposal can no longer be made), the version bumped, in one transaction and
    a fixed number of queries (a recompute after an import touches thousands of scores). A locked
    assessment keeps its proposals as they were. Only ``computed_score`` changes: self-assessed and
    appraised scores are the people's, and a proposal waits for a reviewer to accept it."""
    from django.utils import timezone

    from .computing import compute_assessments
    from .trace import store_traces

    open_ones = [a for a in assessments if a.status != AssessmentStatus.LOCKED]
    # The scores are read under lock, inside this transaction: what each proposal is compared with is
    # what is stored until the writes below commit (a reviewer saving meanwhile waits, then sees them).
    results = compute_assessments(open_ones, computable_only=True, lock_scores=True)
    # Which metric values (file, sheet, row, column) each proposal used; rewritten only where they changed.
    store_traces(results)
    # The audit rows as plain tuples (score, field, old, new, reason, who, when), inserted in one
    # statement: a model instance per row was most of a province-sized recompute's time.
    now = timezone.now()
    user_id = getattr(acting_user, "pk", None)
    changes, updates = [], []
    for result in results:
        period_reason = COMPUTED_REASON.format(period=result.assessment.period.code)
        for line in result.lines:
            if not line.computable:
                continue
            old, new = line.score.computed, line.proposal
            if old == new:
                continue
            reason = period_reason
            if new is None and line.computed.reason:
                reason += ": " + line.computed.reason
            changes.append((line.score.id, "computed_score", _audit_text(old), _audit_text(new), reason, user_id, now))
            updates.append((line.score.id, new))
    # Each score to its own proposal in as few statements as the database allows (common.bulk): one
    # UPDATE joined to the values on PostgreSQL, one per distinct value on SQLite (scores have two
    # decimals within 0 – max, so few values).
    update_rows(Score, "id", ["computed_score"], updates, also={"updated_at": now}, increment=["version"])
    insert_rows(ScoreChange, ["score_id", "field", "old_value", "new_value", "reason", "changed_by_id", "changed_at"],
                changes)
    return len(changes)


class ProposalReasonRequired(ScoreWriteError):
    """An appraised score other than the computed proposal was sent without a reason."""


# The audit row of a reviewer's decision against a proposal: old_value is the proposal, new_value the
# appraised score chosen instead, reason why. The appraised_score row beside it keeps old → new as usual.
PROPOSAL_OVERRIDE_FIELD = "computed_override"


@transaction.atomic
def accept_computed(score: Score, *, acting_user, expected_version: int | None = None) -> list[ScoreChange]:
    """The reviewer accepts the proposal: appraised := computed, with the rounds' rules
    (write_score_in_stage) and audited with ACCEPT_REASON; the audit row's new value is the proposal."""
    current = Score.objects.select_for_update().select_related("criterion").get(pk=score.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleScoreError(current, expected_version)
    if current.computed_score is None:
        raise ScoreWriteError(f"Tiêu chí {current.criterion.code} chưa có điểm tính từ số liệu để chấp nhận.")
    return write_score_in_stage(score, acting_user=acting_user, expected_version=expected_version,
                                appraised_score=current.computed_score)


def override_computed(score: Score, *, acting_user, appraised_score, reason: str,
                      expected_version: int | None = None) -> list[ScoreChange]:
    """The reviewer sets another appraised score than the proposal; the reason is required and kept in
    the audit beside the proposal, which stays as computed (write_score_in_stage)."""
    if not (reason or "").strip():
        raise ProposalReasonRequired("Cần ghi lý do khi chấm khác điểm tính từ số liệu.")
    return write_score_in_stage(score, acting_user=acting_user, expected_version=expected_version,
                                proposal_reason=reason, appraised_score=appraised_score)


# -- appraisal rounds ----------------------------------------------------------------------------------

class StageError(Exception):
    """A change of the rounds was refused; the message is for the user, in Vietnamese."""


def _stage_audit(assessment, stage_kind, action, *, acting_user, now, reason=""):
    from .models import AssessmentStageChange

    AssessmentStageChange.objects.create(assessment=assessment, stage=stage_kind, action=action, reason=reason,
                                         changed_by=acting_user, changed_at=now)


def _follow_stages(assessment, stages):
    """The assessment's status follows its stages."""
    from .rounds import status_for

    status = status_for(stages)
    if assessment.status != status:
        assessment.status = status
        assessment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def start_rounds(assessment, *, acting_user, deadlines: dict, now=None) -> list:
    """Create the four stages of an assessment with their deadlines ({StageKind: aware datetime}) and
    open the self-assessment. Audited; refused when the rounds have started or the assessment is locked."""
    from django.utils import timezone

    from .models import Assessment, AssessmentStage, AssessmentStageChange
    from .rounds import STAGE_ORDER

    now = now or timezone.now()
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == AssessmentStatus.LOCKED:
        raise StageError(f"Đợt đánh giá {assessment} đã chốt điểm.")
    if assessment.stages.exists():
        raise StageError(f"Các vòng chấm của {assessment} đã bắt đầu.")
    missing = [kind.label for kind in STAGE_ORDER if not deadlines.get(kind)]
    if missing:
        raise StageError("Cần hạn chót cho: " + "; ".join(missing) + ".")
    ordered = [deadlines[kind] for kind in STAGE_ORDER]
    if ordered != sorted(ordered):
        raise StageError("Hạn chót các giai đoạn phải theo đúng thứ tự: tự đánh giá, thẩm định lần 1, giải trình, thẩm định lần 2.")
    stages = AssessmentStage.objects.bulk_create([
        AssessmentStage(assessment=assessment, kind=kind, position=i, deadline=deadlines[kind],
                        opened_at=now if i == 0 else None)
        for i, kind in enumerate(STAGE_ORDER)
    ])
    _follow_stages(assessment, stages)
    _stage_audit(assessment, STAGE_ORDER[0], AssessmentStageChange.Action.START, acting_user=acting_user, now=now)
    return stages


@transaction.atomic
def close_stage(assessment, *, acting_user, by_deadline: bool = False, expected_kind: str | None = None, now=None):
    """Close the open stage and open the next one; closing the last locks the assessment (chốt điểm).

    ``expected_kind`` is the stage the user saw open: a second click, or a deadline that closed it in
    the meantime, is refused rather than closing the next stage too. ``by_deadline`` is the periodic
    task's way: it closes only a stage whose own deadline has passed. Audited; the people who must act
    in the newly opened stage are told. Returns the stage closed."""
    from django.utils import timezone

    from .models import AssessmentStage, AssessmentStageChange
    from .notifications import notify
    from .rounds import open_stage, place_for, reminder_recipients

    now = now or timezone.now()
    stages = list(AssessmentStage.objects.select_for_update().filter(assessment=assessment.pk)
                  .select_related("assessment__criteria_set", "assessment__period", "assessment__subject")
                  .order_by("position"))
    stage = open_stage(stages)
    if stage is None:
        raise StageError(f"{assessment} không có giai đoạn nào đang mở.")
    if expected_kind is not None and stage.kind != expected_kind:
        raise StageError(f"Giai đoạn đang mở là «{stage.get_kind_display()}», không phải giai đoạn bạn đã xem; tải lại trang.")
    if by_deadline and (stage.deadline is None or stage.deadline > now):
        raise StageError(f"Giai đoạn «{stage.get_kind_display()}» chưa đến hạn chót.")
    stage.closed_at, stage.closed_by = now, acting_user
    stage.save(update_fields=["closed_at", "closed_by"])
    following = next((s for s in stages if s.position > stage.position), None)
    if following is not None:
        following.opened_at = now
        following.save(update_fields=["opened_at"])
    current = stage.assessment
    _follow_stages(current, stages)
    action = AssessmentStageChange.Action.DEADLINE if by_deadline else AssessmentStageChange.Action.CLOSE
    _stage_audit(current, stage.kind, action, acting_user=acting_user, now=now)
    assessment.status = current.status
    if following is not None:
        text = (f"Đã mở giai đoạn «{following.get_kind_display()}» của {current.criteria_set.code} · "
                f"{current.period.name} · {current.subject.name}.")
        for user in reminder_recipients(following):
            notify([user], text=text, url=place_for(user, current))
    return stage


@transaction.atomic
def reopen_stage(assessment, *, acting_user, kind: str, reason: str, now=None):
    """An admin (superuser) reopens a closed stage — of a locked assessment too; the stages after it
    are set back to not yet opened. The reason is required and kept in the rounds' history."""
    from django.utils import timezone

    from .models import AssessmentStage, AssessmentStageChange, StageKind

    if acting_user is None or not acting_user.is_superuser:
        raise StageError("Chỉ quản trị viên được mở lại một giai đoạn đã kết thúc.")
    if not (reason or "").strip():
        raise StageError("Cần ghi lý do mở lại.")
    now = now or timezone.now()
    stages = list(AssessmentStage.objects.select_for_update().filter(assessment=assessment.pk)
                  .select_related("assessment").order_by("position"))
    target = next((s for s in stages if s.kind == kind), None)
    if target is None or target.closed_at is None:
        raise StageError(f"Giai đoạn «{StageKind(kind).label}» không phải giai đoạn đã kết thúc.")
    for stage in stages:
        if stage.position < target.position:
            continue
        stage.opened_at = now if stage.pk == target.pk else None
        stage.closed_at, stage.closed_by = None, None
        stage.save(update_fields=["opened_at", "closed_at", "closed_by"])
    current = target.assessment
    _follow_stages(current, stages)
    _stage_audit(current, kind, AssessmentStageChange.Action.REOPEN, acting_user=acting_user, now=now, reason=reason.strip())
    assessment.status = current.status
    return target


def _differs(score, name, value) -> bool:
    if name in SCORE_FIELDS:
        return _as_score(name, value, score) != getattr(score, name)
    return ("" if value is None else str(value)) != getattr(score, name)


def write_score_in_stage(score: Score, *, acting_user, expected_version: int | None = None, reason: str = "",
                         proposal_reason: str | None = None, **fields) -> list[ScoreChange]:
    """set_score with the rounds' rules: only the fields that really change are checked against what
    the user may write in the open stage (scoring.rounds.writable_fields), so re-sending the values of a
    row unchanged is harmless. When an appraised score lands below the max, the heads of the units that
    answer for the criterion are told.

    A computed score is a proposal. An appraised score set equal to it is its acceptance (audited with
    ACCEPT_REASON unless a reason is given); one set to another value overrides it and needs a reason —
    ``proposal_reason``, or ``reason`` when that is not given (the API has one reason for a write) —
    else ProposalReasonRequired and nothing is written. An override is audited twice: the appraised
    score old → new, and PROPOSAL_OVERRIDE_FIELD proposal → chosen, both with the reason. Clearing the
    appraised score is neither."""
    from .rounds import FIELD_NAMES, open_stage, writable_fields

    with transaction.atomic():
        current = (Score.objects.select_for_update().select_related("assessment__criteria_set", "assessment__period",
                                                                    "assessment__subject", "criterion")
                   .prefetch_related("responsible_units", "criterion__responsibilities").get(pk=score.pk))
        if expected_version is not None and current.version != expected_version:
            raise StaleScoreError(current, expected_version)
        stages = list(current.assessment.stages.order_by("position"))
        changed = [name for name, value in fields.items() if _differs(current, name, value)]
        allowed = writable_fields(acting_user, current.assessment, stages, current)
        refused = [name for name in changed if name not in allowed]
        if refused:
            if current.assessment.status == AssessmentStatus.LOCKED:
                raise ScoreWriteError(f"Đợt đánh giá {current.assessment} đã chốt điểm; không sửa được tiêu chí {current.criterion.code}.")
            stage = open_stage(stages)
            where = f"giai đoạn «{stage.get_kind_display()}»" if stage else "lúc này"
            raise ScoreWriteError(
                f"Trong {where}, bạn không được sửa {', '.join(FIELD_NAMES.get(n, n) for n in refused)} "
                f"của tiêu chí {current.criterion.code}."
            )
        field_reasons, override = {}, None
        proposal = current.computed_score
        if "appraised_score" in changed and proposal is not None:
            chosen = _as_score("appraised_score", fields["appraised_score"], current)
            why = (reason if proposal_reason is None else proposal_reason or "").strip()
            if chosen == proposal:
                field_reasons["appraised_score"] = why or ACCEPT_REASON
            elif chosen is not None:
                if not why:
                    raise ProposalReasonRequired(
                        f"Điểm thẩm định {format_number(chosen)} của tiêu chí {current.criterion.code} khác điểm tính "
                        f"từ số liệu {format_number(proposal)}: cần ghi «Lý do khác điểm tính từ số liệu»; chưa lưu gì."
                    )
                field_reasons["appraised_score"] = why
                override = (proposal, chosen, why)
        written = set_score(score, acting_user=acting_user, expected_version=expected_version, reason=reason,
                            field_reasons=field_reasons, **{name: fields[name] for name in changed})
        if override is not None and any(w.field == "appraised_score" for w in written):
            proposal, chosen, why = override
            written.append(ScoreChange.objects.create(score_id=current.pk, field=PROPOSAL_OVERRIDE_FIELD,
                                                      old_value=_audit_text(proposal), new_value=_audit_text(chosen),
                                                      reason=why, changed_by=acting_user))
        if any(w.field == "appraised_score" for w in written):
            _tell_of_deduction(current, Score.objects.get(pk=score.pk).appraised_score)
    return written


def _tell_of_deduction(score, appraised):
    from django.urls import reverse

    from .notifications import notify, unit_heads

    if appraised is None or appraised >= score.criterion.max_score:
        return
    unit_ids = {u.pk for u in score.responsible_units.all()} | {r.unit_id for r in score.criterion.responsibilities.all()}
    a = score.assessment
    text = (f"Tiêu chí {score.criterion.code} ({a.criteria_set.code} · {a.period.name}) bị trừ "
            f"{format_number(appraised - score.criterion.max_score, 2)} điểm: thẩm định "
            f"{format_number(appraised, 2)}/{format_number(score.criterion.max_score, 2)}.")
    for head in unit_heads(unit_ids):
        notify([head], text=text, url=reverse("unit-detail", args=[head.membership.unit_id]) + f"#score-{score.pk}")


@transaction.atomic
def create_remediation_task(*, acting_user, responsible_unit, action: str, criterion=None, assessment=None,
                            metric_key: str = "", deadline=None):
    """A remediation task lands on a unit: created, recorded in the admin's history (LogEntry, as
    update_task_progress does), and the unit's head(s) told in the app and by e-mail."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from .models import RemediationTask
    from .notifications import notify, unit_heads

    if not (action or "").strip():
        raise TaskWriteError("Cần ghi nội dung khắc phục.")
    task = RemediationTask.objects.create(responsible_unit=responsible_unit, action=action.strip(), criterion=criterion,
                                          assessment=assessment, metric_key=metric_key, deadline=deadline)
    if acting_user is not None:  # LogEntry needs a user; a task made by a script is recorded by its own row
        LogEntry.objects.create(
            user=acting_user, content_type=ContentType.objects.get_for_model(RemediationTask), object_id=str(task.pk),
            object_repr=str(task)[:200], action_flag=ADDITION, change_message="Giao nhiệm vụ khắc phục",
        )
    due = f" Hạn {deadline:%d/%m/%Y}." if deadline else ""
    code = f" (tiêu chí {criterion.code})" if criterion else ""
    notify(unit_heads([responsible_unit.pk]), text=f"Đơn vị được giao nhiệm vụ khắc phục{code}: {task.action[:200]}.{due}",
           url=reverse("unit-detail", args=[responsible_unit.pk]) + f"#task-{task.pk}")
    return task


# -- remediation plan → tasks (reports.services.plan_rows builds the rows) -----------------------------

from dataclasses import dataclass, field  # noqa: E402  (appended section; the file is shared)

PLAN_TASK_MESSAGE = "Tạo từ kế hoạch khắc phục"
TASK_PLAN_LABELS = {"action": "nội dung khắc phục", "deadline": "thời hạn"}


@dataclass
class PlanTasks:
    """What create_tasks_from_plan did: the tasks it created, how many the plan already had, and the
    rows it could not place (a code not in the set, a unit not in the registry)."""

    created: list = field(default_factory=list)
    kept: int = 0
    unplaced: list[str] = field(default_factory=list)


@transaction.atomic
def create_tasks_from_plan(assessment, rows, *, acting_user) -> PlanTasks:
    """Make one RemediationTask per plan row (criterion × responsible unit) of ``assessment``.

    ``rows`` carry ``criterion_code``, ``unit_name``, ``action`` and ``deadline`` (reports.services.
    plan_rows builds them from the plan's own appendix). Idempotent: a row whose (criterion, unit)
    already has a task of this assessment is kept as it is, with its status and progress, so running
    it again after units reported progress changes nothing. Each created task is recorded in the
    admin's history (LogEntry, as update_task_progress records changes)."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from units.models import Unit

    from .models import Assessment, Criterion, RemediationTask

    # Lock the assessment: two reviewers clicking at once must not both create the tasks.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    rows = list(rows)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set_id=assessment.criteria_set_id,
                                                             code__in={r.criterion_code for r in rows})}
    units = {u.name: u for u in Unit.objects.filter(name__in={r.unit_name for r in rows})}
    existing = set(RemediationTask.objects.filter(assessment=assessment, criterion__isnull=False)
                   .values_list("criterion_id", "responsible_unit_id"))
    result, new = PlanTasks(), []
    for row in rows:
        criterion, unit = criteria.get(row.criterion_code), units.get(row.unit_name)
        if criterion is None or unit is None:
            result.unplaced.append(f"{row.criterion_code} — {row.unit_name}")
            continue
        if (criterion.pk, unit.pk) in existing:
            result.kept += 1
            continue
        existing.add((criterion.pk, unit.pk))
        new.append(RemediationTask(assessment=assessment, criterion=criterion, responsible_unit=unit,
                                   action=row.action.strip(), deadline=row.deadline))
    result.created = RemediationTask.objects.bulk_create(new)
    if result.created and acting_user is not None:
        content_type = ContentType.objects.get_for_model(RemediationTask)
        LogEntry.objects.bulk_create([
            LogEntry(user=acting_user, content_type=content_type, object_id=str(task.pk),
                     object_repr=f"{task.responsible_unit}: {task.action[:60]}"[:200], action_flag=ADDITION,
                     change_message=PLAN_TASK_MESSAGE)
            for task in result.created
        ])
    return result


@transaction.atomic
def update_task(task, *, acting_user, **fields) -> list[str]:
    """A reviewer's change of a task: its action and deadline, and/or the progress fields (which go
    through update_task_progress). Audited the same way; returns the names of the fields changed."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from .models import RemediationTask

    progress = {name: fields.pop(name) for name in list(fields) if name in TASK_FIELD_LABELS}
    unknown = set(fields) - set(TASK_PLAN_LABELS)
    if unknown:
        raise TypeError(f"update_task() cannot change {', '.join(sorted(unknown))}")
    if "action" in fields and not (fields["action"] or "").strip():
        raise TaskWriteError("Cần ghi nội dung khắc phục.")
    current = RemediationTask.objects.select_for_update().get(pk=task.pk)
    changed, notes = [], []
    for name, value in fields.items():
        new = value.strip() if name == "action" else value
        old = getattr(current, name)
        if old == new:
            continue
        if name == "deadline":
            shown_old = f"{old:%d/%m/%Y}" if old else "trống"
            shown_new = f"{new:%d/%m/%Y}" if new else "trống"
        else:
            shown_old, shown_new = old or "trống", new or "trống"
        setattr(current, name, new)
        changed.append(name)
        notes.append(f"{TASK_PLAN_LABELS[name]}: {shown_old} → {shown_new}")
    if changed:
        current.save(update_fields=changed + ["updated_at"])
        LogEntry.objects.create(
            user=acting_user, content_type=ContentType.objects.get_for_model(RemediationTask),
            object_id=str(current.pk), object_repr=str(current)[:200], action_flag=CHANGE,
            change_message="; ".join(notes),
        )
        for name in changed + ["updated_at"]:
            setattr(task, name, getattr(current, name))
    if progress:
        changed += update_task_progress(task, acting_user=acting_user, **progress)
    return changed
