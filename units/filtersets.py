"""Filters of the unit registry, shared by the pages and the API (one FilterSet per model)."""

import django_filters
from django.db.models import Q

from .choices import UnitKind
from .models import Unit
from .text import fold


class UnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="loại")
    parent = django_filters.NumberFilter(field_name="parent_id", label="đơn vị cấp trên (id)")
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
