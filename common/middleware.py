"""Records refused requests in the security audit log (common.security)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import AuditKind
from .security import record


class AuditRefusalsMiddleware:
    """A 403 (role rules, CSRF, the API's permissions) and a 404 answered to a signed-in user by a
    view (a unit head asking for another unit's page gets 404, as if it did not exist) become
    AuditEvent rows. Unknown addresses (no view matched) are not recorded: they are noise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status == 403:
            record(AuditKind.PERMISSION_DENIED, request, detail=self._detail(request, response))
        elif status == 404 and getattr(request, "resolver_match", None) is not None \
                and getattr(request, "user", None) is not None and request.user.is_authenticated:
            record(AuditKind.NOT_VISIBLE, request, detail=self._detail(request, response))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (PermissionDenied, Http404)):
            request._refusal_reason = str(exception)
        return None  # Django answers 403/404 as usual

    @staticmethod
    def _detail(request, response) -> str:
        reason = getattr(request, "_refusal_reason", "")
        data = getattr(response, "data", None)  # DRF answers carry {"detail": ...}
        if not reason and isinstance(data, dict) and data.get("detail"):
            reason = str(data["detail"])
        if not reason and getattr(response, "reason_phrase", ""):
            reason = response.reason_phrase
        return f"{request.method} → {response.status_code}: {reason}"
