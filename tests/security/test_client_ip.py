"""Who the client is (common.security.client_ip), as the sign-in throttle and the audit log count it:
REMOTE_ADDR, unless it is a reverse proxy listed in TRUSTED_PROXIES (DJANGO_TRUSTED_PROXIES); then the
nearest address in X-Forwarded-For that is not a trusted proxy."""

import ipaddress

import pytest
from django.test import RequestFactory

from common.security import client_ip

PROXY = "172.18.0.2"


def request_from(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(PROXY), ipaddress.ip_network("10.10.0.0/16"))


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ()

    assert client_ip(request_from("203.0.113.5", "198.51.100.9")) == "203.0.113.5"


def test_a_forwarded_header_from_a_peer_that_is_not_a_trusted_proxy_is_ignored(behind_proxy):
    assert client_ip(request_from("203.0.113.5", "198.51.100.9")) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_forwarded_is_the_client(behind_proxy):
    assert client_ip(request_from(PROXY, "203.0.113.5")) == "203.0.113.5"


def test_a_client_cannot_pick_its_address_by_sending_the_header_through_the_proxy(behind_proxy):
    # the client wrote "198.51.100.9"; the proxy appended the address it really came from
    assert client_ip(request_from(PROXY, "198.51.100.9, 203.0.113.5")) == "203.0.113.5"


def test_a_chain_of_trusted_proxies_is_walked_past(behind_proxy):
    assert client_ip(request_from(PROXY, "198.51.100.9, 203.0.113.5, 10.10.4.1, 10.10.0.7")) == "203.0.113.5"


def test_malformed_entries_are_skipped(behind_proxy):
    assert client_ip(request_from(PROXY, "203.0.113.5, unknown, , 10.10.0.7:8080")) == "203.0.113.5"


def test_behind_a_trusted_proxy_without_the_header_the_proxy_is_the_client(behind_proxy):
    assert client_ip(request_from(PROXY)) == PROXY
    assert client_ip(request_from(PROXY, "rác")) == PROXY


def test_when_every_hop_is_trusted_the_farthest_is_the_client(behind_proxy):
    assert client_ip(request_from(PROXY, "10.10.9.9, 10.10.0.7")) == "10.10.9.9"


def test_ipv6_clients_and_ipv4_mapped_proxies_are_understood(behind_proxy):
    assert client_ip(request_from("::ffff:172.18.0.2", "2001:db8::42")) == "2001:db8::42"


def test_without_a_request_there_is_no_address():
    assert client_ip(None) is None
