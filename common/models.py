"""Rows the whole application shares: the security audit log and the outbox of tasks that could not
be handed to the broker."""

from django.conf import settings
from django.db import models


class AuditKind(models.TextChoices):
    LOGIN_SUCCESS = "login_success", "Đăng nhập thành công"
    LOGIN_FAILURE = "login_failure", "Đăng nhập sai"
    LOGIN_LOCKED = "login_locked", "Đăng nhập bị tạm khóa"
    PERMISSION_DENIED = "permission_denied", "Bị từ chối quyền (403)"
    NOT_VISIBLE = "not_visible", "Không được xem / không có (404)"


class AuditEvent(models.Model):
    """One security event: a sign-in (successful, failed or refused while locked out) or a request
    refused by the role rules. Written by common.security only, read-only in the admin."""

    when = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name="người dùng")
    # The name as typed, kept even when no such user exists (failed sign-ins) or the user is deleted.
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    kind = models.CharField("loại", max_length=20, choices=AuditKind.choices, db_index=True)
    path = models.CharField("đường dẫn", max_length=500, blank=True)
    detail = models.TextField("chi tiết", blank=True)

    class Meta:
        verbose_name = "nhật ký an ninh"
        verbose_name_plural = "nhật ký an ninh"
        ordering = ["-when", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.username or '(ẩn danh)'}"


class PendingTask(models.Model):
    """A Celery task that could not be published (the broker was down when the page or import asked
    for it). common.outbox.resend_pending sends it again once the broker answers; the row is
    deleted only after the broker accepted the message."""

    task = models.CharField("tác vụ", max_length=200)
    # Chosen when the page first asked, so that the id it showed stays the id of the task that runs.
    task_id = models.CharField("mã tác vụ", max_length=64, unique=True)
    args = models.JSONField("tham số", default=list, blank=True)
    kwargs = models.JSONField("tham số có tên", default=dict, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    attempts = models.PositiveIntegerField("số lần gửi", default=1)
    last_error = models.TextField("lỗi lần gửi cuối", blank=True)

    class Meta:
        verbose_name = "tác vụ chờ gửi"
        verbose_name_plural = "tác vụ chờ gửi"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.task} {self.args}"
