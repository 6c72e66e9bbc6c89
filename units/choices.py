from django.db import models


class UnitKind(models.TextChoices):
    AUTHORITY = "authority", "Cơ quan chấm điểm (UBND)"
    COUNCIL = "council", "HĐND"
    OFFICE = "office", "Văn phòng HĐND và UBND"
    DEPARTMENT = "department", "Cơ quan chuyên môn"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp"
    COMMUNE = "commune", "Xã"
    TOWN = "town", "Thị trấn"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    VERTICAL = "vertical", "Cơ quan ngành dọc"
    ONE_STOP = "one_stop", "Bộ phận Một cửa"


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Cán bộ chấm điểm (Phòng/Sở Nội vụ)"
    UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
    VIEWER = "viewer", "Lãnh đạo (chỉ xem)"


class SourceSystem(models.TextChoices):
    """Provincial systems whose exports name units by their own codes."""

    QLVB = "qlvb", "QLVB và HSCV"
    DVC = "dvc", "Cổng Dịch vụ công"
    MOTCUA = "motcua", "Hệ thống một cửa điện tử"


class AuthorityLevel(models.TextChoices):
    """The tier of the authority at the root of a unit tree."""

    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"


class SuccessionKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    RENAME = "rename", "Đổi tên"
