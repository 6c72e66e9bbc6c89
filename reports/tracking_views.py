"""Follow-up of the remediation plan under /van-ban/khac-phuc/: done/total per unit, overdue tasks
highlighted, a task's progress reported by its unit's head or a reviewer, a printable report and a workbook (XLSX).

Reviewers and leaders follow the units they may see (units.access.visible_units: their authority's
tree when bound to its root); a unit head sees and updates only their own unit's tasks. The pages,
the printed report and the workbook name the authority they speak for (authority_in_view) in its
own words, never a hard-coded district."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from scoring import tracking
from scoring.actions import TaskWriteError, update_task
from scoring.choices import SetKind
from scoring.filtersets import RemediationTaskFilterSet
from scoring.models import Assessment
from units.access import (
    WRONG_ROLE_MESSAGE, authority_of, authority_root, own_unit, role_of, role_required, visible_units,
)
from units.choices import Role, UnitKind

from .forms import TaskPlanForm, TaskProgressForm
from .services import tasks_from_assessment

TRACKERS = (Role.REVIEWER, Role.VIEWER, Role.UNIT_HEAD)


def _filtered(request):
    """The tasks the user may see, narrowed by the page's filters (the API's FilterSet)."""
    return RemediationTaskFilterSet(request.GET, queryset=tracking.visible_tasks(request.user))


def authority_in_view(request, filterset):
    """The authority the follow-up speaks for: that of the plan chosen in the filter, else of the
    unit head's own unit, else the one the user is bound to (or the registry's first). A plan counts
    only if the user sees tasks of it: another authority's plan named in the address is ignored."""
    chosen = filterset.form.cleaned_data.get("assessment") if filterset.is_valid() else None
    if chosen:
        assessment = (Assessment.objects.filter(pk=chosen, tasks__in=filterset.queryset)
                      .select_related("subject").first())
        if assessment is not None:
            return authority_of(request.user, assessment.subject)
    unit = own_unit(request.user)
    return authority_of(request.user, unit) if unit is not None else authority_of(request.user)


def _context(request) -> dict:
    on = tracking.today()
    filterset = _filtered(request)
    visible = filterset.queryset  # the user's tasks before the filters: the plans they come from
    tasks = filterset.qs
    if request.GET.get("qua_han"):
        tasks = tasks.filter(tracking.overdue_q(on))
    progress = tracking.unit_progress(tasks, on)
    rows = tracking.task_rows(tasks, on)
    return {
        "on": on,
        "filter": filterset,
        "only_overdue": bool(request.GET.get("qua_han")),
        "progress": progress,
        "total": tracking.totals(progress),
        "tasks": rows,
        "authority": authority_in_view(request, filterset),
        "plans": Assessment.objects.filter(tasks__in=visible).distinct()
        .select_related("criteria_set", "period", "subject").order_by("-period__year", "criteria_set__code"),
        "query": request.GET.urlencode(),
    }


def can_update(user, task) -> bool:
    role = role_of(user)
    if role == Role.REVIEWER:
        return True
    unit = own_unit(user)
    return role == Role.UNIT_HEAD and unit is not None and unit.pk == task.responsible_unit_id


@role_required(*TRACKERS)
def tracking_page(request):
    context = _context(request)
    is_reviewer = role_of(request.user) == Role.REVIEWER
    own = own_unit(request.user)
    history = tracking.history([t.pk for t in context["tasks"]])
    for task in context["tasks"]:
        task.editable = is_reviewer or (own is not None and task.responsible_unit_id == own.pk)
        task.entries = history.get(task.pk, [])
    htnv = Assessment.objects.filter(
        criteria_set__kind=SetKind.HTNV, subject__kind=UnitKind.AUTHORITY, subject__parent__isnull=True,
    ).select_related("criteria_set", "period").order_by("-period__year", "period__code")
    root = None if request.user.is_superuser else authority_root(request.user)
    context |= {
        "is_reviewer": is_reviewer,
        # A reviewer bound to one authority makes tasks from its own HTNV assessments only.
        "htnv_assessments": (htnv.filter(subject=root) if root is not None else htnv) if is_reviewer else [],
    }
    return render(request, "scoring/tracking/index.html", context)


@role_required(*TRACKERS)
def task_edit(request, pk):
    """Report progress on one task (unit head of its unit, reviewer); a reviewer may also change its
    action and deadline. Every change is audited by scoring.actions."""
    task = get_object_or_404(
        tracking.visible_tasks(request.user).select_related("criterion", "responsible_unit", "assessment__period"), pk=pk,
    )
    if not can_update(request.user, task):
        raise PermissionDenied(WRONG_ROLE_MESSAGE)
    form_class = TaskPlanForm if role_of(request.user) == Role.REVIEWER else TaskProgressForm
    initial = {"status": task.status, "progress": task.progress, "evidence": task.evidence,
               "action": task.action, "deadline": task.deadline}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_task(task, acting_user=request.user, **form.cleaned_data)
        except TaskWriteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Đã lưu tiến độ nhiệm vụ." if changed else "Không có gì thay đổi.")
            return redirect(reverse("reports:tracking") + f"#task-{task.pk}")
    return render(request, "scoring/tracking/task.html", {
        "task": task, "form": form, "history": tracking.history([task.pk]).get(task.pk, []),
        "overdue": tracking.is_overdue(task, tracking.today()),
    }, status=422 if form.is_bound else 200)


@require_POST
@role_required(Role.REVIEWER)
def tasks_from_htnv(request, pk):
    """Tasks straight from an HTNV assessment's deducted criteria, before (or without) a plan letter.
    Another authority's assessment answers 404, as on the assessment page."""
    assessment = get_object_or_404(
        Assessment.objects.filter(subject__in=visible_units(request.user)).select_related("criteria_set", "period"),
        pk=pk,
    )
    if assessment.criteria_set.kind != SetKind.HTNV:
        messages.error(request, "Chỉ tạo nhiệm vụ khắc phục từ đợt đánh giá mức độ hoàn thành nhiệm vụ (HTNV).")
        return redirect("reports:tracking")
    result = tasks_from_assessment(assessment, acting_user=request.user)
    messages.success(request, f"Đã tạo {len(result.created)} nhiệm vụ khắc phục; "
                              f"{result.kept} nhiệm vụ đã có từ trước được giữ nguyên.")
    return redirect(reverse("reports:tracking") + f"?assessment={assessment.pk}")


@role_required(*TRACKERS)
def tracking_report(request):
    """The follow-up report as a page made to print (A4 landscape)."""
    context = _context(request)
    context["printed_at"] = timezone.localtime()
    return render(request, "scoring/tracking/report.html", context)


XLSX_HEADER = ["Đơn vị thực hiện", "Tiêu chí", "Nội dung khắc phục", "Thời hạn", "Trạng thái", "Quá hạn",
               "Tiến độ", "Tài liệu kiểm chứng", "Kỳ"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text_row(sheet, values) -> None:
    """Append a row whose strings stay text: a reason starting with "=" or "- " is not a formula, and
    "9/14" is not a date (the reasons a CSV opened in Excel would garble)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


@role_required(*TRACKERS)
def tracking_xlsx(request):
    """The follow-up report as a workbook: the tasks, then done/total per unit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = _context(request)
    book = Workbook()
    authority = context["authority"]
    if authority is not None:  # the authority the follow-up is of, in the file's properties
        book.properties.title = f"Theo dõi thực hiện kế hoạch khắc phục — {authority.unit.name}"
        book.properties.creator = authority.unit.name
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    _text_row(sheet, XLSX_HEADER)
    for task in context["tasks"]:
        _text_row(sheet, [
            task.responsible_unit.name,
            f"{task.criterion.code} {task.criterion.name}" if task.criterion else task.metric_key,
            task.action,
            task.deadline,
            task.get_status_display(),
            "Quá hạn" if task.is_overdue else "",
            task.progress,
            task.evidence,
            task.assessment.period.name if task.assessment else "",
        ])
        if task.deadline:
            sheet.cell(sheet.max_row, 4).number_format = "DD/MM/YYYY"
    units = book.create_sheet("Theo đơn vị")
    _text_row(units, ["Đơn vị thực hiện", "Đã hoàn thành/Tổng số", "Đã hoàn thành", "Tổng số", "Quá hạn"])
    for unit in [*context["progress"], context["total"]]:
        _text_row(units, [unit.unit_name, unit.ratio, unit.done, unit.total, unit.overdue])
    for ws in (sheet, units):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (34, 40, 60, 12, 16, 10, 40, 30, 14)):
        sheet.column_dimensions[column].width = width
    units.column_dimensions["A"].width = 40
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="theo-doi-khac-phuc-{context["on"]:%Y%m%d}.xlsx"'
    book.save(response)
    return response
