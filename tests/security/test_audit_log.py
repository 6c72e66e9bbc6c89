"""Refusals by the role rules (403, and the 404 a unit head gets for another unit's page) are in the
security audit log with who, when, from where, which page and why; the admin shows the log and
lets nobody change it."""

import ipaddress

from django.contrib.auth import get_user_model
from django.urls import reverse

from common.models import AuditEvent, AuditKind
from units.access import WRONG_ROLE_MESSAGE
from units.choices import Role


def test_it_records_a_403_with_its_reason(client, viewer):
    client.force_login(viewer)

    response = client.get(reverse("documents:upload"), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 403
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    assert (event.user, event.username, event.ip, event.path) == (viewer, "viewer", "10.1.2.3", reverse("documents:upload"))
    assert WRONG_ROLE_MESSAGE in event.detail and "GET → 403" in event.detail
    assert event.when is not None


def test_behind_the_trusted_proxy_a_refusal_records_the_client_not_the_proxy(client, viewer, settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("172.18.0.0/16"),)
    client.force_login(viewer)

    client.get(reverse("documents:upload"), REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    client.get(reverse("documents:upload"), REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5")

    refusals = AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED).order_by("id")
    recorded = list(refusals.values_list("ip", flat=True))
    assert recorded == ["203.0.113.5", "198.51.100.9"]  # the second came straight, its header is the client's word


def test_it_records_another_units_page_refused_as_not_found(client, make_user, vinh_khe, noi_vu):
    head = make_user("truong-phong", Role.UNIT_HEAD, noi_vu)
    client.force_login(head)

    response = client.get(reverse("unit-detail", args=[vinh_khe.pk]))

    assert response.status_code == 404
    event = AuditEvent.objects.get(kind=AuditKind.NOT_VISIBLE)
    assert event.user == head and event.path == reverse("unit-detail", args=[vinh_khe.pk])


def test_it_records_an_api_refusal(client, viewer):
    client.force_login(viewer)

    response = client.post("/api/v1/import-batches/", {})

    assert response.status_code == 403
    assert AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED, user=viewer, path="/api/v1/import-batches/").exists()


def test_it_does_not_record_allowed_pages_or_unknown_addresses(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("home"))
    client.get("/khong-co-trang-nay/")

    assert not AuditEvent.objects.filter(kind__in=[AuditKind.PERMISSION_DENIED, AuditKind.NOT_VISIBLE]).exists()


def test_the_admin_shows_the_log_read_only(client, superuser, viewer):
    client.force_login(viewer)
    client.get(reverse("documents:upload"))
    event = AuditEvent.objects.get(kind=AuditKind.PERMISSION_DENIED)
    client.force_login(superuser)

    listing = client.get(reverse("admin:common_auditevent_changelist"))
    change = client.post(reverse("admin:common_auditevent_change", args=[event.pk]), {"detail": "xóa dấu vết"})
    delete = client.post(reverse("admin:common_auditevent_delete", args=[event.pk]), {"post": "yes"})

    assert listing.status_code == 200 and "viewer" in listing.content.decode()
    assert client.get(reverse("admin:common_auditevent_add")).status_code == 403
    assert (change.status_code, delete.status_code) == (403, 403)
    event.refresh_from_db()
    assert "xóa dấu vết" not in event.detail
    assert get_user_model().objects.filter(pk=superuser.pk).exists()
