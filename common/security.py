"""Sign-in throttling and the security audit log (common.models.AuditEvent).

Throttling: after LOGIN_MAX_FAILURES wrong passwords for one user name from one IP address within
LOGIN_LOCKOUT_SECONDS, further sign-ins for that name from that address are refused, even with the
right password, until LOGIN_LOCKOUT_SECONDS have passed since the lock. The counters live in the
cache (Redis in production), keyed by a hash of (name, address): a different address, or another
name, is not affected, so an attacker cannot lock a user out from everywhere. If the cache is down
the counters start from zero (common.cache): the throttle then fails open, sign-in keeps working.

The address is client_ip(request): REMOTE_ADDR, unless REMOTE_ADDR is one of the reverse proxies
named in settings.TRUSTED_PROXIES (DJANGO_TRUSTED_PROXIES). Behind such a proxy, X-Forwarded-For is
read from the right (each proxy appends the address it was reached from), past the trusted proxies,
and the first other address is the client. An X-Forwarded-For sent by anyone else is ignored: the
client writes it, so believing it would let anyone pick the address the lock is counted against.

Audit: every sign-in (success, wrong password, refused while locked) and every request refused by
the role rules (403, and 404 answered to a signed-in user, which is how a unit head is kept off
another unit's pages) is one AuditEvent row."""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from .models import AuditEvent, AuditKind

log = logging.getLogger(__name__)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):  # "fe80::1%eth0" is no address the audit log can store
        return None
    # a dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES if address.version == network.version)


def client_ip(request) -> str | None:
    """The address of whoever sent the request, as the throttle and the audit log count it."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    peer = _address(remote) if remote else None
    if peer is None or not _trusted(peer):
        return remote
    farthest = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            continue
        if not _trusted(address):
            return str(address)
        farthest = address
    # Every hop is a trusted proxy (say a machine of the office network listed among them): the one
    # farthest from us is where the request began.
    return str(farthest)


def record(kind: str, request=None, *, user=None, username: str = "", detail: str = "") -> None:
    """Write one audit row. A failure to write is logged, never turned into an error page."""
    if user is None and request is not None and getattr(request, "user", None) is not None \
            and request.user.is_authenticated:
        user = request.user
    if user is not None and not username:
        username = user.get_username()
    try:
        AuditEvent.objects.create(
            kind=kind, user=user if getattr(user, "pk", None) else None, username=(username or "")[:150],
            ip=client_ip(request), path=(request.get_full_path() if request is not None else "")[:500],
            detail=str(detail)[:2000],
        )
    except Exception:
        log.exception("Không ghi được nhật ký an ninh (%s, %s)", kind, username)


# --- Sign-in throttling --------------------------------------------------------------------------


def max_failures() -> int:
    return getattr(settings, "LOGIN_MAX_FAILURES", 5)


def lockout_seconds() -> int:
    return getattr(settings, "LOGIN_LOCKOUT_SECONDS", 300)


def locked_message() -> str:
    minutes = max(1, round(lockout_seconds() / 60))
    return (f"Đăng nhập sai quá {max_failures()} lần nên tạm thời không đăng nhập được tài khoản này từ máy của bạn. "
            f"Đề nghị thử lại sau {minutes} phút hoặc liên hệ người quản trị hệ thống để được hỗ trợ.")


def _key(prefix: str, username: str, ip: str | None) -> str:
    digest = hashlib.sha256(f"{(username or '').strip().casefold()}\x00{ip or ''}".encode()).hexdigest()
    return f"login-{prefix}:{digest}"


def is_locked(username: str, ip: str | None) -> bool:
    return bool(cache.get(_key("locked", username, ip)))


def register_failure(username: str, ip: str | None) -> bool:
    """Count one wrong password; True when this failure locks the name at this address."""
    key = _key("failures", username, ip)
    cache.add(key, 0, timeout=lockout_seconds())  # the window starts with the first failure
    try:
        failures = cache.incr(key)
    except ValueError:  # the key expired in between, or the cache is down: start again
        cache.set(key, 1, timeout=lockout_seconds())
        failures = 1
    if failures >= max_failures():
        cache.set(_key("locked", username, ip), True, timeout=lockout_seconds())
        cache.delete(key)
        return True
    return False


def clear_failures(username: str, ip: str | None) -> None:
    cache.delete(_key("failures", username, ip))


class ThrottledLoginMixin:
    """For AuthenticationForm and its admin variant: refuse a locked name before checking the
    password, count wrong passwords, forget them after a successful sign-in."""

    locked = False  # the template shows the lockout message instead of "wrong password"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if username and is_locked(username, ip):
            self.locked = True
            record(AuditKind.LOGIN_LOCKED, self.request, username=username, detail="Đang tạm khóa do đăng nhập sai nhiều lần")
            raise ValidationError(locked_message(), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if username and getattr(self, "user_cache", None) is None:  # the password was wrong
                register_failure(username, ip)
            raise
        if username and self.get_user() is not None:
            clear_failures(username, ip)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


# --- Audit of sign-ins (every path that calls authenticate/login: pages, admin) --------------------


@receiver(user_logged_in, dispatch_uid="common.security.logged_in")
def _audit_login(sender, request, user, **kwargs):
    record(AuditKind.LOGIN_SUCCESS, request, user=user)


@receiver(user_login_failed, dispatch_uid="common.security.login_failed")
def _audit_login_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first() if username else None
    record(AuditKind.LOGIN_FAILURE, request, user=user, username=username,
           detail="Sai tên đăng nhập hoặc mật khẩu" if user is None else "Sai mật khẩu")


# --- CSRF refusals, in Vietnamese (settings.CSRF_FAILURE_VIEW) ----------------------------------

CSRF_MESSAGE = ("Biểu mẫu đã hết hạn hoặc không gửi từ trang của hệ thống (kiểm tra CSRF không đạt), "
                "nên yêu cầu không được thực hiện. Hãy tải lại trang rồi gửi lại.")


def csrf_failure(request, reason: str = ""):
    """Django's CSRF refusal (403), told in Vietnamese; the reason goes to the audit log."""
    from django.http import HttpResponseForbidden
    from django.utils.html import escape

    request._refusal_reason = f"CSRF: {reason}"
    return HttpResponseForbidden(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Không thực hiện được (403)</title></head>'
        f'<body><h1>Không thực hiện được yêu cầu</h1><p id="csrf-failure">{escape(CSRF_MESSAGE)}</p>'
        '<p><a href="/">Về trang đầu</a></p></body></html>'
    )
