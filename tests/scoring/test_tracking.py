"""Remediation plan tracking: tasks from the plan of seed 004 (one per responsible unit), idempotent,
done/total per unit ("x/y"), overdue tasks on a fixed day, audited updates, roles, report, XLSX."""

import re
from collections import Counter
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports.choices import LetterKind
from reports.models import Letter
from reports.services import tasks_from_assessment, tasks_from_plan
from scoring import tracking
from scoring.actions import update_task_progress
from scoring.choices import TaskStatus
from scoring.models import RemediationTask
from tests.reports.conftest import district, match_units, plan_assessment, plan_seed_rows, seed_text  # noqa: F401
from units.choices import Role
from units.models import Unit


def seed_tasks_per_unit() -> Counter:
    """Seed 004's appendix: how many deducted criteria each unit answers for (a shared one counts for each)."""
    rows, _ = plan_seed_rows()
    return Counter(unit.name for row in rows for unit in match_units(row["units"]))


def seed_completion_deadline() -> date:
    """"Đảm bảo đến 30/11/2024 hoàn thành 100% các nhiệm vụ được giao" — the plan's deadline."""
    day, month, year = re.search(r"đến (\d{1,2})/(\d{1,2})/(\d{4}) hoàn thành 100%", seed_text("004")).groups()
    return date(int(year), int(month), int(day))


@pytest.fixture
def noi_vu(db) -> Unit:
    """The reviewer's unit, whichever of the registry and the reviewer is made first."""
    from units.choices import UnitKind

    return Unit.objects.get_or_create(name="Phòng Nội vụ", defaults={"kind": UnitKind.DEPARTMENT, "sort_order": 50})[0]


@pytest.fixture
def plan_letter(plan_assessment) -> Letter:  # noqa: F811
    return Letter.objects.create(kind=LetterKind.REMEDIATION_PLAN, period=plan_assessment.period,
                                 assessment=plan_assessment)


@pytest.fixture
def fixed_day(monkeypatch):
    """Freeze the follow-up's today."""
    def freeze(day: date):
        monkeypatch.setattr(tracking, "today", lambda: day)
        return day
    return freeze


def test_it_makes_one_task_per_responsible_unit_of_each_deducted_criterion(plan_letter, reviewer):
    rows, _ = plan_seed_rows()

    result = tasks_from_plan(plan_letter, acting_user=reviewer)

    expected = seed_tasks_per_unit()
    assert len(result.created) == sum(expected.values()) and result.unplaced == []
    assert Counter(t.responsible_unit.name for t in RemediationTask.objects.select_related("responsible_unit")) == expected
    fire = RemediationTask.objects.filter(criterion__code="I.C.3")
    shared = next(row for row in rows if row["code"] == "I.C.3")
    assert sorted(t.responsible_unit.name for t in fire) == sorted(u.name for u in match_units(shared["units"]))
    assert {t.action for t in fire} == {shared["comment"]}  # the plan's reason for the deduction
    assert {t.deadline for t in RemediationTask.objects.all()} == {seed_completion_deadline()}
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == len(result.created)


def test_it_is_idempotent_and_keeps_the_progress_reported(plan_letter, reviewer):
    first = tasks_from_plan(plan_letter, acting_user=reviewer)
    task = first.created[0]
    update_task_progress(task, acting_user=reviewer, status=TaskStatus.DONE, progress="Đã khắc phục")

    again = tasks_from_plan(plan_letter, acting_user=reviewer)
    straight = tasks_from_assessment(plan_letter.assessment, acting_user=reviewer)

    assert again.created == [] and straight.created == []
    assert again.kept == len(first.created)
    assert RemediationTask.objects.count() == len(first.created)
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, "Đã khắc phục")


def test_it_takes_the_deadline_the_reviewer_set_in_the_plan(plan_letter, reviewer):
    plan_letter.body = {"deadlines": {"completion": "15/10/2024"}}
    plan_letter.save(update_fields=["body"])

    tasks_from_plan(plan_letter, acting_user=reviewer)

    assert set(RemediationTask.objects.values_list("deadline", flat=True)) == {date(2024, 10, 15)}


def test_it_counts_done_over_total_per_unit_from_the_data(client, plan_letter, reviewer, fixed_day):
    tasks_from_plan(plan_letter, acting_user=reviewer)
    expected = seed_tasks_per_unit()
    busiest = max(expected, key=lambda name: (expected[name], name))
    done = RemediationTask.objects.filter(responsible_unit__name=busiest).first()
    update_task_progress(done, acting_user=reviewer, status=TaskStatus.DONE)
    fixed_day(date(2024, 6, 1))
    client.force_login(reviewer)

    page = client.get(reverse("reports:tracking"))

    progress = {p.unit_name: p.ratio for p in page.context["progress"]}
    assert progress == {name: f"{1 if name == busiest else 0}/{count}" for name, count in expected.items()}
    html = page.content.decode()
    assert f'<td class="num ratio">1/{expected[busiest]}</td>' in html
    assert f'<td class="num ratio">1/{sum(expected.values())}</td>' in html  # the plan as a whole


def test_it_highlights_tasks_past_their_deadline_and_not_done(client, plan_letter, reviewer, fixed_day):
    tasks_from_plan(plan_letter, acting_user=reviewer)
    deadline = seed_completion_deadline()
    finished = RemediationTask.objects.first()
    update_task_progress(finished, acting_user=reviewer, status=TaskStatus.DONE)
    client.force_login(reviewer)

    fixed_day(deadline)
    on_the_day = client.get(reverse("reports:tracking")).content.decode()
    fixed_day(deadline + timedelta(days=1))
    day_after = client.get(reverse("reports:tracking"))

    assert 'class="overdue"' not in on_the_day
    overdue_rows = re.findall(r'<tr id="task-(\d+)" data-task="\d+" class="overdue">', day_after.content.decode())
    assert sorted(map(int, overdue_rows)) == sorted(RemediationTask.objects.exclude(pk=finished.pk)
                                                    .values_list("pk", flat=True))
    assert sum(p.overdue for p in day_after.context["progress"]) == RemediationTask.objects.count() - 1
    only = client.get(reverse("reports:tracking") + "?qua_han=1").context["tasks"]
    assert finished.pk not in {t.pk for t in only} and len(only) == RemediationTask.objects.count() - 1


def test_a_unit_head_sees_and_updates_only_their_units_tasks_and_it_is_audited(client, plan_letter, reviewer,
                                                                                make_user):
    tasks_from_plan(plan_letter, acting_user=reviewer)
    unit = Unit.objects.get(name="Phòng Tài chính - Kế hoạch")
    head = make_user("head_tckh", Role.UNIT_HEAD, unit)
    mine = RemediationTask.objects.filter(responsible_unit=unit).first()
    other = RemediationTask.objects.exclude(responsible_unit=unit).first()
    client.force_login(head)

    page = client.get(reverse("reports:tracking"))
    response = client.post(reverse("reports:task", args=[mine.pk]), {
        "status": TaskStatus.IN_PROGRESS, "progress": "Đã đề xuất giải pháp tăng thu", "evidence": "Báo cáo số 12/BC-TCKH",
        "deadline": "2020-01-01", "action": "Việc khác",  # not a unit head's to change: ignored
    })

    assert {t.responsible_unit_id for t in page.context["tasks"]} == {unit.pk}
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.progress, mine.evidence) == (TaskStatus.IN_PROGRESS, "Đã đề xuất giải pháp tăng thu",
                                                           "Báo cáo số 12/BC-TCKH")
    assert mine.deadline == seed_completion_deadline() and mine.action != "Việc khác"
    entry = LogEntry.objects.get(object_id=str(mine.pk), action_flag=CHANGE)
    assert entry.user == head and "trạng thái: Chưa thực hiện → Đang thực hiện" in entry.change_message
    assert client.get(reverse("reports:task", args=[other.pk])).status_code == 404
    assert client.post(reverse("reports:task", args=[other.pk]), {"status": TaskStatus.DONE}).status_code == 404


def test_leaders_follow_every_unit_but_change_nothing(client, plan_letter, reviewer, viewer):
    tasks_from_plan(plan_letter, acting_user=reviewer)
    task = RemediationTask.objects.first()
    client.force_login(viewer)

    page = client.get(reverse("reports:tracking"))

    assert len(page.context["tasks"]) == RemediationTask.objects.count()
    assert client.post(reverse("reports:task", args=[task.pk]), {"status": TaskStatus.DONE}).status_code == 403
    assert client.post(reverse("reports:plan-tasks", args=[plan_letter.pk])).status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_reviewer_changes_the_deadline_and_the_change_is_audited(client, plan_letter, reviewer):
    client.force_login(reviewer)
    client.post(reverse("reports:plan-tasks", args=[plan_letter.pk]))
    task = RemediationTask.objects.first()

    client.post(reverse("reports:task", args=[task.pk]), {"status": TaskStatus.OPEN, "action": task.action,
                                                          "deadline": "2024-12-31", "progress": "", "evidence": ""})

    task.refresh_from_db()
    assert task.deadline == date(2024, 12, 31)
    entry = LogEntry.objects.get(object_id=str(task.pk), action_flag=CHANGE)
    assert entry.change_message == f"thời hạn: {seed_completion_deadline():%d/%m/%Y} → 31/12/2024"


def test_the_report_prints_and_downloads_the_same_counts(client, plan_letter, reviewer, fixed_day):
    tasks_from_plan(plan_letter, acting_user=reviewer)
    expected = seed_tasks_per_unit()
    fixed_day(date(2025, 1, 1))
    client.force_login(reviewer)

    report = client.get(reverse("reports:tracking-report")).content.decode()
    workbook = client.get(reverse("reports:tracking-xlsx"))

    for name, count in expected.items():
        assert f"<td>{name}</td><td class=\"num\">0/{count}</td>" in report
    sheet = load_workbook(BytesIO(workbook.content))["Theo đơn vị"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {**{name: f"0/{count}" for name, count in expected.items()},
                    "Tổng cộng": f"0/{sum(expected.values())}"}
    tasks = load_workbook(BytesIO(workbook.content))["Nhiệm vụ"]
    assert {row[5] for row in tasks.iter_rows(min_row=2, values_only=True)} == {"Quá hạn"}


def test_the_follow_up_costs_the_same_queries_for_few_or_many_tasks(client, plan_letter, reviewer, fixed_day):
    fixed_day(date(2024, 6, 1))
    client.force_login(reviewer)
    tasks_from_plan(plan_letter, acting_user=reviewer)
    client.get(reverse("reports:tracking"))  # warm the caches (content types, session)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = {url: queries(url) for url in (reverse("reports:tracking"), reverse("reports:tracking-report"))}
    units = list(Unit.objects.all()[:30])
    RemediationTask.objects.bulk_create([RemediationTask(responsible_unit=u, action=f"Khắc phục {i}",
                                                         deadline=date(2024, 1, 1)) for i in range(5) for u in units])
    for task in RemediationTask.objects.all()[:40]:
        update_task_progress(task, acting_user=reviewer, progress="Đang làm")
    many = {url: queries(url) for url in few}

    assert many == few
    assert few[reverse("reports:tracking")] <= 12
