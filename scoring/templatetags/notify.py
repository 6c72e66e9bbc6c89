"""The bell in the header: how many notifications the signed-in user has not read (one query)."""

from django import template

register = template.Library()


@register.simple_tag
def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return user.notifications.filter(read_at__isnull=True).count()
