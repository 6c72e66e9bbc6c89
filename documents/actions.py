"""The only writer of imported metrics. One file, one transaction: all of it or nothing."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from common.numbers import format_number

from .choices import BatchStatus
from .importing.report import ImportReport
from .models import ImportBatch, MetricValue


class RefusedFile(Exception):
    """The report has errors (or its names were not resolved): nothing was written."""


@dataclass
class StoreResult:
    batch: ImportBatch
    created: bool  # False: the same file was already the current one, nothing changed
    message: str
    superseded: list[ImportBatch] = field(default_factory=list)


@transaction.atomic
def store_batch(report: ImportReport, *, acting_user, period, file_name: str, sha256: str,
                mapping: dict | None = None) -> StoreResult:
    """Store a validated, resolved report as the current batch of its source for ``period``.

    The same file again (same sha256, same period, still current) changes nothing and says so.
    A different file for the same source and period replaces the values; the old batch stays in
    the history with status superseded (and its values go, so that MetricValue holds only what is
    current). The batch row is the audit: who, when, which file, what was said about it.
    """
    if report.refused:
        raise RefusedFile(f"Tệp {file_name} có {len(report.errors)} lỗi: không nhập gì.")
    if not report.resolved:
        raise RefusedFile(f"Tệp {file_name}: chưa xác định đơn vị cho các dòng, không nhập.")

    current = (
        ImportBatch.objects.select_for_update()
        .filter(source=report.source, period=period, status=BatchStatus.IMPORTED)
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
        MetricValue(unit=row.unit, period=period, key=key, value=cell.value,
                    sheet=cell.sheet[:100], row=cell.row, column=cell.column)
        for row in report.rows
        for key, cell in row.values.items()
    ]
    batch = ImportBatch.objects.create(
        file_name=file_name[:255], sha256=sha256, source=report.source, period=period,
        status=BatchStatus.IMPORTED, row_count=len(report.rows), value_count=len(values),
        warnings=[m.as_dict() for m in report.warnings], errors=[],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        mapping={str(k): getattr(v, "name", str(v)) for k, v in (mapping or {}).items()},
    )
    for value in values:
        value.batch = batch
    MetricValue.objects.bulk_create(values, batch_size=1000)
    for old in superseded:
        old.superseded_by = batch
        old.save(update_fields=["superseded_by"])

    from scoring.tasks import recompute_after_import  # scoring's tasks read these metrics; imported late

    # Only once the import is committed: the task must see the new values, and nothing if it rolls back.
    transaction.on_commit(lambda: recompute_after_import.delay(batch.pk))

    message = (f"Đã nhập {format_number(len(values))} giá trị của {format_number(len(report.rows))} đơn vị "
               f"từ tệp {file_name} cho kỳ {period.code}")
    if superseded:
        message += f"; thay cho tệp {superseded[0].file_name} (lần nhập số {superseded[0].pk}), giữ lại trong lịch sử"
    if report.warnings:
        message += f"; có {len(report.warnings)} cảnh báo"
    return StoreResult(batch, True, message + ".", superseded)
