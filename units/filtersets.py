"""Filters of the unit registry, shared by the pages and the API (one FilterSet per model)."""

import django_filters
from django import forms
from django.db.models import Q

from .choices import UnitKind
from .models import Unit
from .text import fold


# Row ids as the databases store them (64-bit); larger or fractional ids are refused with 400
# rather than reaching the database, which would fail on them.
MAX_ID = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number within bounds (a year, an id), checked before any query runs."""

    field_class = forms.IntegerField


class IdFilter(WholeNumberFilter):
    """A row id (?unit=12): a positive whole number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="loại")
    parent = IdFilter(field_name="parent_id", label="đơn vị cấp trên (id)")
    active = django_filters.BooleanFilter(label="đang hoạt động")
    q = django_filters.CharFilter(method="filter_name", label="tên hoặc tên gọi khác")

    class Meta:
        model = Unit
        fields = ["kind", "parent", "active"]

    def filter_name(self, queryset, name, value):
        # Aliases are stored folded, so "vinh khe" finds "UBND xã Vĩnh Khê" by any of its spellings.
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(aliases__folded__contains=fold(value))
        ).distinct()
