"""Metrics (read) and import batches: upload → dry-run report → confirm → stored batch.

The uploaded file waits under VAR_DIR/api-uploads/<sha256>/ between the dry run and the
confirmation, so that what is stored is byte for byte what was checked. The pipeline
(documents.importing.run.import_file) does all the reading, checking and storing."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.utils.text import get_valid_filename
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from documents.filtersets import ImportBatchFilterSet, MetricValueFilterSet
from documents.importing import unit_values
from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue
from documents.visibility import visible_batches
from scoring.api.serializers import ErrorSerializer
from units.api.permissions import ID_PATTERN, RolePermission, UnitScopedQuerysetMixin
from units.choices import Role

from .serializers import (
    ConfirmResultSerializer, ConfirmSerializer, ImportBatchSerializer, ImportReportSerializer, MetricValueSerializer,
    UploadSerializer,
)


class MetricValueViewSet(UnitScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Số liệu: ?unit=<id>&period=2023-H1&key=incoming_total&source=incoming; a unit head sees their unit's,
    a reviewer or leader bound to an authority its tree's (UnitScopedQuerysetMixin): a value of a unit
    outside the tree is not listed, and answers 404."""

    queryset = MetricValue.objects.select_related("unit", "period", "batch")
    serializer_class = MetricValueSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = MetricValueFilterSet
    ordering_fields = ["id", "key", "value", "unit__sort_order"]
    ordering = ["period", "unit", "key"]
    unit_field = "unit"


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "api-uploads"


def keep_upload(upload) -> tuple[Path, str]:
    """Write the uploaded file under its sha256 and return (path, sha256).

    The file keeps its extension (the reader goes by it); its name as uploaded is kept beside it,
    since the batch records the name the user knows."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    folder = upload_dir() / sha256
    folder.mkdir(parents=True, exist_ok=True)
    suffix = get_valid_filename(Path(upload.name).suffix.lower()) if Path(upload.name).suffix else ""
    path = folder / f"upload{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    (folder / "name.txt").write_text(Path(upload.name).name, encoding="utf-8")
    return path, sha256


def find_upload(sha256: str) -> tuple[Path, str] | None:
    """(path, name as uploaded) of a kept upload, or None."""
    folder = upload_dir() / sha256
    files = sorted(folder.glob("upload*")) if folder.is_dir() else []
    if not files:
        return None
    name_file = folder / "name.txt"
    return files[0], name_file.read_text(encoding="utf-8") if name_file.exists() else files[0].name


def _text(value) -> str:
    return format(value.normalize(), "f")


def report_data(outcome, *, upload_id: str, period_code: str, dry_run: bool) -> dict:
    """The report of import_file as the API answers it: metric values as strings, like every decimal."""
    report = outcome.report
    units = unit_values(report) if report.source else {}
    return {
        "upload_id": upload_id,
        "file": report.file,
        "source": report.source or None,
        "period": period_code,
        "dry_run": dry_run,
        "refused": report.refused,
        "rows": len(report.rows),
        "units": {name: {k: _text(v) for k, v in values.items()} for name, values in units.items()},
        "matched": dict(report.matched),
        "unmatched": list(report.unmatched),
        "warnings": [m.as_dict() for m in report.warnings],
        "errors": [m.as_dict() for m in report.errors],
        "message": outcome.message,
    }


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Lần nhập số liệu: reviewers upload and confirm; reviewers and leaders read the history, of
    their authority only when bound to one (documents.visibility: the batches holding their units'
    figures or uploaded by someone of their authority); another authority's batch answers 404."""

    queryset = ImportBatch.objects.select_related("period", "created_by", "authority")
    serializer_class = ImportBatchSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = ImportBatchFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    read_roles = (Role.REVIEWER, Role.VIEWER)
    write_roles = (Role.REVIEWER,)

    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return visible_batches(self.request.user, super().get_queryset())

    @extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={
            200: OpenApiResponse(ImportReportSerializer, description="Chạy thử: chưa ghi gì; xác nhận bằng upload_id"),
            400: OpenApiResponse(description="Thiếu tệp, kỳ không có, nguồn sai"),
            413: OpenApiResponse(ErrorSerializer, description="Tệp quá lớn"),
            422: OpenApiResponse(ImportReportSerializer, description="Tệp bị từ chối: lỗi trong report.errors"),
        },
    )
    def create(self, request, *args, **kwargs):
        form = UploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            return Response({"detail": f"Tệp {upload.name} quá lớn ({upload.size} byte); tối đa "
                                       f"{settings.UPLOAD_MAX_BYTES} byte."},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        path, sha256 = keep_upload(upload)
        period = form.validated_data["period"]
        outcome = import_file(path, period=period, acting_user=request.user, dry_run=True,
                              source=form.validated_data.get("source"), mapping=form.validated_data.get("mapping"),
                              display_name=Path(upload.name).name)
        data = report_data(outcome, upload_id="" if outcome.report.refused else sha256,
                           period_code=period.code, dry_run=True)
        return Response(data, status=status.HTTP_422_UNPROCESSABLE_ENTITY if outcome.report.refused else status.HTTP_200_OK)

    @extend_schema(
        request=ConfirmSerializer,
        responses={
            201: OpenApiResponse(ConfirmResultSerializer, description="Đã nhập"),
            200: OpenApiResponse(ConfirmResultSerializer, description="Tệp này đã là bản hiện hành: không đổi gì"),
            400: OpenApiResponse(description="Dữ liệu gửi lên không hợp lệ"),
            404: OpenApiResponse(ErrorSerializer, description="upload_id không có"),
            422: OpenApiResponse(ImportReportSerializer, description="Tệp bị từ chối: không nhập gì"),
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[JSONParser])
    def confirm(self, request, format=None):  # format: the router also routes confirm.json
        form = ConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload_id = form.validated_data["upload_id"]
        found = find_upload(upload_id)
        if found is None:
            return Response({"detail": "Không có tệp đã tải lên với upload_id này; hãy tải tệp lên lại."},
                            status=status.HTTP_404_NOT_FOUND)
        path, name = found
        period = form.validated_data["period"]
        outcome = import_file(path, period=period, acting_user=request.user, dry_run=False,
                              source=form.validated_data.get("source"), mapping=form.validated_data.get("mapping"),
                              display_name=name)
        if outcome.stored is None:
            return Response(report_data(outcome, upload_id=upload_id, period_code=period.code, dry_run=False),
                            status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        stored = outcome.stored
        body = {"created": stored.created, "message": stored.message,
                "batch": ImportBatchSerializer(stored.batch).data}
        return Response(body, status=status.HTTP_201_CREATED if stored.created else status.HTTP_200_OK)
