"""Template filters that print numbers and dates as Vietnamese documents do."""

from django import template

from common.numbers import format_number

register = template.Library()


@register.filter
def vn(value, places=None):
    """{{ score|vn:2 }} → 23,41; {{ count|vn }} → 14.678; blank stays blank."""
    if places in (None, ""):
        return format_number(value)
    return format_number(value, int(places))


@register.filter
def vn_date(value):
    return value.strftime("%d/%m/%Y") if value else ""
