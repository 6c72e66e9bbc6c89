"""Criteria catalogue, periods, assessments, scores and their audit, remediation tasks.

A deduction is always derived (appraised − max), never stored; every change of a score goes
through scoring.actions and leaves a ScoreChange row."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from units.models import Unit

from .choices import AssessmentStatus, Level, Method, PeriodKind, Rounding, SetKind, SubjectKind, TaskStatus

SCORE_FIELD = dict(max_digits=7, decimal_places=2)


class CriteriaSet(models.Model):
    """A published criteria set (e.g. the 2023 CCHC index for districts, QĐ 1325/QĐ-UBND)."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên bộ tiêu chí", max_length=300)
    kind = models.CharField("loại", max_length=10, choices=SetKind.choices)
    legal_basis = models.CharField("căn cứ ban hành", max_length=300, blank=True)
    year = models.PositiveSmallIntegerField("năm")
    subject_kind = models.CharField("đối tượng chấm", max_length=20, choices=SubjectKind.choices)
    rounding = models.CharField("quy tắc làm tròn", max_length=10, choices=Rounding.choices, default=Rounding.HALF_UP)
    rounding_places = models.PositiveSmallIntegerField("số chữ số thập phân", default=2)
    class_bands = models.JSONField(
        "bậc xếp loại", default=list, blank=True,
        help_text='Danh sách {"min": điểm tối thiểu, "label": "Hoàn thành xuất sắc nhiệm vụ"}, từ cao xuống thấp.',
    )
    notes = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-year", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"


class Criterion(models.Model):
    """An area, criterion or sub-criterion of a set, with its max score and how it is scored."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name="bộ tiêu chí")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="thuộc")
    code = models.CharField("mã", max_length=30, help_text="Như văn bản in: 1.1.3, 3.12.2, I.A.1.4.b, VI.2.c, II")
    name = models.TextField("nội dung")
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    max_score = models.DecimalField("điểm tối đa", **SCORE_FIELD)
    method = models.CharField("cách chấm", max_length=20, choices=Method.choices, default=Method.MANUAL)
    formula = models.JSONField(
        "công thức", default=dict, blank=True,
        help_text="Với cách chấm theo số liệu: tử số, mẫu số (khóa số liệu chuẩn), bảng bậc, căn cứ.",
    )
    rounding = models.CharField("làm tròn riêng", max_length=10, choices=Rounding.choices, blank=True)
    rounding_places = models.PositiveSmallIntegerField("số chữ số thập phân riêng", null=True, blank=True)
    guidance = models.TextField("hướng dẫn chấm", blank=True)
    provenance = models.TextField(
        "nguồn", blank=True,
        help_text="Tên và điểm lấy từ đâu (văn bản gốc, suy ra từ mã, hay dòng bổ sung), để người xem biết dòng nào chưa đối chiếu.",
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    responsible_units = models.ManyToManyField(
        Unit, through="CriterionResponsibility", related_name="criteria", blank=True, verbose_name="đơn vị phụ trách",
    )

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_criterion_code_per_set")]

    def __str__(self):
        return f"{self.code} {self.name[:60]}"


class CriterionResponsibility(models.Model):
    """A unit responsible for a criterion; exactly one leads (chủ trì), others cooperate."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="criterion_responsibilities", verbose_name="đơn vị")
    is_lead = models.BooleanField("chủ trì", default=False)

    class Meta:
        verbose_name = "đơn vị phụ trách tiêu chí"
        verbose_name_plural = "đơn vị phụ trách tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="unique_responsibility"),
            models.UniqueConstraint(fields=["criterion"], condition=models.Q(is_lead=True), name="one_lead_per_criterion"),
        ]


class Period(models.Model):
    """An assessment period; provincial systems count from 15/12 of the year before."""

    code = models.SlugField("mã", max_length=20, unique=True, help_text="2023-H1, 2023, 2023-R1")
    name = models.CharField("tên", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "start", "code"]
        constraints = [models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="period_start_before_end")]

    def __str__(self):
        return self.name


class Assessment(models.Model):
    """One unit scored against one set for one period. The criteria in scope are those with a Score."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="assessments", verbose_name="bộ tiêu chí")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="assessments", verbose_name="kỳ")
    subject = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name="đơn vị được chấm")
    status = models.CharField("trạng thái", max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    notes = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
        ordering = ["-period__year", "criteria_set__code", "subject__name"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "period", "subject"], name="unique_assessment")]

    def __str__(self):
        return f"{self.criteria_set.code} {self.period.code} — {self.subject}"


class Score(models.Model):
    """The scores of one criterion in one assessment: self-assessed, computed, appraised."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="đợt đánh giá")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="tiêu chí")
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **SCORE_FIELD)
    computed_score = models.DecimalField("điểm tính từ số liệu", null=True, blank=True, **SCORE_FIELD)
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **SCORE_FIELD)
    comment = models.TextField("ý kiến hội đồng thẩm định", blank=True)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    responsible_text = models.TextField("đơn vị chịu trách nhiệm (nội dung)", blank=True)
    responsible_units = models.ManyToManyField(Unit, blank=True, related_name="scores", verbose_name="đơn vị chịu trách nhiệm")
    version = models.PositiveIntegerField("phiên bản", default=1, help_text="Tăng mỗi lần sửa, để hai người sửa cùng lúc không ghi đè nhau.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        ordering = ["assessment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="unique_score")]

    def __str__(self):
        return f"{self.criterion.code}: {self.appraised_score}"

    @property
    def deduction(self) -> Decimal | None:
        """Appraised − max, shown negative (−1,15); None until appraised."""
        if self.appraised_score is None:
            return None
        return self.appraised_score - self.criterion.max_score


class ScoreChange(models.Model):
    """Audit of a score: who changed which field, when, from what to what, and why."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField("trường", max_length=40)
    old_value = models.TextField("giá trị cũ", blank=True)
    new_value = models.TextField("giá trị mới", blank=True)
    reason = models.TextField("lý do", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="người sửa")
    changed_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "lịch sử sửa điểm"
        verbose_name_plural = "lịch sử sửa điểm"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.score} {self.field}: {self.old_value} → {self.new_value}"


class RemediationTask(models.Model):
    """A task of a remediation plan: what a unit must do about a deducted criterion or a weak metric."""

    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks", verbose_name="đợt đánh giá")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks", verbose_name="tiêu chí")
    metric_key = models.CharField("chỉ số", max_length=60, blank=True)
    responsible_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tasks", verbose_name="đơn vị thực hiện")
    action = models.TextField("nội dung khắc phục")
    deadline = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    progress = models.TextField("tiến độ", blank=True)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "nhiệm vụ khắc phục"
        verbose_name_plural = "nhiệm vụ khắc phục"
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.responsible_unit}: {self.action[:60]}"


class Evidence(models.Model):
    """A file of evidence (tài liệu kiểm chứng) attached to one score.

    Stored under MEDIA_ROOT with a random name and never served from MEDIA_URL: the evidence view
    checks who asks before it streams the file. The kind is what the file's first bytes say it is,
    not what its name claims."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence_files", verbose_name="điểm tiêu chí")
    file = models.FileField("tệp", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    content_type = models.CharField("loại nội dung", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)

    class Meta:
        verbose_name = "tệp tài liệu kiểm chứng"
        verbose_name_plural = "tệp tài liệu kiểm chứng"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
