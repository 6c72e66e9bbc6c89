"""The answer to a request that failed (config.urls.handler500): a database that does not answer is
a 503 saying so, to be tried again (PostgreSQL restarting, a connection cut), anything else a 500; in
Vietnamese, never a trace. The pages are rendered without the request: its context processors would
ask the database that has just failed."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = "Cơ sở dữ liệu tạm thời không trả lời. Xin thử lại sau ít phút; dữ liệu đã lưu không bị mất."
FAILED = "Đã có lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; xin thử lại hoặc báo người quản trị hệ thống."


def server_error(request, *args, **kwargs):
    failure = sys.exc_info()[1]
    database_down = isinstance(failure, (OperationalError, InterfaceError))
    status, title, message = (503, "Tạm thời gián đoạn", DATABASE_DOWN) if database_down \
        else (500, "Có lỗi xảy ra", FAILED)
    if database_down:
        log.warning("database unavailable for %s %s: %s", request.method, request.path, failure)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        page = loader.get_template("failure.html").render({"title": title, "message": message})
        response = HttpResponse(page, status=status)
    if database_down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
