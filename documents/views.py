"""Import pages: upload with a dry-run preview, map unmatched names (kept as aliases), confirm,
the history of batches, re-import, and the late dossiers' apology letters.

Reviewers import; leaders (viewer) read the history; unit heads are refused (403). A reviewer or
leader bound to an authority sees the batches of their authority only, and in a batch only their
units' values and late dossiers (documents.visibility says which); another authority's batch
answers 404."""

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scoring.models import Period
from units.access import role_of, role_required
from units.choices import Role

from .actions import AliasConflict, map_alias, set_apology_sent
from .choices import Source
from .forms import MappingForm, UploadForm
from .importing.pipeline import unit_values
from .importing.run import import_file
from .metrics import METRICS
from .models import ImportBatch, MetricValue, OverdueDossier
from .uploads import save_upload, stored_file
from .visibility import only_units, tree_units, visible_batches

READERS = (Role.REVIEWER, Role.VIEWER)
PREVIEW_UNITS = 200  # a preview lists this many units' values; the rest are counted


def _preview_url(sha256: str, period: str, source: str = "") -> str:
    query = {"period": period}
    if source:
        query["source"] = source
    return reverse("documents:preview", args=[sha256]) + "?" + urlencode(query)


@role_required(*READERS)
def batch_list(request):
    """The history of imports: the batches that hold figures of the user's units or that someone of
    their authority uploaded (documents.visibility), newest first."""
    rows = ImportBatch.objects.select_related("period", "created_by", "superseded_by", "authority")
    batches = (visible_batches(request.user, rows)
               .annotate(overdue_count=Count("overdue_dossiers")).order_by("-created_at", "-id")[:200])
    return render(request, "documents/batch_list.html", {"batches": batches, "can_import": _is_reviewer(request)})


@role_required(Role.REVIEWER)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sha256, _path = save_upload(form.cleaned_data["file"])
        return redirect(_preview_url(sha256, form.cleaned_data["period"].code, form.cleaned_data["source"]))
    return render(request, "documents/upload.html", {"form": form})


@role_required(Role.REVIEWER)
def preview(request, sha256):
    """GET: the dry run. POST "preview": again with the names mapped. POST "confirm": import."""
    path = stored_file(sha256)
    if path is None:
        raise Http404("Không còn tệp này; hãy tải lên lại.")
    data = request.POST if request.method == "POST" else request.GET
    period = get_object_or_404(Period, code=data.get("period", ""))
    source = data.get("source") or None
    if source is not None and source not in Source.values:
        raise Http404("Nguồn không có.")
    names = request.POST.getlist("name") if request.method == "POST" else None
    if names is None:
        outcome = import_file(path, period=period, source=source, dry_run=True, acting_user=request.user)
        names = list(outcome.report.unmatched)
    form = MappingForm(request.POST if request.method == "POST" else None, names=names)
    mapping = form.mapping() if request.method == "POST" and form.is_valid() else {}
    if request.method == "POST":
        confirm = request.POST.get("action") == "confirm"
        outcome = import_file(path, period=period, source=source, dry_run=not confirm, mapping=mapping,
                              acting_user=request.user)
        if confirm and outcome.stored is not None:
            _keep_aliases(request, form.aliases())
            messages.success(request, outcome.message)
            return redirect("documents:batch", outcome.stored.batch.pk)
        if confirm:
            messages.error(request, outcome.message)
    report = outcome.report
    values = unit_values(report) if report.source and not report.errors else {}
    keys = [k for k in METRICS if any(k in v for v in values.values())]
    return render(request, "documents/preview.html", {
        "sha256": sha256, "file_name": path.name, "period": period, "source": source or "",
        "report": report, "outcome": outcome, "form": form, "mapping": mapping,
        "keys": [(k, METRICS[k].label) for k in keys],
        "values": [(name, [v.get(k) for k in keys]) for name, v in list(values.items())[:PREVIEW_UNITS]],
        "more_units": max(0, len(values) - PREVIEW_UNITS),
        "overdue": report.overdue[:PREVIEW_UNITS],
    })


def _keep_aliases(request, aliases: dict) -> None:
    for name, unit in aliases.items():
        try:
            map_alias(name, unit, acting_user=request.user)
        except AliasConflict as exc:
            messages.warning(request, str(exc))
        else:
            messages.info(request, f"Đã lưu «{name}» làm tên gọi khác của {unit.name}.")


@role_required(*READERS)
def batch_detail(request, pk):
    """One batch: its values per unit and its late dossiers, of the user's units only."""
    units = tree_units(request.user)
    batch = get_object_or_404(
        visible_batches(request.user, ImportBatch.objects.select_related("period", "created_by", "superseded_by", "authority"),
                        units), pk=pk)
    values = only_units(MetricValue.objects.filter(batch=batch), units).select_related("unit").order_by(
        "unit__sort_order", "unit__name", "key")
    table: dict = {}
    for value in values:
        table.setdefault(value.unit, {})[value.key] = value.value
    keys = [k for k in METRICS if any(k in v for v in table.values())]
    overdue = only_units(OverdueDossier.objects.filter(batch=batch), units).select_related("unit", "apology_sent_by")
    return render(request, "documents/batch_detail.html", {
        "batch": batch, "keys": [(k, METRICS[k].label) for k in keys],
        "rows": [(unit, [v.get(k) for k in keys]) for unit, v in table.items()],
        "overdue": overdue, "replaced": visible_batches(request.user, batch.replaced.all(), units),
        "can_import": _is_reviewer(request), "file_kept": stored_file(batch.sha256) is not None,
    })


@require_POST
@role_required(Role.REVIEWER)
def reimport(request, pk):
    """Back to the preview of the batch's file (kept since its upload), for the same period."""
    batch = get_object_or_404(visible_batches(request.user), pk=pk)
    if stored_file(batch.sha256) is None:
        messages.error(request, f"Tệp {batch.file_name} không còn được lưu; hãy tải lên lại.")
        return redirect("documents:batch", batch.pk)
    return redirect(_preview_url(batch.sha256, batch.period.code, batch.source))


@require_POST
@role_required(Role.REVIEWER)
def apology(request, pk):
    dossier = get_object_or_404(only_units(OverdueDossier.objects.all(), tree_units(request.user)), pk=pk)
    set_apology_sent(dossier, request.POST.get("sent") == "1", acting_user=request.user)
    return redirect(reverse("documents:batch", args=[dossier.batch_id]) + "#ho-so-qua-han")


def _is_reviewer(request) -> bool:
    return role_of(request.user) == Role.REVIEWER

