"""The only writer of imported metrics. One file, one transaction: all of it or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from common.bulk import insert_rows
from common.numbers import format_number
from common.outbox import enqueue
from units.access import authority_root, root_ids
from units.models import Unit

from .choices import BatchStatus
from .importing.report import ImportReport
from .models import ImportBatch, MetricValue, OverdueDossier


# Every column store_batch writes, in the order of its rows (attnames; the id is the database's).
# tests/documents/test_copy_rows.py checks that these are all the models' columns, so that a new field
# cannot be left out silently.
METRIC_VALUE_FIELDS = ["batch_id", "unit_id", "period_id", "key", "value", "sheet", "row", "column"]
OVERDUE_FIELDS = ["batch_id", "unit_id", "period_id", "code", "procedure", "submitted_on", "due_on", "returned_on",
                  "days_late", "channel", "level", "status", "sheet", "row", "apology_sent", "apology_sent_at",
                  "apology_sent_by_id"]


class RefusedFile(Exception):
    """The report has errors (or its names were not resolved): nothing was written."""


@dataclass
class StoreResult:
    batch: ImportBatch
    created: bool  # False: the same file was already the current one, nothing changed
    message: str
    superseded: list[ImportBatch] = field(default_factory=list)


NAMED_UNITS = 5  # a refusal names this many units of the other authority, then counts the rest


def _unit_names(units: list) -> str:
    names = ", ".join(u.name for u in units[:NAMED_UNITS])
    more = len(units) - NAMED_UNITS
    return names + (f" và {format_number(more)} đơn vị khác" if more > 0 else "")


def batch_authority(report: ImportReport, acting_user=None) -> tuple[Unit | None, str]:
    """(the root unit the file's batch belongs to, the refusal to add to the report or "").

    Each authority (the root of a unit tree) keeps its own current file of a source and period, so
    a file is stored for one authority:

    - an uploader bound to an authority (units.access.authority_root) imports for it; a row matched
      to a unit of another tree refuses the file, naming those units: their figures are the other
      authority's to import, and replacing them from here would undo its file;
    - otherwise (an unbound reviewer, the nightly import) the file is for the tree its rows' units
      belong to. Rows of several trees refuse the file, naming each authority and the units of the
      smaller ones: a provincial export that lists two trees is split into one file per authority,
      so that importing it for one authority can never replace the other's figures;
    - no matched unit (a file refused before its names were resolved): no authority.
    """
    units = list({row.unit.pk: row.unit for row in report.rows if row.unit is not None}.values())
    roots = root_ids([unit.pk for unit in units]) if units else {}
    by_root: dict[int, list] = {}
    for unit in units:
        by_root.setdefault(roots[unit.pk], []).append(unit)
    bound = authority_root(acting_user) if getattr(acting_user, "is_authenticated", False) else None
    if bound is not None:
        outside = [unit for root, found in by_root.items() if root != bound.pk for unit in found]
        if outside:
            return bound, (
                f"Tệp {report.file} có số liệu của {format_number(len(outside))} đơn vị không thuộc {bound.name}: "
                f"{_unit_names(outside)}. Tài khoản của bạn chỉ nhập số liệu cho {bound.name}; hãy bỏ các dòng "
                "đó khỏi tệp (cơ quan quản lý các đơn vị đó tự nhập số liệu của mình)."
            )
        return bound, ""
    if not by_root:
        return None, ""
    roots = {unit.pk: unit for unit in Unit.objects.filter(pk__in=by_root)}
    # The tree holding most rows first: the others are named as the strangers in the message.
    ordered = sorted(by_root, key=lambda pk: (-len(by_root[pk]), roots[pk].sort_order, roots[pk].name))
    if len(ordered) > 1:
        others = "; ".join(f"{roots[pk].name} ({format_number(len(by_root[pk]))} đơn vị: {_unit_names(by_root[pk])})"
                           for pk in ordered[1:])
        return None, (
            f"Tệp {report.file} có số liệu của đơn vị thuộc nhiều cơ quan chấm điểm: {roots[ordered[0]].name} "
            f"({format_number(len(by_root[ordered[0]]))} đơn vị) và {others}. Mỗi lần nhập chỉ dành cho một cơ "
            "quan, để lần nhập của cơ quan này không thay số liệu của cơ quan kia: hãy tách tệp theo từng cơ quan."
        )
    return roots[ordered[0]], ""


UNSET = object()


@transaction.atomic
def store_batch(report: ImportReport, *, acting_user, period, file_name: str, sha256: str,
                mapping: dict | None = None, authority=UNSET) -> StoreResult:
    """Store a validated, resolved report as the current batch of its source for ``period`` and its
    authority (batch_authority, found here when the caller has not already).

    The same file again (same sha256, same period, still current) changes nothing and says so.
    A different file for the same source, period and authority replaces the values; the old batch
    stays in the history with status superseded (and its values go, so that MetricValue holds only
    what is current). Another authority's current batch and values are never touched. The batch row
    is the audit: who, when, which file, for which authority, what was said about it.
    """
    if report.refused:
        raise RefusedFile(f"Tệp {file_name} có {len(report.errors)} lỗi: không nhập gì.")
    if not report.resolved:
        raise RefusedFile(f"Tệp {file_name}: chưa xác định đơn vị cho các dòng, không nhập.")
    if authority is UNSET:
        authority, problem = batch_authority(report, acting_user)
        if problem:
            raise RefusedFile(problem)

    current = (
        ImportBatch.objects.select_for_update()
        .filter(source=report.source, period=period, status=BatchStatus.IMPORTED, authority=authority)
        .first()
    )
    if current is not None and current.sha256 == sha256:
        when = timezone.localtime(current.created_at).strftime("%d/%m/%Y %H:%M")
        return StoreResult(
            current, False,
            f"Tệp {file_name} đã được nhập cho kỳ {period.code} lúc {when} (lần nhập số {current.pk}): "
            "không có gì thay đổi.",
        )

    superseded = []
    if current is not None:
        current.status = BatchStatus.SUPERSEDED
        current.save(update_fields=["status"])
        current.values.all().delete()
        superseded.append(current)

    values = [
        (row.unit.pk, period.pk, key, cell.value, cell.sheet[:100], cell.row, cell.column)
        for row in report.rows
        for key, cell in row.values.items()
    ]
    batch = ImportBatch.objects.create(
        file_name=file_name[:255], sha256=sha256, source=report.source, period=period,
        status=BatchStatus.IMPORTED, row_count=len(report.rows), value_count=len(values), authority=authority,
        warnings=[m.as_dict() for m in report.warnings], errors=[],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        mapping={str(k): getattr(v, "name", str(v)) for k, v in (mapping or {}).items()},
    )
    # Plain rows, not model instances: on PostgreSQL one COPY (about 4× faster than bulk_create's
    # INSERTs), elsewhere one executemany; inside this transaction either way.
    insert_rows(MetricValue, METRIC_VALUE_FIELDS, [(batch.pk, *value) for value in values])
    if report.overdue:
        _store_overdue(report, batch, superseded)
    for old in superseded:
        old.superseded_by = batch
        old.save(update_fields=["superseded_by"])

    from scoring.tasks import recompute_after_import  # scoring's tasks read these metrics; imported late

    # Only once the import is committed: the task must see the new values, and nothing if it rolls back.
    # common.outbox.enqueue: a broker that is down keeps the task in the database instead of failing the import.
    transaction.on_commit(lambda: enqueue(recompute_after_import, batch.pk))

    message = (f"Đã nhập {format_number(len(values))} giá trị của {format_number(len(report.rows))} đơn vị "
               f"từ tệp {file_name} cho kỳ {period.code}")
    if superseded:
        message += f"; thay cho tệp {superseded[0].file_name} (lần nhập số {superseded[0].pk}), giữ lại trong lịch sử"
    if report.layout == "dossiers":
        message += f"; {format_number(report.dossiers)} hồ sơ, {format_number(len(report.overdue))} hồ sơ quá hạn"
    if report.warnings:
        message += f"; có {len(report.warnings)} cảnh báo"
    return StoreResult(batch, True, message + ".", superseded)


def _store_overdue(report: ImportReport, batch: ImportBatch, superseded: list[ImportBatch]) -> None:
    """The late dossiers of a per-dossier export, on their resolved units. An apology already
    recorded for the same dossier code in the file this one replaces is carried over, so that a
    re-export never undoes what a unit reported."""
    units = {row.name: row.unit for row in report.rows}
    apologies = {
        d.code: d for d in OverdueDossier.objects.filter(batch__in=superseded, apology_sent=True)
    }
    dossiers = []
    for row in report.overdue:
        earlier = apologies.get(row.code)
        dossiers.append((
            batch.pk, units[row.unit_name].pk, batch.period_id, row.code[:100], row.procedure[:500], row.submitted,
            row.due, row.returned, row.days_late, row.channel, row.level, row.status[:100], row.sheet[:100], row.row,
            earlier is not None, earlier.apology_sent_at if earlier else None,
            earlier.apology_sent_by_id if earlier else None,
        ))
    insert_rows(OverdueDossier, OVERDUE_FIELDS, dossiers)


class AliasConflict(Exception):
    """The name already resolves to another unit; the message is for the user."""


def _audit(acting_user, obj, flag: int, message: str) -> None:
    """One row of the admin's action log (who, when, what): the audit of writes made outside the admin."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=acting_user, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
        object_repr=str(obj)[:200], action_flag=flag, change_message=message,
    )


@transaction.atomic
def map_alias(name: str, unit, *, acting_user):
    """Keep ``name`` (as an export spells it) as another name of ``unit``, so that the next file
    resolves it without asking. Refused when the registry already gives that name to another unit;
    the same alias again changes nothing. Returns the UnitAlias."""
    from django.contrib.admin.models import ADDITION

    from units.matching import UnitMatcher
    from units.models import UnitAlias
    from units.text import fold

    name = " ".join((name or "").split())
    if not name:
        raise AliasConflict("Tên gọi khác không được để trống.")
    existing = UnitAlias.objects.filter(unit=unit, folded=fold(name)).first()
    if existing is not None:
        return existing
    match = UnitMatcher().match(name)
    if match.unit is not None and match.unit.pk != unit.pk:
        raise AliasConflict(f"Tên «{name}» đã chỉ đơn vị {match.unit.name}; không thể gán cho {unit.name}.")
    alias = UnitAlias(unit=unit, name=name[:200])
    alias.save()
    _audit(acting_user, alias, ADDITION, f"Thêm tên gọi khác «{name}» cho {unit.name} khi nhập số liệu.")
    return alias


@transaction.atomic
def set_apology_sent(dossier: OverdueDossier, sent: bool, *, acting_user) -> OverdueDossier:
    """Record (or withdraw) that the apology letter of a late dossier was sent and attached."""
    from django.contrib.admin.models import CHANGE

    dossier = OverdueDossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.apology_sent == sent:
        return dossier
    dossier.apology_sent = sent
    dossier.apology_sent_at = timezone.now() if sent else None
    dossier.apology_sent_by = acting_user if sent else None
    dossier.save(update_fields=["apology_sent", "apology_sent_at", "apology_sent_by"])
    _audit(acting_user, dossier, CHANGE,
           f"Hồ sơ {dossier.code}: {'đã' if sent else 'bỏ ghi nhận'} gửi thư xin lỗi.")
    return dossier
