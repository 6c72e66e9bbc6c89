"""Forms of the import pages: the upload, and the mapping of names the registry did not find."""

from pathlib import Path

from django import forms
from django.conf import settings

from scoring.models import Period
from units.models import Unit

from .choices import Source
from .importing.reading import XLS_MAGIC, XLSX_MAGIC

EXTENSIONS = {".xlsx": XLSX_MAGIC, ".xls": XLS_MAGIC, ".csv": None}


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp số liệu (.xlsx, .xls, .csv)")
    period = forms.ModelChoiceField(Period.objects.order_by("-end", "code"), label="Kỳ", to_field_name="code")
    source = forms.ChoiceField(label="Nguồn", required=False,
                               choices=[("", "Tự nhận ra từ dòng tiêu đề")] + list(Source.choices))

    def clean_file(self):
        """Refuse before anything is stored: too large, a name that is no spreadsheet, or content
        that does not match the name (a renamed executable, a .xlsx that is no zip)."""
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"Tệp có dung lượng {upload.size / 1024 / 1024:.1f} MB, vượt giới hạn {limit / 1024 / 1024:.0f} MB.")
        suffix = Path(upload.name).suffix.lower()
        if suffix not in EXTENSIONS:
            raise forms.ValidationError("Chỉ nhận tệp .xlsx, .xls hoặc .csv.")
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        magic = EXTENSIONS[suffix]
        if magic is not None and not head.startswith(magic):
            raise forms.ValidationError(f"Nội dung tệp không phải bảng tính {suffix}: tệp bị hỏng hoặc bị đổi tên.")
        if magic is None and (b"\x00" in head or head.startswith((XLSX_MAGIC, XLS_MAGIC))):
            raise forms.ValidationError("Nội dung tệp không phải văn bản CSV: hãy lưu lại dưới dạng CSV UTF-8.")
        return upload


class MappingForm(forms.Form):
    """One unit choice per unmatched name, and whether to keep the name as the unit's alias."""

    def __init__(self, *args, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        units = Unit.objects.order_by("sort_order", "name")
        for i, name in enumerate(names):
            self.fields[f"unit_{i}"] = forms.ModelChoiceField(units, required=False, label=name,
                                                              empty_label="— chưa chỉ định —")
            self.fields[f"alias_{i}"] = forms.BooleanField(required=False, initial=True,
                                                           label="Lưu làm tên gọi khác của đơn vị")

    def rows(self):
        return [(name, self[f"unit_{i}"], self[f"alias_{i}"]) for i, name in enumerate(self.names)]

    def mapping(self) -> dict:
        """{name in file: Unit} for the names given a unit."""
        return {name: self.cleaned_data[f"unit_{i}"] for i, name in enumerate(self.names)
                if self.cleaned_data.get(f"unit_{i}")}

    def aliases(self) -> dict:
        return {name: unit for i, (name, unit) in enumerate(
            (n, self.cleaned_data.get(f"unit_{j}")) for j, n in enumerate(self.names))
            if unit is not None and self.cleaned_data.get(f"alias_{i}")}
