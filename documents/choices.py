from django.db import models


class Source(models.TextChoices):
    INCOMING = "incoming", "Văn bản đến (QLVB và HSCV)"
    OUTGOING = "outgoing", "Văn bản đi, ký số (QLVB và HSCV)"
    ONLINE_SERVICES = "online_services", "Dịch vụ công trực tuyến"
    PROCEDURES = "procedures", "Thủ tục hành chính (một cửa)"


class BatchStatus(models.TextChoices):
    IMPORTED = "imported", "Đã nhập"
    SUPERSEDED = "superseded", "Đã được thay bằng tệp mới hơn"
    FAILED = "failed", "Bị từ chối"


class Channel(models.TextChoices):
    ONLINE = "online", "Trực tuyến"
    IN_PERSON = "in_person", "Trực tiếp, bưu chính"


class ServiceLevel(models.TextChoices):
    NONE = "", "Không phải DVCTT"
    PARTIAL = "partial", "Một phần"
    FULL = "full", "Toàn trình"
