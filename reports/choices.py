from django.db import models


class LetterKind(models.TextChoices):
    HTNV_ROUND = "htnv-round", "Khắc phục hạn chế sau chấm điểm HTNV (lần chấm)"
    CCHC_REMEDIATION = "cchc-remediation", "Khắc phục tồn tại, hạn chế CCHC"
    DOCUMENT_PROCESSING = "document-processing", "Đẩy mạnh xử lý văn bản và ký số"
    PROCEDURES = "procedures", "Kết quả giải quyết TTHC"
    REMEDIATION_PLAN = "remediation-plan", "Kế hoạch khắc phục HTNV"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class RenderState(models.TextChoices):
    """Where the last rendering of a letter's files stands (polled by the page)."""

    IDLE = "idle", "Chưa xuất tệp"
    QUEUED = "queued", "Đang chờ xuất"
    RUNNING = "running", "Đang xuất tệp"
    DONE = "done", "Đã xuất tệp"
    FAILED = "failed", "Xuất tệp lỗi"
