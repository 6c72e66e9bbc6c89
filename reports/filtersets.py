"""Filters of letters, shared by the pages and the API."""

import django_filters

from .choices import LetterKind, LetterStatus
from .models import Letter


class LetterFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LetterKind.choices, label="loại văn bản")
    period = django_filters.CharFilter(field_name="period__code", label="mã kỳ")
    status = django_filters.ChoiceFilter(choices=LetterStatus.choices, label="trạng thái")

    class Meta:
        model = Letter
        fields = ["kind", "period", "status"]
