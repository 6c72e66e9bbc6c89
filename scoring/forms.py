"""Forms of the assessment page: one score row, the filters, an evidence upload.

Score values stay text here: scoring.actions.set_score reads them with common.numbers.parse_number,
so "0,85" and "0.85" mean the same and the range check lives in one place."""

import secrets
import zipfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import transaction

from common.numbers import format_number

from .models import Evidence, Score, ScoreChange


class ScoreForm(forms.Form):
    """What a reviewer may change in one row, with the version they loaded."""

    self_score = forms.CharField(label="Điểm tự đánh giá", required=False, max_length=20)
    appraised_score = forms.CharField(label="Điểm thẩm định", required=False, max_length=20)
    comment = forms.CharField(label="Ý kiến hội đồng thẩm định", required=False, max_length=5000)
    # Required (by scoring.actions.write_score_in_stage) only when the appraised score differs from a proposal.
    proposal_reason = forms.CharField(label="Lý do khác điểm tính từ số liệu", required=False, max_length=1000)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AcceptProposalForm(forms.Form):
    """The reviewer accepts a computed proposal as the appraised score, from the version they loaded."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AssessmentFilterForm(forms.Form):
    """Filters of the criteria tree; every field optional, the GET query keeps them in the address."""

    deducted = forms.BooleanField(label="Chỉ tiêu chí bị trừ điểm", required=False)
    unit = forms.TypedChoiceField(label="Đơn vị chịu trách nhiệm", required=False, coerce=int, empty_value=None)
    area = forms.TypedChoiceField(label="Lĩnh vực", required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, units, areas):
        super().__init__(data)
        self.fields["unit"].choices = [("", "Tất cả đơn vị")] + [(u.pk, u.name) for u in units]
        self.fields["area"].choices = [("", "Tất cả lĩnh vực")] + [(a.pk, f"{a.code}. {a.name}") for a in areas]


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str
    inline: bool  # shown in the browser (PDF, images) rather than downloaded


PDF = FileKind("application/pdf", "PDF", True)
PNG = FileKind("image/png", "ảnh PNG", True)
JPEG = FileKind("image/jpeg", "ảnh JPEG", True)
GIF = FileKind("image/gif", "ảnh GIF", True)
WEBP = FileKind("image/webp", "ảnh WebP", True)
OLD_OFFICE = FileKind("application/x-ole-storage", "tệp Office (doc, xls, ppt)", False)
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "tệp Word", False)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "tệp Excel", False)
PPTX = FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "tệp PowerPoint", False)
ODF = {
    b"application/vnd.oasis.opendocument.text": FileKind("application/vnd.oasis.opendocument.text", "tệp ODT", False),
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind(
        "application/vnd.oasis.opendocument.spreadsheet", "tệp ODS", False),
}
ACCEPTED = "PDF, ảnh (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, ODT, ODS"


def detect_kind(head: bytes, upload) -> FileKind | None:
    """The kind of a file from its first bytes (and, for a zip, the parts inside); None if not accepted.

    The name and the browser's content type are ignored: both are whatever the sender says."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLD_OFFICE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def _zip_kind(upload) -> FileKind | None:
    """An office file is a zip with known parts; any other zip is refused."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return ODF.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Tệp tài liệu kiểm chứng")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"Tệp {upload.name} nặng {format_number(upload.size)} byte, quá giới hạn "
                f"{format_number(limit)} byte ({format_number(limit / 1024 / 1024, 1)} MB)."
            )
        if upload.size == 0:
            raise forms.ValidationError(f"Tệp {upload.name} rỗng.")
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        kind = detect_kind(head, upload)
        if kind is None:
            raise forms.ValidationError(
                f"Tệp {upload.name} không phải loại được nhận (nội dung tệp không khớp loại nào). "
                f"Chỉ nhận: {ACCEPTED}."
            )
        self.kind = kind
        return upload


@transaction.atomic
def attach_evidence(score: Score, upload, kind: FileKind, *, acting_user) -> Evidence:
    """Store one evidence file on a score and record it in the score's history.

    Kept beside the form for now; it belongs with the other audited writes in scoring/actions.py."""
    evidence = Evidence(
        score=score, original_name=upload.name[:255], content_type=kind.content_type, size=upload.size,
        uploaded_by=acting_user,
    )
    # A random stored name: the original one may hold anything, and guessing a path gives nothing.
    evidence.file.save(f"{score.pk}-{secrets.token_hex(16)}", upload, save=False)
    evidence.save()
    ScoreChange.objects.create(
        score=score, field="evidence_file", old_value="", new_value=evidence.original_name,
        reason="Tải lên tài liệu kiểm chứng", changed_by=acting_user,
    )
    return evidence



# --- the appraisal rounds --------------------------------------------------------------------------

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})


class StartRoundsForm(forms.Form):
    """The four deadlines of an assessment's rounds, as dates (dd/mm/yyyy): each stage closes at the
    end of its day (23:59, Asia/Ho_Chi_Minh)."""

    self_assessment = forms.DateField(label="Hạn tự đánh giá, nộp TLKC", input_formats=["%d/%m/%Y"], widget=DATE_INPUT)
    appraisal_1 = forms.DateField(label="Hạn thẩm định lần 1", input_formats=["%d/%m/%Y"], widget=DATE_INPUT)
    explanation = forms.DateField(label="Hạn giải trình, bổ sung TLKC", input_formats=["%d/%m/%Y"], widget=DATE_INPUT)
    appraisal_2 = forms.DateField(label="Hạn thẩm định lần 2", input_formats=["%d/%m/%Y"], widget=DATE_INPUT)

    def deadlines(self) -> dict:
        from datetime import datetime, time

        from django.utils import timezone

        zone = timezone.get_current_timezone()
        return {name: datetime.combine(day, time(23, 59), tzinfo=zone) for name, day in self.cleaned_data.items()}

    def clean(self):
        data = super().clean()
        days = [data.get(name) for name in self.fields]
        if all(days) and days != sorted(days):
            raise forms.ValidationError("Hạn các giai đoạn phải theo thứ tự: tự đánh giá, thẩm định lần 1, giải trình, thẩm định lần 2.")
        return data


class ReopenStageForm(forms.Form):
    stage = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do mở lại", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class PortalScoreForm(EvidenceForm):
    """What a unit head sends for one of their criteria: a self-assessed score, an explanation, a file
    of evidence — each only when the open stage allows it (scoring.actions.write_score_in_stage)."""

    self_score = forms.CharField(label="Điểm tự đánh giá", required=False, max_length=20)
    explanation = forms.CharField(label="Giải trình", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = "Tài liệu kiểm chứng bổ sung"

    def clean_file(self):
        if not self.cleaned_data.get("file"):
            return None
        return super().clean_file()


class TaskProgressForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái")
    progress = forms.CharField(label="Tiến độ", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .choices import TaskStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = TaskStatus.choices
