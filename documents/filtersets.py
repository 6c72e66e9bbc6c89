"""Filters of imported metrics and their batches, shared by the pages and the API."""

import django_filters

from units.filtersets import IdFilter

from .choices import BatchStatus, Source
from .models import ImportBatch, MetricValue


class MetricValueFilterSet(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id", label="đơn vị (id)")
    period = django_filters.CharFilter(field_name="period__code", label="mã kỳ, ví dụ 2023-H1")
    key = django_filters.CharFilter(label="khóa chỉ số, ví dụ incoming_total")
    source = django_filters.ChoiceFilter(field_name="batch__source", choices=Source.choices, label="nguồn")

    class Meta:
        model = MetricValue
        fields = ["unit", "period", "key", "source"]


class ImportBatchFilterSet(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=Source.choices, label="nguồn")
    period = django_filters.CharFilter(field_name="period__code", label="mã kỳ")
    status = django_filters.ChoiceFilter(choices=BatchStatus.choices, label="trạng thái")

    class Meta:
        model = ImportBatch
        fields = ["source", "period", "status"]
