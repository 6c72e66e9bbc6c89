"""Sign-in throttling (common.security): after LOGIN_MAX_FAILURES wrong passwords for one name from
one address, that name is refused from that address for LOGIN_LOCKOUT_SECONDS, even with the right
password, with a Vietnamese message; other addresses and other names are not affected. The counters
are in the cache. Every attempt is in the audit log."""

import ipaddress

import pytest
from django.core.cache import cache
from django.urls import reverse

from common.models import AuditEvent, AuditKind

from ..conftest import PASSWORD

LOCKED = "tạm thời không đăng nhập được"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


PROXY = "172.18.0.2"


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def sign_in_through_proxy(client, username, password, forwarded):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(PROXY),)


def test_the_limits_are_settings(settings):
    assert (settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS) == (5, 300)


def test_it_locks_a_name_after_too_many_wrong_passwords(client, reviewer, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = sign_in(client, "reviewer", "sai")
        assert response.status_code == 200 and LOCKED not in response.content.decode()

    refused = sign_in(client, "reviewer", PASSWORD)  # the right password, too late

    page = refused.content.decode()
    assert refused.status_code == 200 and LOCKED in page and "5 phút" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_name_and_address(client, reviewer, make_user, settings):
    make_user("other")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(client, "reviewer", "sai", ip="10.0.0.1")

    assert sign_in(client, "reviewer", PASSWORD, ip="10.0.0.2").status_code == 302  # another office
    client.logout()
    assert sign_in(client, "other", PASSWORD, ip="10.0.0.1").status_code == 302  # another name
    client.logout()
    assert LOCKED in sign_in(client, "REVIEWER ", PASSWORD, ip="10.0.0.1").content.decode()  # same name, spelt otherwise


def test_the_lock_ends_when_its_time_is_up(client, reviewer, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(client, "reviewer", "sai")
    assert LOCKED in sign_in(client, "reviewer", PASSWORD).content.decode()

    import time
    time.sleep(1.5)

    assert sign_in(client, "reviewer", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(client, reviewer, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(client, "reviewer", "sai")
    assert sign_in(client, "reviewer", PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(client, "reviewer", "sai")
    assert sign_in(client, "reviewer", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, superuser, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(reverse("admin:login"), {"username": "admin", "password": "sai"}, REMOTE_ADDR="10.0.0.9")

    refused = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")

    assert refused.status_code == 200 and LOCKED in refused.content.decode()


def test_every_attempt_is_in_the_audit_log(client, reviewer, settings):
    sign_in(client, "reviewer", PASSWORD, ip="10.0.0.7")
    client.logout()
    sign_in(client, "khong-co-ai", "sai", ip="10.0.0.8")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(client, "reviewer", "sai", ip="10.0.0.7")
    sign_in(client, "reviewer", PASSWORD, ip="10.0.0.7")

    events = list(AuditEvent.objects.order_by("id").values_list("kind", "username", "ip", "user"))
    assert events[0] == (AuditKind.LOGIN_SUCCESS, "reviewer", "10.0.0.7", reviewer.pk)
    assert events[1] == (AuditKind.LOGIN_FAILURE, "khong-co-ai", "10.0.0.8", None)
    assert events[2:7] == [(AuditKind.LOGIN_FAILURE, "reviewer", "10.0.0.7", reviewer.pk)] * 5
    assert events[7] == (AuditKind.LOGIN_LOCKED, "reviewer", "10.0.0.7", None)
    assert all(e.path == reverse("login") for e in AuditEvent.objects.all())


def test_the_lock_message_sends_the_user_to_the_system_administrator(client, reviewer, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES + 1):
        response = sign_in(client, "reviewer", "sai")

    page = response.content.decode()
    assert LOCKED in page and "liên hệ người quản trị hệ thống" in page and "liên hệ Phòng Nội vụ" not in page


def test_behind_the_proxy_two_clients_are_counted_apart(client, reviewer, behind_proxy, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in_through_proxy(client, "reviewer", "sai", forwarded="203.0.113.5")
    assert LOCKED in sign_in_through_proxy(client, "reviewer", PASSWORD, forwarded="203.0.113.5").content.decode()

    # the reviewer at another office, reaching the same proxy, is not locked out by the attacker
    assert sign_in_through_proxy(client, "reviewer", PASSWORD, forwarded="198.51.100.9").status_code == 302


def test_behind_the_proxy_a_forged_header_does_not_escape_the_lock(client, reviewer, behind_proxy, settings):
    for attempt in range(settings.LOGIN_MAX_FAILURES):
        sign_in_through_proxy(client, "reviewer", "sai", forwarded=f"192.0.2.{attempt}, 203.0.113.5")

    refused = sign_in_through_proxy(client, "reviewer", PASSWORD, forwarded="192.0.2.99, 203.0.113.5")

    assert LOCKED in refused.content.decode()


def test_a_forged_header_from_a_peer_that_is_not_a_proxy_is_ignored(client, reviewer, behind_proxy, settings):
    for attempt in range(settings.LOGIN_MAX_FAILURES):
        client.post(reverse("login"), {"username": "reviewer", "password": "sai"},
                    REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    refused = client.post(reverse("login"), {"username": "reviewer", "password": PASSWORD},
                          REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert LOCKED in refused.content.decode()
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {"203.0.113.5"}


def test_behind_the_proxy_the_audit_log_records_the_client(client, reviewer, behind_proxy):
    sign_in_through_proxy(client, "reviewer", "sai", forwarded="203.0.113.5")
    sign_in_through_proxy(client, "reviewer", PASSWORD, forwarded="198.51.100.9")

    events = list(AuditEvent.objects.order_by("id").values_list("kind", "ip"))
    assert events == [(AuditKind.LOGIN_FAILURE, "203.0.113.5"), (AuditKind.LOGIN_SUCCESS, "198.51.100.9")]
