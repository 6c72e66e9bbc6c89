"""Every write that changes a score goes through here: atomic, with the acting user, audited.

Views, the API, imports and the demo loader call these functions; none of them saves a Score's
values themselves."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F

from common.numbers import format_number, parse_number

from .choices import AssessmentStatus
from .models import Score, ScoreChange

SCORE_FIELDS = ("self_score", "computed_score", "appraised_score")
TEXT_FIELDS = ("comment", "evidence", "responsible_text")
EDITABLE_FIELDS = SCORE_FIELDS + TEXT_FIELDS + ("responsible_units",)
FIELD_LABELS = {
    "self_score": "điểm tự đánh giá",
    "computed_score": "điểm tính từ số liệu",
    "appraised_score": "điểm thẩm định",
    "comment": "ý kiến hội đồng thẩm định",
    "evidence": "tài liệu kiểm chứng",
    "responsible_text": "đơn vị chịu trách nhiệm (nội dung)",
    "responsible_units": "đơn vị chịu trách nhiệm",
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
              **fields) -> list[ScoreChange]:
    """Change some fields of a score; one ScoreChange per field whose value really changes.

    ``expected_version`` is the version the user loaded: if someone saved since, nothing is written
    and StaleScoreError says what is stored now. A locked assessment refuses every change. Bumps
    ``version`` once per call that changes anything; returns the audit rows written (none if nothing
    changed). Score values are rounded half-up to 2 decimals and must lie within 0 – max.
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
                                   reason=reason, changed_by=acting_user))
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
    # Keep the caller's instance in step with what was stored.
    for name in changed_fields + ["version", "updated_at"]:
        setattr(score, name, getattr(current, name))
    return written


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
def store_computed_for(assessments, *, acting_user) -> int:
    """Write the engine's proposals into ``computed_score`` where they differ from what is stored.

    The audited path for many scores at once: one ScoreChange per changed score (old → new, with the
    engine's reason when a proposal can no longer be made), the version bumped, in one transaction and
    a fixed number of queries (a recompute after an import touches thousands of scores). A locked
    assessment keeps its proposals as they were. Only ``computed_score`` changes: self-assessed and
    appraised scores are the people's, and a proposal waits for a reviewer to accept it."""
    from django.utils import timezone

    from .computing import compute_assessments
    from .computing.loading import COMPUTABLE

    open_ones = [a for a in assessments if a.status != AssessmentStatus.LOCKED]
    proposals = {}
    for result in compute_assessments(open_ones, computable_only=True):
        for line in result.lines:
            if line.computable:
                reason = COMPUTED_REASON.format(period=result.assessment.period.code)
                if line.proposal is None and line.computed.reason:
                    reason += ": " + line.computed.reason
                proposals[line.score.id] = (line.proposal, reason)
    if not proposals:
        return 0
    # Read again under lock: a reviewer may have saved since the proposals were computed.
    current = Score.objects.select_for_update().filter(
        assessment_id__in=[a.pk for a in open_ones], criterion__method__in=COMPUTABLE,
    ).values_list("id", "computed_score")
    changes, by_value = [], {}
    for score_id, old in current:
        if score_id not in proposals:
            continue
        new, reason = proposals[score_id]
        if old == new:
            continue
        changes.append(ScoreChange(score_id=score_id, field="computed_score", old_value=_audit_text(old),
                                   new_value=_audit_text(new), reason=reason, changed_by=acting_user))
        by_value.setdefault(new, []).append(score_id)
    # One UPDATE per distinct new value (scores have two decimals within 0 – max, so few values), in
    # chunks that every database accepts as parameters; far faster than a CASE per row.
    now = timezone.now()
    for value, ids in by_value.items():
        for start in range(0, len(ids), 900):
            Score.objects.filter(pk__in=ids[start:start + 900]).update(
                computed_score=value, version=F("version") + 1, updated_at=now)
    ScoreChange.objects.bulk_create(changes, batch_size=1000)
    return len(changes)


def accept_computed(score: Score, *, acting_user, expected_version: int | None = None) -> list[ScoreChange]:
    """The reviewer accepts the proposal: appraised := computed, audited like any change."""
    current = Score.objects.select_related("criterion").get(pk=score.pk)
    if current.computed_score is None:
        raise ScoreWriteError(f"Tiêu chí {current.criterion.code} chưa có điểm tính từ số liệu để chấp nhận.")
    return set_score(score, acting_user=acting_user, reason=ACCEPT_REASON, expected_version=expected_version,
                     appraised_score=current.computed_score)


def override_computed(score: Score, *, acting_user, appraised_score, reason: str,
                      expected_version: int | None = None) -> list[ScoreChange]:
    """The reviewer sets another appraised score than the proposal; the reason is required and kept in
    the audit beside the proposal, which stays as computed."""
    if not (reason or "").strip():
        raise ScoreWriteError("Cần ghi lý do khi chấm khác điểm tính từ số liệu.")
    return set_score(score, acting_user=acting_user, reason=reason.strip(), expected_version=expected_version,
                     appraised_score=appraised_score)
