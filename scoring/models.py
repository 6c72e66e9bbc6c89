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
    # A catalogue that holds part of a set only (the seeds give HTNV 2023's criteria that lost points,
    # not the whole QĐ 1371): its index is over what it holds, so no class is given from it.
    complete = models.BooleanField(
        "danh mục đầy đủ", default=True,
        help_text="Bỏ chọn khi danh mục chỉ có một phần bộ tiêu chí (ví dụ chỉ các tiêu chí bị trừ điểm): "
                  "chỉ số khi đó chỉ tính trên phần có trong danh mục, nên không xếp loại.",
    )
    notes = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["-year", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def class_for(self, index_percent) -> str | None:
        """The class (HTNV "Hoàn thành xuất sắc nhiệm vụ"…) of an index in percent by the set's bands;
        None without bands, without an index, or for a catalogue that is not complete."""
        from .engine import classify

        if not (self.complete and self.class_bands) or index_percent is None:
            return None
        return classify(index_percent, self.class_bands)


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

    # No index of its own: unique_score (assessment, criterion) serves every lookup by assessment, and a
    # fourth index on the table made every recompute's UPDATE a quarter more index work.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="đợt đánh giá",
                                   db_index=False)
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="tiêu chí")
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **SCORE_FIELD)
    computed_score = models.DecimalField("điểm tính từ số liệu", null=True, blank=True, **SCORE_FIELD)
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **SCORE_FIELD)
    comment = models.TextField("ý kiến hội đồng thẩm định", blank=True)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    explanation = models.TextField(
        "giải trình của đơn vị", blank=True,
        help_text="Đơn vị chịu trách nhiệm giải trình ý kiến hội đồng thẩm định (giai đoạn giải trình).",
    )
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


class StageKind(models.TextChoices):
    """The stages of an appraisal, in the order councils run them (kept beside AssessmentStage,
    whose ``position`` follows this order)."""

    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá, nộp tài liệu kiểm chứng"
    APPRAISAL_1 = "appraisal_1", "Thẩm định lần 1"
    EXPLANATION = "explanation", "Giải trình, bổ sung tài liệu kiểm chứng"
    APPRAISAL_2 = "appraisal_2", "Thẩm định lần 2"


class AssessmentStage(models.Model):
    """One stage of an assessment's appraisal rounds, with its own deadline.

    The open stage is the first one opened and not yet closed; when the last closes, the assessment is
    locked (chốt điểm). A stage closes by a reviewer's action or by itself at its deadline (the
    periodic task of scoring.tasks); ``closed_by`` is empty when the deadline closed it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="stages", verbose_name="đợt đánh giá")
    kind = models.CharField("giai đoạn", max_length=20, choices=StageKind.choices)
    position = models.PositiveSmallIntegerField("thứ tự")
    deadline = models.DateTimeField("hạn chót", null=True, blank=True)
    opened_at = models.DateTimeField("mở lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người kết thúc",
    )

    class Meta:
        verbose_name = "giai đoạn chấm điểm"
        verbose_name_plural = "giai đoạn chấm điểm"
        ordering = ["assessment", "position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "kind"], name="unique_stage_per_assessment")]
        indexes = [models.Index(fields=["closed_at", "deadline"], name="stage_open_deadline")]

    def __str__(self):
        return f"{self.assessment}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class AssessmentStageChange(models.Model):
    """Audit of the rounds: a stage started, closed (by whom, or by its deadline), reopened by an admin."""

    class Action(models.TextChoices):
        START = "start", "Bắt đầu các vòng chấm"
        CLOSE = "close", "Kết thúc giai đoạn"
        DEADLINE = "deadline", "Hết hạn, tự kết thúc"
        REOPEN = "reopen", "Mở lại"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="stage_changes", verbose_name="đợt đánh giá")
    stage = models.CharField("giai đoạn", max_length=20, choices=StageKind.choices)
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    reason = models.TextField("lý do", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="người thực hiện")
    changed_at = models.DateTimeField("thời điểm")

    class Meta:
        verbose_name = "lịch sử vòng chấm"
        verbose_name_plural = "lịch sử vòng chấm"
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.assessment}: {self.get_action_display()} {self.get_stage_display()}"


class Notification(models.Model):
    """A message in the app for one user (the bell in the header); also sent by e-mail.

    ``key`` names what the message is about (a stage's deadline reminder) so that the periodic task
    never sends it twice to the same user; messages that may repeat leave it empty."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="người nhận")
    text = models.TextField("nội dung")
    url = models.CharField("đường dẫn", max_length=300, blank=True)
    key = models.CharField("khóa chống gửi trùng", max_length=100, blank=True)
    created = models.DateTimeField("thời điểm", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.user}: {self.text[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MappingRelation(models.TextChoices):
    """How a criterion of a new set relates to last year's (kept here rather than in choices.py, which
    this change does not own)."""

    SAME = "same", "Giữ nguyên"
    RENAMED = "renamed", "Đổi tên/mã"
    SPLIT = "split", "Tách từ tiêu chí cũ"
    MERGED = "merged", "Gộp từ các tiêu chí cũ"
    NEW = "new", "Tiêu chí mới"
    DROPPED = "dropped", "Bỏ, không còn trong bộ mới"


class CriterionMapping(models.Model):
    """One link between a criterion of last year's set and one of the new set.

    ``same``/``renamed``: one old → one new. ``split``: one old → several new (one row per new).
    ``merged``: several old → one new (one row per old). ``new``: no old (``from_criterion`` empty).
    ``dropped``: no new (``to_criterion`` empty). The two sets are the rows' own; a row says which
    pair of sets it belongs to so that a dropped or new criterion still knows the other year."""

    from_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="mappings_out", verbose_name="bộ năm trước")
    to_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="mappings_in", verbose_name="bộ năm sau")
    from_criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="mapped_to", verbose_name="tiêu chí năm trước",
    )
    to_criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.CASCADE, related_name="mapped_from", verbose_name="tiêu chí năm sau",
    )
    relation = models.CharField("quan hệ", max_length=10, choices=MappingRelation.choices)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "đối chiếu tiêu chí giữa hai năm"
        verbose_name_plural = "đối chiếu tiêu chí giữa hai năm"
        ordering = ["to_set", "from_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["from_criterion", "to_criterion"], name="unique_criterion_mapping"),
            models.CheckConstraint(
                condition=models.Q(from_criterion__isnull=False) | models.Q(to_criterion__isnull=False),
                name="mapping_has_a_side",
            ),
        ]

    def __str__(self):
        old = self.from_criterion.code if self.from_criterion_id else "—"
        new = self.to_criterion.code if self.to_criterion_id else "—"
        return f"{self.from_set.code} {old} → {self.to_set.code} {new} ({self.get_relation_display()})"


class ScoreTrace(models.Model):
    """The metric values a computed score was made from, as they were when it was computed.

    Written by scoring.actions.store_computed_for beside the proposal. ``inputs`` is a list of
    {"id", "unit", "key", "value", "batch", "sheet", "row", "column"}: the MetricValue id and its value
    at compute time plus where it was read (a later import replaces the MetricValue rows, so the
    cell is kept here too). ``digest`` lets a recompute skip rewriting an unchanged trace."""

    score = models.OneToOneField(Score, on_delete=models.CASCADE, primary_key=True, related_name="trace", verbose_name="điểm tiêu chí")
    # Three columns only: a province-sized first recompute writes tens of thousands of these, and the
    # proposal itself and when it was computed are already on the Score and its ScoreChange rows.
    inputs = models.JSONField("số liệu đã dùng", default=list)
    digest = models.CharField("mã băm số liệu", max_length=32)

    class Meta:
        verbose_name = "nguồn số liệu của điểm tính"
        verbose_name_plural = "nguồn số liệu của điểm tính"

    def __str__(self):
        return f"{self.score_id}: {len(self.inputs)} giá trị"
