"""Admin of common: the security audit log and the outbox, both read-only; the admin's own sign-in
form is throttled like the site's (common.security)."""

from django.contrib import admin

from units.admin import ReadOnlyModelAdmin

from .models import AuditEvent, PendingTask
from .security import ThrottledAdminAuthenticationForm

admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    list_display = ["when", "kind", "username", "ip", "path", "detail"]
    list_filter = ["kind", "when"]
    search_fields = ["username", "ip", "path", "detail"]
    date_hierarchy = "when"
    list_select_related = ["user"]


@admin.register(PendingTask)
class PendingTaskAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "task", "args", "attempts", "last_error"]
    search_fields = ["task", "task_id"]
