"""Admin of imported metrics: read-only, since a batch is written only by the import action
(which validates the whole file first) and a value only together with its batch."""

from django.contrib import admin

from common.numbers import format_number
from units.admin import ReadOnlyModelAdmin

from .models import ImportBatch, MetricValue, OverdueDossier


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyModelAdmin):
    list_display = ["file_name", "source", "period", "status", "row_count", "value_count", "created_by", "created_at"]
    list_filter = ["source", "status", "period"]
    list_select_related = ["period", "created_by"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "created_at"


@admin.register(MetricValue)
class MetricValueAdmin(ReadOnlyModelAdmin):
    list_display = ["unit", "period", "key", "value_vn", "batch", "sheet", "row", "column"]
    list_filter = ["period", "key", "batch__source"]
    list_select_related = ["unit", "period", "batch__period"]
    search_fields = ["unit__name", "key", "batch__file_name"]
    raw_id_fields = ["batch", "unit"]

    @admin.display(description="giá trị", ordering="value")
    def value_vn(self, metric):
        return format_number(metric.value)


@admin.register(OverdueDossier)
class OverdueDossierAdmin(ReadOnlyModelAdmin):
    """Late dossiers of per-dossier exports; the apology flag is recorded on the import pages (audited)."""

    list_display = ["code", "unit", "period", "due_on", "returned_on", "days_late", "apology_sent"]
    list_filter = ["period", "apology_sent"]
    search_fields = ["code", "unit__name", "procedure"]
    list_select_related = ["unit", "period"]
