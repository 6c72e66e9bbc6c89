from django.db import models


class SubjectKind(models.TextChoices):
    """Which kind of unit a criteria set scores. The labels name no tier of the scoring authority:
    "district" is a UBND scored as a whole, its figures summed over the units under it
    (scoring.computing.compute.unit_metrics), whether a district by its province or any other."""

    DISTRICT = "district", "UBND toàn địa bàn (gồm các đơn vị trực thuộc)"
    COMMUNE = "commune", "UBND cấp xã"
    DEPARTMENT = "department", "Cơ quan chuyên môn, đơn vị trực thuộc"


class SetKind(models.TextChoices):
    CCHC = "cchc", "Chỉ số CCHC"
    HTNV = "htnv", "Mức độ hoàn thành nhiệm vụ"


class Rounding(models.TextChoices):
    HALF_UP = "half_up", "Làm tròn (nửa lên)"
    TRUNCATE = "truncate", "Cắt bỏ phần thập phân"


class Level(models.TextChoices):
    AREA = "area", "Lĩnh vực"
    CRITERION = "criterion", "Tiêu chí"
    SUB_CRITERION = "sub_criterion", "Tiêu chí thành phần"


class Method(models.TextChoices):
    MANUAL = "manual", "Chấm thủ công"
    METRIC = "metric", "Theo công thức số liệu"
    STEPS = "steps", "Theo bảng bậc"
    REFERENCE = "reference", "Theo chỉ số của bộ tiêu chí khác"


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", "6 tháng đầu năm"
    YEAR = "year", "Năm"
    ROUND = "round", "Lần chấm"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SELF_ASSESSED = "self_assessed", "Đã tự đánh giá"
    APPRAISED = "appraised", "Đã thẩm định"
    LOCKED = "locked", "Đã chốt điểm"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
