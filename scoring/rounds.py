"""The appraisal rounds as councils run them: self-assessment with evidence (TLKC) → appraisal round 1
with the council's comment per criterion → the responsible unit's explanation (giải trình) and
supplementary evidence → appraisal round 2 → locked (chốt điểm).

Here: which stage is open, what each role may write in it, and the periodic work (closing the stages
whose own deadline has passed, reminding people before a deadline). The writes themselves are in
scoring.actions (start_rounds, close_stage, reopen_stage, write_score_in_stage)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from units.access import own_unit, role_of
from units.choices import Role

from .choices import AssessmentStatus
from .models import AssessmentStage, Score, StageKind

STAGE_ORDER = list(StageKind)

# What the assessment's status reads while a stage is open (the status follows the stage).
STATUS_WHILE_OPEN = {
    StageKind.SELF_ASSESSMENT: AssessmentStatus.DRAFT,
    StageKind.APPRAISAL_1: AssessmentStatus.SELF_ASSESSED,
    StageKind.EXPLANATION: AssessmentStatus.APPRAISED,
    StageKind.APPRAISAL_2: AssessmentStatus.APPRAISED,
}

EVIDENCE = "evidence_file"
# Who may write what in each stage. Reviewers of Phòng Nội vụ also keep the district's own
# self-assessment, and may file evidence in any open stage (they receive the paper files).
WRITABLE: dict[str, dict[str, frozenset]] = {
    StageKind.SELF_ASSESSMENT: {
        Role.REVIEWER: frozenset({"self_score", EVIDENCE}),
        Role.UNIT_HEAD: frozenset({"self_score", EVIDENCE}),
    },
    StageKind.APPRAISAL_1: {Role.REVIEWER: frozenset({"appraised_score", "comment", EVIDENCE})},
    StageKind.EXPLANATION: {
        Role.REVIEWER: frozenset({EVIDENCE}),
        Role.UNIT_HEAD: frozenset({"explanation", EVIDENCE}),
    },
    StageKind.APPRAISAL_2: {Role.REVIEWER: frozenset({"appraised_score", "comment", EVIDENCE})},
}
# An assessment whose rounds were never started keeps the rules it had before rounds existed.
WITHOUT_ROUNDS = {Role.REVIEWER: frozenset({"self_score", "appraised_score", "comment", EVIDENCE})}
NOTHING = frozenset()

FIELD_NAMES = {
    "self_score": "điểm tự đánh giá",
    "appraised_score": "điểm thẩm định",
    "comment": "ý kiến hội đồng thẩm định",
    "explanation": "giải trình",
    EVIDENCE: "tài liệu kiểm chứng",
}


def open_stage(stages) -> AssessmentStage | None:
    """The stage open now: the first opened and not closed (stages in position order)."""
    return next((s for s in stages if s.is_open), None)


def status_for(stages) -> str:
    """The assessment's status as its stages say: locked once every stage is closed."""
    stage = open_stage(stages)
    if stage is not None:
        return STATUS_WHILE_OPEN[stage.kind]
    if stages and all(s.closed_at is not None for s in stages):
        return AssessmentStatus.LOCKED
    return AssessmentStatus.DRAFT


def stages_of(assessment) -> list[AssessmentStage]:
    """The stages in order, from a prefetch when there is one."""
    return sorted(assessment.stages.all(), key=lambda s: s.position)


def answers_for(unit, score) -> bool:
    """Whether ``unit`` answers for ``score``: named on the score or on its criterion, or the unit scored.

    Asks the database unless the score's responsible units and criterion responsibilities are prefetched."""
    if unit is None:
        return False
    if score.assessment.subject_id == unit.pk:
        return True
    if any(u.pk == unit.pk for u in score.responsible_units.all()):
        return True
    return any(r.unit_id == unit.pk for r in score.criterion.responsibilities.all())


def writable_fields(user, assessment, stages, score=None) -> frozenset:
    """The fields ``user`` may write on a score of ``assessment`` now (names of FIELD_NAMES).

    A locked assessment: nothing, for everyone (an admin reopens it first, audited). A unit head
    writes only on scores their unit answers for (``score`` is needed for that)."""
    if assessment.status == AssessmentStatus.LOCKED:
        return NOTHING
    role = role_of(user)
    if not stages:
        return WITHOUT_ROUNDS.get(role, NOTHING)
    stage = open_stage(stages)
    if stage is None:
        return NOTHING
    fields = WRITABLE[stage.kind].get(role, NOTHING)
    if role == Role.UNIT_HEAD and (score is None or not answers_for(own_unit(user), score)):
        return NOTHING
    return fields


def place_for(user, assessment) -> str:
    """Where a message about an assessment sends its reader: a unit head to their portal, others to the page."""
    unit = own_unit(user)
    return reverse("unit-detail", args=[unit.pk]) if unit else reverse("assessment", args=[assessment.pk])


def closing_words(stage) -> str:
    return f"Hạn chót giai đoạn «{stage.get_kind_display()}»"


# --- the periodic work ----------------------------------------------------------------------------

def close_due_stages(now=None) -> list[AssessmentStage]:
    """Close every open stage whose own deadline has passed — those and only those; the next stage of
    each opens. A stage opened by this run waits for the next run even if its deadline has passed too,
    so every stage is seen open at least once. Returns the stages closed."""
    from .actions import close_stage

    now = now or timezone.now()
    due = list(
        AssessmentStage.objects.filter(opened_at__isnull=False, closed_at__isnull=True, deadline__lte=now)
        .select_related("assessment").order_by("deadline", "pk")
    )
    closed = []
    for stage in due:
        closed.append(close_stage(stage.assessment, acting_user=None, by_deadline=True, now=now))
    return closed


def reminder_recipients(stage) -> list:
    """The people who must act before the stage's deadline: the heads of the units that answer for the
    assessment's criteria (in the explanation stage, only for deducted ones), and reviewers in the
    appraisal stages."""
    from django.contrib.auth import get_user_model

    from units.models import Membership

    roles = WRITABLE[stage.kind]
    found = []
    if Role.UNIT_HEAD in roles:
        scores = Score.objects.filter(assessment=stage.assessment_id)
        if stage.kind == StageKind.EXPLANATION:
            scores = scores.filter(appraised_score__lt=F("criterion__max_score"))
        unit_ids = set(scores.values_list("responsible_units", flat=True))
        unit_ids |= set(scores.values_list("criterion__responsibilities__unit", flat=True))
        unit_ids.add(stage.assessment.subject_id)
        unit_ids.discard(None)
        heads = Membership.objects.filter(role=Role.UNIT_HEAD, unit_id__in=unit_ids).values_list("user_id", flat=True)
        found += list(heads)
    if roles.get(Role.REVIEWER, NOTHING) - {EVIDENCE}:
        found += list(Membership.objects.filter(role=Role.REVIEWER).values_list("user_id", flat=True))
    if not found:
        return []
    return list(get_user_model().objects.filter(pk__in=found, is_active=True).select_related("membership__unit"))


def send_deadline_reminders(now=None) -> int:
    """Remind, REMINDER_DAYS_BEFORE days before its deadline, everyone who must act in an open stage;
    never twice for the same stage and user (the notification's key). Returns the reminders sent."""
    from .notifications import notify

    now = now or timezone.now()
    horizon = now + timedelta(days=settings.REMINDER_DAYS_BEFORE)
    stages = (
        AssessmentStage.objects.filter(opened_at__isnull=False, closed_at__isnull=True, deadline__gt=now,
                                       deadline__lte=horizon)
        .select_related("assessment__criteria_set", "assessment__period", "assessment__subject")
    )
    sent = 0
    for stage in stages:
        deadline = timezone.localtime(stage.deadline)
        text = (
            f"{closing_words(stage)} là {deadline:%H:%M} ngày {deadline:%d/%m/%Y} "
            f"({stage.assessment.criteria_set.code} · {stage.assessment.period.name} · {stage.assessment.subject.name})."
        )
        for user in reminder_recipients(stage):
            sent += len(notify([user], text=text, url=place_for(user, stage.assessment), key=f"stage-deadline:{stage.pk}"))
    return sent
