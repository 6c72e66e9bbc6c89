"""Metrics imported from the provincial systems' exports, and the batches they came in."""

from django.conf import settings
from django.db import models

from scoring.models import Period
from units.models import Unit

from .choices import BatchStatus, Channel, ServiceLevel, Source


class ImportBatch(models.Model):
    """One imported file: where it came from, what it held, and what was said about it."""

    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64, db_index=True)
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="import_batches", verbose_name="kỳ")
    status = models.CharField("trạng thái", max_length=20, choices=BatchStatus.choices, default=BatchStatus.IMPORTED)
    row_count = models.PositiveIntegerField("số dòng", default=0)
    value_count = models.PositiveIntegerField("số giá trị", default=0)
    warnings = models.JSONField("cảnh báo", default=list, blank=True)
    errors = models.JSONField("lỗi", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="người nhập")
    created_at = models.DateTimeField("thời điểm nhập", auto_now_add=True)
    mapping = models.JSONField(
        "tên được chỉ định đơn vị", default=dict, blank=True,
        help_text="Tên trong tệp → tên đơn vị trong danh mục, do người nhập chỉ định.",
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced",
        verbose_name="được thay bằng",
    )
    # The root unit of the tree whose figures the file holds (documents.actions.batch_authority):
    # each authority keeps its own current file of a source and period, so one authority's import
    # never replaces another's figures. Null: no unit matched yet (a refused file), or an old batch
    # whose values named no unit.
    authority = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="import_batches",
        verbose_name="cơ quan chấm điểm",
    )

    class Meta:
        verbose_name = "lần nhập số liệu"
        verbose_name_plural = "lần nhập số liệu"
        ordering = ["-created_at", "-id"]
        constraints = [
            # An authority has one current file of a source per period; older ones stay in the history
            # as superseded. Two constraints, since NULLs are distinct in a unique index: batches of no
            # authority are also one current per source and period.
            models.UniqueConstraint(
                fields=["source", "period", "authority"],
                condition=models.Q(status="imported", authority__isnull=False),
                name="one_current_batch_per_source_period_authority",
            ),
            models.UniqueConstraint(
                fields=["source", "period"], condition=models.Q(status="imported", authority__isnull=True),
                name="one_current_batch_per_source_period_without_authority",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_source_display()}, {self.period.code})"


class MetricValue(models.Model):
    """One metric of one unit in one period, keyed by the canonical keys of DOMAIN.md."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="values", verbose_name="lần nhập")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="metric_values", verbose_name="đơn vị")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="metric_values", verbose_name="kỳ")
    key = models.CharField("chỉ số", max_length=60)
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=6)
    sheet = models.CharField("trang tính", max_length=100, blank=True)
    row = models.PositiveIntegerField("dòng", null=True, blank=True)
    column = models.CharField("cột", max_length=10, blank=True)

    class Meta:
        verbose_name = "giá trị chỉ số"
        verbose_name_plural = "giá trị chỉ số"
        ordering = ["period", "unit", "key"]
        indexes = [models.Index(fields=["period", "key"]), models.Index(fields=["unit", "period"])]
        # Only the current batch of a source keeps its values, so a key has one value per unit and period.
        constraints = [models.UniqueConstraint(fields=["unit", "period", "key"], name="one_value_per_unit_period_key")]

    def __str__(self):
        return f"{self.unit} {self.period.code} {self.key}={self.value}"


class OverdueDossier(models.Model):
    """A dossier of a per-dossier TTHC export that was resolved after its due date, or still
    pending past it when the period ended. Seed 003 item 4: each one needs an apology letter to
    the citizen attached; the unit says so here (``apology_sent``), through documents.actions."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="overdue_dossiers",
                              verbose_name="lần nhập")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="overdue_dossiers", verbose_name="đơn vị")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="overdue_dossiers", verbose_name="kỳ")
    code = models.CharField("mã hồ sơ", max_length=100)
    procedure = models.CharField("thủ tục hành chính", max_length=500, blank=True)
    submitted_on = models.DateField("ngày tiếp nhận")
    due_on = models.DateField("ngày hẹn trả")
    returned_on = models.DateField("ngày trả kết quả", null=True, blank=True)
    days_late = models.PositiveIntegerField("số ngày trễ hạn")
    channel = models.CharField("hình thức nộp", max_length=20, choices=Channel.choices)
    level = models.CharField("mức độ DVCTT", max_length=20, choices=ServiceLevel.choices, blank=True)
    status = models.CharField("trạng thái trong tệp", max_length=100, blank=True)
    sheet = models.CharField("trang tính", max_length=100, blank=True)
    row = models.PositiveIntegerField("dòng", null=True, blank=True)
    apology_sent = models.BooleanField("đã gửi thư xin lỗi", default=False)
    apology_sent_at = models.DateTimeField("thời điểm ghi nhận thư xin lỗi", null=True, blank=True)
    apology_sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="người ghi nhận")

    class Meta:
        verbose_name = "hồ sơ quá hạn"
        verbose_name_plural = "hồ sơ quá hạn"
        ordering = ["unit__sort_order", "unit__name", "due_on", "code"]
        constraints = [models.UniqueConstraint(fields=["batch", "code"], name="one_overdue_row_per_batch_code")]

    def __str__(self):
        return f"{self.code} ({self.unit}, trễ {self.days_late} ngày)"
