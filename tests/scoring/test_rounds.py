"""The appraisal rounds: self-assessment → appraisal 1 → explanation → appraisal 2 → locked; who writes
what in each stage; an admin's audited reopening; stages closing by themselves at their own deadline;
reminders before a deadline and when a deduction or a task lands on a unit."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from scoring.actions import (
    ScoreWriteError, StageError, close_stage, create_remediation_task, reopen_stage, start_rounds, write_score_in_stage,
)
from scoring.choices import AssessmentStatus, Level, PeriodKind, SetKind, SubjectKind
from scoring.models import (
    Assessment, AssessmentStage, AssessmentStageChange, CriteriaSet, Criterion, Notification, Period, Score, StageKind,
)
from scoring.rounds import STAGE_ORDER
from scoring.tasks import run_rounds_task
from units.choices import Role, UnitKind
from units.models import Unit

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2023, 6, 1, 8, 0, tzinfo=TZ)


def deadlines(first: datetime) -> dict:
    """One week per stage from ``first``."""
    return {kind: first + timedelta(days=7 * i) for i, kind in enumerate(STAGE_ORDER)}


def make_assessment(subject, responsible, code="CCHC-T", period_code="2023-H1") -> Assessment:
    """A set with one area and two criteria (1 point each), scored for ``subject``; ``responsible``
    answers for criterion 1.1 only."""
    period, _ = Period.objects.get_or_create(code=period_code, defaults=dict(
        name=f"Kỳ {period_code}", kind=PeriodKind.HALF_YEAR, year=2023, start=date(2022, 12, 15), end=date(2023, 6, 14)))
    cset = CriteriaSet.objects.create(code=code, name="Bộ thử", kind=SetKind.CCHC, year=2023,
                                      subject_kind=SubjectKind.DISTRICT)
    area = Criterion.objects.create(criteria_set=cset, code="1", name="Lĩnh vực 1", level=Level.AREA,
                                    max_score=Decimal(2), position=0)
    assessment = Assessment.objects.create(criteria_set=cset, period=period, subject=subject)
    for i in (1, 2):
        criterion = Criterion.objects.create(criteria_set=cset, parent=area, code=f"1.{i}", name=f"Tiêu chí 1.{i}",
                                             level=Level.CRITERION, max_score=Decimal(1), position=i)
        score = Score.objects.create(assessment=assessment, criterion=criterion)
        if i == 1:
            score.responsible_units.add(responsible)
    return assessment


@pytest.fixture
def district(db):
    return Unit.objects.create(name="UBND huyện Thử", kind=UnitKind.AUTHORITY)


@pytest.fixture
def assessment(district, vinh_khe):
    return make_assessment(district, vinh_khe)


def score(assessment, code) -> Score:
    return Score.objects.get(assessment=assessment, criterion__code=code)


def open_kind(assessment):
    stage = AssessmentStage.objects.filter(assessment=assessment, opened_at__isnull=False, closed_at__isnull=True).first()
    return stage and stage.kind


def test_it_runs_the_stages_in_order_and_locks_after_the_last(assessment, reviewer):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    seen = []
    for kind in STAGE_ORDER:
        assessment.refresh_from_db()
        seen.append((open_kind(assessment), assessment.status))
        close_stage(assessment, acting_user=reviewer, expected_kind=kind, now=START + timedelta(hours=1))
    assessment.refresh_from_db()
    assert seen == [
        (StageKind.SELF_ASSESSMENT, AssessmentStatus.DRAFT),
        (StageKind.APPRAISAL_1, AssessmentStatus.SELF_ASSESSED),
        (StageKind.EXPLANATION, AssessmentStatus.APPRAISED),
        (StageKind.APPRAISAL_2, AssessmentStatus.APPRAISED),
    ]
    assert assessment.status == AssessmentStatus.LOCKED
    assert open_kind(assessment) is None
    actions = list(AssessmentStageChange.objects.filter(assessment=assessment).order_by("id").values_list("action", "stage"))
    assert actions == [("start", StageKind.SELF_ASSESSMENT)] + [("close", kind) for kind in STAGE_ORDER]
    assert set(AssessmentStage.objects.filter(assessment=assessment).values_list("closed_by", flat=True)) == {reviewer.pk}


def test_it_refuses_a_second_click_on_close(assessment, reviewer):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.SELF_ASSESSMENT)
    with pytest.raises(StageError, match="Thẩm định lần 1"):
        close_stage(assessment, acting_user=reviewer, expected_kind=StageKind.SELF_ASSESSMENT)
    assert open_kind(assessment) == StageKind.APPRAISAL_1


def test_it_wants_every_deadline_in_order(assessment, reviewer):
    wrong = deadlines(START)
    wrong[StageKind.EXPLANATION], wrong[StageKind.APPRAISAL_1] = wrong[StageKind.APPRAISAL_1], wrong[StageKind.EXPLANATION]
    with pytest.raises(StageError, match="thứ tự"):
        start_rounds(assessment, acting_user=reviewer, deadlines=wrong)
    assert not AssessmentStage.objects.exists()


def test_a_unit_head_writes_self_scores_then_explanations_only_in_those_stages(assessment, reviewer, head_vinhkhe):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    own = score(assessment, "1.1")
    write_score_in_stage(own, acting_user=head_vinhkhe, self_score="1")
    with pytest.raises(ScoreWriteError, match="giải trình"):
        write_score_in_stage(own, acting_user=head_vinhkhe, explanation="Đã bổ sung")
    close_stage(assessment, acting_user=reviewer)  # → appraisal 1
    with pytest.raises(ScoreWriteError, match="Thẩm định lần 1"):
        write_score_in_stage(own, acting_user=head_vinhkhe, self_score="0,5")
    write_score_in_stage(own, acting_user=reviewer, appraised_score="0,5", comment="Thiếu TLKC")
    close_stage(assessment, acting_user=reviewer)  # → explanation
    write_score_in_stage(own, acting_user=head_vinhkhe, explanation="Đã có quyết định, gửi kèm bản chụp")
    close_stage(assessment, acting_user=reviewer)  # → appraisal 2
    with pytest.raises(ScoreWriteError, match="giải trình"):
        write_score_in_stage(own, acting_user=head_vinhkhe, explanation="Sửa lại")
    own.refresh_from_db()
    assert (own.self_score, own.appraised_score, own.explanation) == (
        Decimal(1), Decimal("0.5"), "Đã có quyết định, gửi kèm bản chụp")
    assert own.changes.filter(field="explanation", changed_by=head_vinhkhe).count() == 1


def test_a_unit_head_cannot_write_on_another_units_criterion(assessment, reviewer, head_vinhkhe):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    other = score(assessment, "1.2")
    with pytest.raises(ScoreWriteError):
        write_score_in_stage(other, acting_user=head_vinhkhe, self_score="1")
    other.refresh_from_db()
    assert other.self_score is None


def test_reviewers_write_appraised_scores_only_in_appraisal_stages(assessment, reviewer):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    row = score(assessment, "1.2")
    with pytest.raises(ScoreWriteError, match="điểm thẩm định"):
        write_score_in_stage(row, acting_user=reviewer, appraised_score="1")
    # Re-sending a row's unchanged values is harmless: only what changes is checked.
    write_score_in_stage(row, acting_user=reviewer, self_score="1", appraised_score="", comment="")
    close_stage(assessment, acting_user=reviewer)
    write_score_in_stage(row, acting_user=reviewer, appraised_score="0,75", comment="Chưa đủ")
    row.refresh_from_db()
    assert (row.self_score, row.appraised_score) == (Decimal(1), Decimal("0.75"))


def test_a_locked_assessment_is_read_only_until_an_admin_reopens_it_with_a_reason(assessment, reviewer, superuser):
    start_rounds(assessment, acting_user=reviewer, deadlines=deadlines(START), now=START)
    for _ in STAGE_ORDER:
        close_stage(assessment, acting_user=reviewer)
    row = score(assessment, "1.2")
    for user in (reviewer, superuser):
        with pytest.raises(ScoreWriteError, match="chốt điểm"):
            write_score_in_stage(row, acting_user=user, appraised_score="1")
    with pytest.raises(StageError, match="quản trị"):
        reopen_stage(assessment, acting_user=reviewer, kind=StageKind.APPRAISAL_2, reason="Sai sót")
    with pytest.raises(StageError, match="lý do"):
        reopen_stage(assessment, acting_user=superuser, kind=StageKind.APPRAISAL_2, reason=" ")
    reopen_stage(assessment, acting_user=superuser, kind=StageKind.APPRAISAL_2, reason="Hội đồng chấm lại 1.2")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPRAISED and open_kind(assessment) == StageKind.APPRAISAL_2
    write_score_in_stage(row, acting_user=reviewer, appraised_score="1")
    audit = AssessmentStageChange.objects.get(action="reopen")
    assert (audit.changed_by, audit.reason, audit.stage) == (superuser, "Hội đồng chấm lại 1.2", StageKind.APPRAISAL_2)


def test_the_periodic_task_closes_only_the_stages_whose_own_deadline_passed(district, vinh_khe, reviewer):
    early = make_assessment(district, vinh_khe, code="SET-A")
    late = make_assessment(district, vinh_khe, code="SET-B")
    start_rounds(early, acting_user=reviewer, deadlines=deadlines(START + timedelta(days=1)), now=START)
    start_rounds(late, acting_user=reviewer, deadlines=deadlines(START + timedelta(days=3)), now=START)
    with time_machine.travel(START + timedelta(days=2), tick=False):
        result = run_rounds_task.delay().get()
    assert result["closed"] == [{"assessment": early.pk, "stage": StageKind.SELF_ASSESSMENT}]
    assert (open_kind(early), open_kind(late)) == (StageKind.APPRAISAL_1, StageKind.SELF_ASSESSMENT)
    closed = AssessmentStage.objects.get(assessment=early, kind=StageKind.SELF_ASSESSMENT)
    assert closed.closed_by is None and closed.closed_at == START + timedelta(days=2)
    assert AssessmentStageChange.objects.filter(action="deadline").count() == 1
    with time_machine.travel(START + timedelta(days=2, minutes=15), tick=False):
        assert run_rounds_task.delay().get()["closed"] == []  # early's appraisal 1 is due on day 8
    with time_machine.travel(START + timedelta(days=3, minutes=1), tick=False):
        run_rounds_task.delay().get()
    assert (open_kind(early), open_kind(late)) == (StageKind.APPRAISAL_1, StageKind.APPRAISAL_1)


def test_reminders_go_n_days_before_a_deadline_once_per_stage_and_user(
        assessment, reviewer, head_vinhkhe, make_user, noi_vu, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_DAYS_BEFORE = 2
    head_vinhkhe.email = "vinhkhe@example.com"
    head_vinhkhe.save()
    make_user("head_noivu", Role.UNIT_HEAD, noi_vu, email="noivu@example.com")  # answers for nothing here
    due = deadlines(START + timedelta(days=5))
    start_rounds(assessment, acting_user=reviewer, deadlines=due, now=START)
    with time_machine.travel(due[StageKind.SELF_ASSESSMENT] - timedelta(days=3), tick=False):
        assert run_rounds_task.delay().get()["reminders"] == 0  # three days before: not yet
    for minutes in (0, 15, 30):
        with time_machine.travel(due[StageKind.SELF_ASSESSMENT] - timedelta(days=2) + timedelta(minutes=minutes), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                run_rounds_task.delay().get()
    # The head of the unit that answers for a criterion, and the reviewers who keep the district's
    # self-assessment; not the head of a unit that answers for nothing here.
    reminders = Notification.objects.filter(key__startswith="stage-deadline:")
    assert sorted(reminders.values_list("user__username", flat=True)) == ["head_vinhkhe", "reviewer"]
    assert "06/06/2023" in reminders.first().text
    assert [m.to for m in mail.outbox] == [["vinhkhe@example.com"]]
    assert "Tự đánh giá" in mail.outbox[0].body


def test_a_deduction_and_a_task_landing_on_a_unit_tell_its_head(
        assessment, reviewer, head_vinhkhe, vinh_khe, django_capture_on_commit_callbacks):
    head_vinhkhe.email = "vinhkhe@example.com"
    head_vinhkhe.save()
    with django_capture_on_commit_callbacks(execute=True):
        write_score_in_stage(score(assessment, "1.2"), acting_user=reviewer, appraised_score="0,5")  # not theirs
        write_score_in_stage(score(assessment, "1.1"), acting_user=reviewer, appraised_score="1")  # no deduction
        write_score_in_stage(score(assessment, "1.1"), acting_user=reviewer, appraised_score="0,75")
        create_remediation_task(acting_user=reviewer, responsible_unit=vinh_khe, action="Bổ sung quyết định",
                                deadline=date(2023, 9, 30))
    texts = list(Notification.objects.filter(user=head_vinhkhe).order_by("id").values_list("text", flat=True))
    assert len(texts) == 2
    assert "1.1" in texts[0] and "-0,25" in texts[0]
    assert "Bổ sung quyết định" in texts[1] and "30/09/2023" in texts[1]
    assert len(mail.outbox) == 2


def test_the_rounds_task_is_scheduled_every_15_minutes(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="scoring.tasks.run_rounds_task")
    assert task.enabled and (task.interval.every, task.interval.period) == (15, "minutes")
