"""Letters and plans drafted from the data and rendered to PDF and DOCX."""

from django.conf import settings
from django.db import models

from scoring.models import Assessment, Period

from .choices import LetterKind, LetterStatus, RenderState


class Letter(models.Model):
    """A công văn or kế hoạch: facts come from the data, free text is the reviewer's."""

    kind = models.CharField("loại văn bản", max_length=30, choices=LetterKind.choices)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="letters", verbose_name="kỳ")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="letters", verbose_name="đợt đánh giá")
    # The root unit of the authority whose heading the letter prints and whose units' figures it
    # reads: two authorities each keep their own letter of a kind for the same period. Null only on
    # rows the migration could not place (no authority declared when they were drafted).
    authority = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="letters",
                                  verbose_name="cơ quan chấm điểm")
    number = models.CharField("số", max_length=40, blank=True, help_text="Để trống: hệ thống văn bản cấp số khi ban hành.")
    date = models.DateField("ngày", null=True, blank=True)
    subject = models.TextField("trích yếu (V/v)", blank=True)
    recipients = models.JSONField("kính gửi", default=list, blank=True)
    body = models.JSONField("nội dung soạn thảo", default=dict, blank=True)
    signer = models.CharField("người ký", max_length=100, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT)
    pdf = models.FileField("tệp PDF", upload_to="letters/", blank=True)
    docx = models.FileField("tệp DOCX", upload_to="letters/", blank=True)
    render_state = models.CharField("xuất tệp", max_length=10, choices=RenderState.choices, default=RenderState.IDLE)
    render_error = models.TextField("lỗi khi xuất tệp", blank=True)
    rendered_at = models.DateTimeField("xuất tệp lúc", null=True, blank=True)
    # Kept apart from updated_at (which the rendering itself bumps): files older than the last edit
    # of the draft are out of date, and the page says so until they are rendered again.
    edited_at = models.DateTimeField("sửa dự thảo lúc", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="người soạn")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.period}"

    @property
    def files_out_of_date(self) -> bool:
        """True when the draft was edited after its files were last rendered."""
        has_files = bool(self.pdf or self.docx)
        return has_files and self.edited_at is not None and (self.rendered_at is None or self.rendered_at < self.edited_at)


class LetterVersion(models.Model):
    """What an issued letter said, frozen when it was issued (number and date entered).

    ``facts`` is the complete LetterDocument of reports.facts (every worded line, table cell and
    headline figure) plus the scores or metrics it was built from, serialised canonically (sorted
    keys, no spaces), and ``sha256`` is the hash of exactly that text. Rendering an issued letter
    reads its latest version, so a later correction of the data never changes what was issued; a
    correction of the letter itself is a new version (reports.freezing.reissue_letter)."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="versions", verbose_name="văn bản")
    version = models.PositiveIntegerField("phiên bản")
    number = models.CharField("số", max_length=40)
    date = models.DateField("ngày ban hành")
    facts = models.TextField("nội dung đã chốt (JSON)")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    reason = models.TextField("lý do ban hành lại", blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="người ban hành")
    issued_at = models.DateTimeField("ban hành lúc")
    # Files of this version rendered on request (reports.rendering_service.render_and_store with a
    # version): derived from ``facts`` only, so rendering again gives the letter exactly as issued.
    pdf = models.FileField("tệp PDF", upload_to="letters/versions/", blank=True)
    docx = models.FileField("tệp DOCX", upload_to="letters/versions/", blank=True)
    render_state = models.CharField("xuất tệp", max_length=10, choices=RenderState.choices, default=RenderState.IDLE)
    render_error = models.TextField("lỗi khi xuất tệp", blank=True)
    rendered_at = models.DateTimeField("xuất tệp lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phiên bản văn bản đã ban hành"
        verbose_name_plural = "phiên bản văn bản đã ban hành"
        ordering = ["letter", "-version"]
        constraints = [models.UniqueConstraint(fields=["letter", "version"], name="unique_letter_version")]

    def __str__(self):
        return f"{self.letter} — phiên bản {self.version} (số {self.number})"
