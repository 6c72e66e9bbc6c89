"""Follow-up of remediation tasks: done/total per unit ("9/14"), overdue tasks, each task's history.

Plain queries over a RemediationTask queryset that the caller has already narrowed to what the user
may see; each function costs a fixed number of queries whatever the number of tasks."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from units.access import visible_units

from .choices import TaskStatus
from .models import RemediationTask


def today() -> date:
    """The office's today (Asia/Ho_Chi_Minh): a deadline is past from the day after it."""
    return timezone.localdate()


def is_overdue(task: RemediationTask, on: date) -> bool:
    return task.deadline is not None and task.deadline < on and task.status != TaskStatus.DONE


def overdue_q(on: date) -> Q:
    return Q(deadline__lt=on) & ~Q(status=TaskStatus.DONE)


def visible_tasks(user) -> QuerySet[RemediationTask]:
    """Reviewers and leaders follow every unit's tasks; a unit head their own unit's."""
    return RemediationTask.objects.filter(responsible_unit__in=visible_units(user))


@dataclass(frozen=True)
class UnitProgress:
    """One unit's tasks: how many, how many done, how many past their deadline and not done."""

    unit_id: int
    unit_name: str
    total: int
    done: int
    overdue: int

    @property
    def ratio(self) -> str:
        """"9/14", as the CCHC appraisal writes the remedied share of a plan."""
        return f"{self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def unit_progress(tasks: QuerySet[RemediationTask], on: date) -> list[UnitProgress]:
    """Done/total and overdue per responsible unit, in registry order: one query."""
    rows = (
        tasks.order_by()
        .values("responsible_unit_id", "responsible_unit__name", "responsible_unit__sort_order")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE)),
                  overdue=Count("id", filter=overdue_q(on)))
        .order_by("responsible_unit__sort_order", "responsible_unit__name")
    )
    return [UnitProgress(r["responsible_unit_id"], r["responsible_unit__name"], r["total"], r["done"], r["overdue"])
            for r in rows]


def totals(progress: list[UnitProgress]) -> UnitProgress:
    """The sum over the units (the plan as a whole)."""
    return UnitProgress(0, "Tổng cộng", sum(p.total for p in progress), sum(p.done for p in progress),
                        sum(p.overdue for p in progress))


def task_rows(tasks: QuerySet[RemediationTask], on: date) -> list[RemediationTask]:
    """The tasks with what a row shows (criterion, unit, plan), ``is_overdue`` set on each: one query."""
    rows = list(
        tasks.select_related("criterion", "responsible_unit", "assessment__period", "assessment__criteria_set")
        .order_by("responsible_unit__sort_order", "responsible_unit__name", "deadline", "criterion__position", "id")
    )
    for task in rows:
        task.is_overdue = is_overdue(task, on)
    return rows


def history(task_ids) -> dict[int, list[LogEntry]]:
    """Each task's audit (created from the plan, progress reported, changed), newest first: one query."""
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(RemediationTask),
                                object_id__in=[str(pk) for pk in task_ids])
        .select_related("user").order_by("-action_time", "-id")
    )
    by_task = defaultdict(list)
    for entry in entries:
        by_task[int(entry.object_id)].append(entry)
    return dict(by_task)
