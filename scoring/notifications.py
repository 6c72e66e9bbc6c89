"""Messages to people: a Notification in the app (the bell in the header) and the same text by e-mail.

E-mail goes through Django's mail (EMAIL_BACKEND: the console by default, locmem in tests), once the
transaction that caused it has committed, so nobody is told about a change that was rolled back."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction

from units.choices import Role

from .models import Notification

log = logging.getLogger(__name__)

SUBJECT = "[Chấm điểm CCHC] "


def notify(users, *, text: str, url: str = "", key: str = "") -> list[Notification]:
    """Tell each user ``text`` in the app and by e-mail (when they have an address).

    With a ``key``, a user who already has a notification with that key is skipped: the periodic
    reminders run every 15 minutes and must never repeat. Returns the notifications created."""
    users = list({u.pk: u for u in users}.values())
    if key:
        already = set(Notification.objects.filter(key=key, user__in=users).values_list("user_id", flat=True))
        users = [u for u in users if u.pk not in already]
    created = Notification.objects.bulk_create([Notification(user=u, text=text, url=url, key=key) for u in users])
    link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url and settings.SITE_URL else (f"\n\n{url}" if url else "")
    mails = [(SUBJECT + _subject(text), text + link, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in users if u.email]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return created


def _send(mails):
    # The notification is stored whatever happens to the mail server; a failure is logged, not raised
    # into the request or the periodic task that caused it.
    try:
        send_mass_mail(mails)
    except Exception:  # noqa: BLE001 — any transport error
        log.exception("Không gửi được %d thư thông báo", len(mails))


def _subject(text: str) -> str:
    first = text.split(". ")[0]
    return first if len(first) <= 90 else first[:89] + "…"


def unit_heads(unit_ids) -> list:
    """The active heads of the given units."""
    return list(get_user_model().objects.filter(
        membership__role=Role.UNIT_HEAD, membership__unit_id__in=list(unit_ids), is_active=True,
    ).select_related("membership__unit"))
