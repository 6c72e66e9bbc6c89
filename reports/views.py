"""Letter pages under /van-ban/: the list, a new draft, the draft's editor beside its figures,
rendering through the Celery task with a polled status, and the downloads. A reviewer issues a
letter (number and date: its facts frozen as version 1, reports.freezing) and corrects it as new
versions; each version has its page (what changed from the one before) and renders exactly as issued.

Letters are an authority's: reviewers write, leaders (viewer) read and download, unit heads are
refused (403); a reviewer or leader bound to an authority sees its letters only, another's answers
404 (reports.letter_scope). The files are served here, after the role and authority checks, never
from MEDIA_URL."""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common.outbox import enqueue
from documents.metrics import METRICS
from units.access import WRONG_ROLE_MESSAGE, role_of, role_required
from units.choices import Role

from .choices import LetterKind, LetterStatus, RenderState
from .facts import LetterError, build_for_letter
from .filtersets import LetterFilterSet
from .forms import CorrectionForm, IssueForm, LetterCreateForm, LetterEditForm
from .freezing import FactChange, LetterIssueError, correct_letter, diff_versions, issue_letter, version_document
from .letter_scope import creatable_here, letter_visible, visible_letters
from .models import Letter, LetterVersion
from .rendering_service import mark_version_queued
from .tasks import render_letter_task
from .services import default_document, draft_for, queue_render, save_draft, tasks_from_plan

READERS = (Role.REVIEWER, Role.VIEWER)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BUSY = {RenderState.QUEUED, RenderState.RUNNING}
FIGURE_LABELS = {
    "index_percent": "Chỉ số CCHC (%)",
    "deducted_count": "Số tiêu chí, tiêu chí thành phần bị trừ điểm",
    "deduction_total": "Tổng điểm bị trừ",
    "max_total": "Tổng điểm chuẩn được đánh giá",
    "rank": "Xếp hạng",
    "proposal_deadline": "Hạn gửi đề xuất giải pháp",
    "completion_deadline": "Hạn hoàn thành khắc phục",
    "headline": "Ứng dụng CNTT phục vụ người dân, doanh nghiệp (điểm)",
    "documents": "Xử lý hồ sơ công việc trên môi trường mạng (điểm)",
    "incoming": "Đơn vị dưới ngưỡng xử lý văn bản đến",
    "signed": "Đơn vị dưới ngưỡng ký số",
    "leader": "Đơn vị dưới ngưỡng lãnh đạo ký số",
}


def figure_label(key: str) -> str:
    if key in FIGURE_LABELS:
        return FIGURE_LABELS[key]
    if key.startswith("rank_") and key[5:] in METRICS:
        return f"Xếp hạng: {METRICS[key[5:]].label}"
    return METRICS[key].label if key in METRICS else key


def _letter(request, letters, pk) -> Letter:
    """The letter, if it is of the user's authority; else 404, as if it did not exist."""
    letter = get_object_or_404(letters, pk=pk)
    if not letter_visible(request.user, letter):
        raise Http404("Không có văn bản này.")
    return letter


def _is_reviewer(request) -> bool:
    return role_of(request.user) == Role.REVIEWER


@role_required(*READERS)
def letter_list(request):
    letters = LetterFilterSet(
        request.GET, queryset=visible_letters(
            request.user, Letter.objects.select_related("period", "created_by", "authority").order_by("-updated_at", "-id")),
    )
    return render(request, "reports/pages/list.html", {
        "filter": letters,
        "letters": letters.qs[:300],
        "can_write": _is_reviewer(request),
    })


@role_required(Role.REVIEWER)
def letter_create(request):
    """Open the draft of a kind for a period and authority (the reviewer's own when bound to one, else
    the one chosen): the latest one when there is one, else a new one."""
    form = LetterCreateForm(request.POST or None, initial={"kind": request.GET.get("kind")}, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        authority = form.chosen_authority()
        before = Letter.objects.count()
        refusal = creatable_here(request.user, data["kind"], data["period"], data["criteria_set"], authority)
        try:
            if refusal:
                raise LetterError(refusal)
            letter = draft_for(data["kind"], data["period"], data["criteria_set"], acting_user=request.user,
                               authority=authority)
        except LetterError as exc:
            form.add_error(None, str(exc))
        else:
            if Letter.objects.count() == before:
                messages.info(request, "Đã có dự thảo của loại văn bản này cho kỳ và cơ quan đã chọn; mở dự thảo đó.")
            return redirect("reports:detail", pk=letter.pk)
    return render(request, "reports/pages/create.html", {"form": form})


def _documents(letter, versions=()):
    """(the letter as it reads now, as it reads with no edits, the error when its data is missing).

    An issued letter reads as its latest version (``versions``, newest first), what build_for_letter
    answers, without reading today's data again: it is not edited, so it needs no default."""
    if letter.status == LetterStatus.ISSUED and versions:
        return version_document(versions[0]), None, ""
    try:
        return build_for_letter(letter), default_document(letter), ""
    except LetterError as exc:
        return None, None, str(exc)


@role_required(*READERS)
def letter_detail(request, pk):
    """The draft's editor (reviewers) or reader (leaders), with the figures from the data beside it;
    once issued, the letter as issued, its versions and (reviewers) the correction form."""
    letter = _letter(request, Letter.objects.select_related("period", "assessment__criteria_set", "created_by"), pk)
    can_write = _is_reviewer(request)
    if request.method == "POST" and not can_write:
        raise PermissionDenied(WRONG_ROLE_MESSAGE)
    # An issued letter prints the facts frozen at issue (reports.freezing): its draft is no longer edited.
    editable = can_write and letter.status == LetterStatus.DRAFT
    if request.method == "POST" and not editable:
        raise PermissionDenied("Văn bản đã ban hành; không sửa dự thảo được nữa.")
    # One query for every version, whatever their number (the page lists them all).
    versions = list(letter.versions.select_related("issued_by").order_by("-version"))
    current, default, error = _documents(letter, versions)
    form = None
    if current is not None and default is not None:
        form = LetterEditForm(request.POST if request.method == "POST" else None, letter=letter, current=current,
                              default=default)
        if request.method == "POST" and form.is_valid():
            save_draft(letter, acting_user=request.user, fields=form.letter_fields(), body=form.body())
            messages.success(request, "Đã lưu dự thảo. Bấm «Xuất tệp» để tạo lại tệp PDF và DOCX theo nội dung mới.")
            return redirect("reports:detail", pk=letter.pk)
    return _detail_page(request, letter, current, error, form, editable, versions,
                        status=422 if form is not None and form.is_bound else 200)


def _detail_page(request, letter, current, error, form, editable, versions, *, issue_form=None,
                 correction_form=None, status=200):
    can_write = _is_reviewer(request)
    if can_write and not error:
        if not versions and issue_form is None:
            issue_form = IssueForm(initial={"number": letter.number, "date": letter.date})
        if versions and correction_form is None:
            correction_form = CorrectionForm()
    return render(request, "reports/pages/detail.html", {
        "letter": letter,
        "doc": current,
        "error": error,
        "form": form,
        "can_write": can_write,
        "editable": editable,
        "figures": [(figure_label(k), v) for k, v in (current.figures.items() if current else []) if v],
        "busy": letter.render_state in BUSY,
        "is_plan": letter.kind == LetterKind.REMEDIATION_PLAN,
        "versions": versions,
        "issued": bool(versions),
        "issue_form": issue_form if not versions else None,
        "correction_form": correction_form if versions else None,
    }, status=status)


def _refused_issue(request, letter, *, issue_form=None, correction_form=None, message=""):
    """The letter's page again with the refusal beside the form (422); nothing was written."""
    if message:
        (issue_form or correction_form).add_error(None, message)
    letter.refresh_from_db()
    versions = list(letter.versions.select_related("issued_by").order_by("-version"))
    current, _default, error = _documents(letter, versions)
    return _detail_page(request, letter, current, error, None, letter.status == LetterStatus.DRAFT, versions,
                        issue_form=issue_form, correction_form=correction_form, status=422)


@require_POST
@role_required(Role.REVIEWER)
def letter_issue(request, pk):
    """«Ban hành»: the number and date entered freeze what the letter says as its version 1."""
    letter = _letter(request, Letter.objects.select_related("period", "assessment__criteria_set", "created_by"), pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _refused_issue(request, letter, issue_form=form)
    try:
        version = issue_letter(letter, acting_user=request.user, number=form.cleaned_data["number"],
                               date=form.cleaned_data["date"], first=True)
    except (LetterIssueError, LetterError) as exc:
        if letter.versions.exists():  # issued meanwhile: show the versions, not the issue form
            messages.error(request, str(exc))
            return redirect("reports:detail", pk=letter.pk)
        return _refused_issue(request, letter, issue_form=form, message=str(exc))
    messages.success(request, f"Đã ban hành văn bản số {version.number} ngày {version.date:%d/%m/%Y}: nội dung và "
                              f"số liệu được chốt thành phiên bản {version.version} (mã băm {version.sha256[:12]}). "
                              "Bấm «Xuất tệp» để tạo tệp PDF và DOCX của văn bản đã ban hành.")
    return redirect("reports:detail", pk=letter.pk)


@require_POST
@role_required(Role.REVIEWER)
def letter_correct(request, pk):
    """«Ban hành lại / đính chính»: a new version with its reason (and a new number or date, if given)."""
    letter = _letter(request, Letter.objects.select_related("period", "assessment__criteria_set", "created_by"), pk)
    form = CorrectionForm(request.POST)
    if not letter.versions.exists():
        messages.error(request, "Văn bản chưa ban hành: hãy ban hành với số và ngày trước.")
        return redirect("reports:detail", pk=letter.pk)
    if not form.is_valid():
        return _refused_issue(request, letter, correction_form=form)
    data = form.cleaned_data
    try:
        version = correct_letter(letter, acting_user=request.user, reason=data["reason"], number=data["number"],
                                 date=data["date"])
    except (LetterIssueError, LetterError) as exc:
        return _refused_issue(request, letter, correction_form=form, message=str(exc))
    messages.success(request, f"Đã ban hành phiên bản {version.version} (số {version.number} ngày "
                              f"{version.date:%d/%m/%Y}); xem các số liệu đã thay đổi bên dưới.")
    return redirect("reports:version", pk=letter.pk, version=version.version)


def _version(request, pk, number, *, letters=None) -> tuple[Letter, LetterVersion]:
    letter = _letter(request, letters or Letter.objects.select_related("period", "assessment", "authority"), pk)
    version = get_object_or_404(LetterVersion.objects.select_related("issued_by"), letter=letter, version=number)
    return letter, version


@require_GET
@role_required(*READERS)
def version_detail(request, pk, version):
    """One issued version as it was issued, and what changed from the version before it."""
    letter, current = _version(request, pk, version)
    previous = (LetterVersion.objects.filter(letter=letter, version__lt=current.version).order_by("-version")
                .select_related("issued_by").first())
    return render(request, "reports/pages/version.html", {
        "letter": letter,
        "version": current,
        "previous": previous,
        "changes": [_labelled(change) for change in diff_versions(previous, current)] if previous else [],
        "doc": version_document(current),
        "count": letter.versions.count(),
        "busy": current.render_state in BUSY,
        "can_write": _is_reviewer(request),
    })


def _labelled(change: FactChange) -> FactChange:
    """A headline figure named as the page names it beside the letter, not by its key."""
    if change.section == "Số liệu chính":
        return replace(change, label=figure_label(change.label))
    return change


@require_POST
@role_required(Role.REVIEWER)
def version_render(request, pk, version):
    """Queue the rendering of one version's files from its frozen facts."""
    letter, current = _version(request, pk, version)
    if current.render_state not in BUSY:
        mark_version_queued(current)
        enqueue(render_letter_task, letter.pk, "all", version=current.version)
    if request.htmx:
        current.refresh_from_db()
        return _version_status_box(request, letter, current)
    return redirect("reports:version", pk=letter.pk, version=current.version)


@require_GET
@role_required(*READERS)
def version_status(request, pk, version):
    return _version_status_box(request, *_version(request, pk, version))


def _version_status_box(request, letter, version):
    return render(request, "reports/pages/_version_status.html", {
        "letter": letter, "version": version, "busy": version.render_state in BUSY, "can_write": _is_reviewer(request),
    })


@require_GET
@role_required(*READERS)
def version_download(request, pk, version, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404("Không có định dạng này.")
    letter, current = _version(request, pk, version)
    return _file_response(getattr(current, fmt), f"{letter.kind}-{letter.period.code}-v{current.version}.{fmt}", fmt)


def _file_response(field, filename, fmt):
    if not field:
        raise Http404("Văn bản chưa được xuất ra tệp này.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("Không còn tệp này; hãy xuất tệp lại.") from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required(Role.REVIEWER)
def letter_render(request, pk):
    """Queue the rendering of both files; htmx gets the status box, which then polls itself."""
    letter = _letter(request, Letter.objects.select_related("period", "assessment"), pk)
    if letter.render_state not in BUSY:
        queue_render(letter, "all")
    if request.htmx:
        letter.refresh_from_db()
        return _status_box(request, letter)
    return redirect("reports:detail", pk=letter.pk)


@require_GET
@role_required(*READERS)
def letter_status(request, pk):
    """The status box: polls every second while the task is queued or running, then shows the links."""
    return _status_box(request, _letter(request, Letter.objects.select_related("period", "assessment"), pk))


def _status_box(request, letter):
    return render(request, "reports/pages/_status.html", {
        "letter": letter, "busy": letter.render_state in BUSY, "can_write": _is_reviewer(request),
    })


@require_GET
@role_required(*READERS)
def letter_download(request, pk, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404("Không có định dạng này.")
    letter = _letter(request, Letter.objects.select_related("period", "assessment"), pk)
    return _file_response(getattr(letter, fmt), f"{letter.kind}-{letter.period.code}.{fmt}", fmt)


@require_POST
@role_required(Role.REVIEWER)
def plan_tasks(request, pk):
    """Turn a remediation plan's rows into remediation tasks (again: nothing new is created)."""
    letter = _letter(request, Letter.objects.select_related("period", "assessment"), pk)
    try:
        result = tasks_from_plan(letter, acting_user=request.user)
    except LetterError as exc:
        messages.error(request, str(exc))
        return redirect("reports:detail", pk=letter.pk)
    text = f"Đã tạo {len(result.created)} nhiệm vụ khắc phục; {result.kept} nhiệm vụ đã có từ trước được giữ nguyên."
    if result.unplaced:
        text += " Không xếp được: " + "; ".join(result.unplaced) + "."
    messages.success(request, text)
    assessment = letter.assessment_id or (result.created[0].assessment_id if result.created else "")
    return redirect(reverse("reports:tracking") + (f"?assessment={assessment}" if assessment else ""))
