from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reports.choices import LetterKind
from reports.models import Letter, LetterVersion
from scoring.models import CriteriaSet, Period
from units.models import Unit


class LetterSerializer(serializers.ModelSerializer):
    """A letter or plan; ``pdf_url``/``docx_url`` are null until the rendering task has written the files."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True, allow_null=True, default=None,
                                           help_text="Cơ quan ban hành (đơn vị gốc); null với văn bản cũ chưa xác định.")
    pdf_url = serializers.SerializerMethodField()
    docx_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = ["id", "kind", "kind_display", "period", "assessment", "authority", "authority_name", "number", "date", "subject", "recipients",
                  "signer", "status", "render_state", "render_error", "rendered_at", "pdf_url", "docx_url", "created_by",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def _url(self, obj, fmt):
        if not getattr(obj, fmt):
            return None
        path = reverse(f"api:letter-{fmt}", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, obj):
        return self._url(obj, "pdf")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_docx_url(self, obj):
        return self._url(obj, "docx")


class RenderRequestSerializer(serializers.Serializer):
    """Which letter to draft and render: its kind and period, and the criteria set when the period has several."""

    kind = serializers.ChoiceField(choices=LetterKind.choices)
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all())
    criteria_set = serializers.SlugRelatedField(slug_field="code", queryset=CriteriaSet.objects.all(), required=False)
    authority = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(authority__isnull=False), required=False,
        help_text="Mã đơn vị gốc của cơ quan ban hành; mặc định cơ quan của người dùng (bắt buộc là cơ quan ấy "
                  "khi tài khoản gắn với một cơ quan).",
    )
    format = serializers.ChoiceField(choices=["all", "pdf", "docx"], default="all")


class RenderAcceptedSerializer(serializers.Serializer):
    task_id = serializers.CharField(help_text="Mã tác vụ dựng tệp (Celery).")
    letter = LetterSerializer()


class FactChangeSerializer(serializers.Serializer):
    """One figure or line that differs from the previous version: where, which, old → new ("" if absent)."""

    section = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField(allow_blank=True)
    new = serializers.CharField(allow_blank=True)


class LetterVersionSerializer(serializers.ModelSerializer):
    """An issued version: its number and date, who issued it and when, the SHA-256 of its frozen facts,
    the reason of a correction, and ``changes`` from the version before it (empty for version 1)."""

    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = LetterVersion
        fields = ["version", "number", "date", "sha256", "reason", "issued_by", "issued_at", "changes"]
        read_only_fields = fields

    @extend_schema_field(FactChangeSerializer(many=True))
    def get_changes(self, obj):
        changes = self.context.get("changes", {}).get(obj.version, [])
        return FactChangeSerializer(changes, many=True).data


class IssueRequestSerializer(serializers.Serializer):
    """Issue a draft under the number and date the document system gave it."""

    number = serializers.CharField(max_length=40, help_text="Số ký hiệu do hệ thống văn bản cấp.",
                                   error_messages={"required": "Cần nhập số văn bản do hệ thống văn bản cấp.",
                                                   "blank": "Cần nhập số văn bản do hệ thống văn bản cấp."})
    date = serializers.DateField(help_text="Ngày ban hành (YYYY-MM-DD).",
                                 error_messages={"required": "Cần nhập ngày ban hành.",
                                                 "invalid": "Ngày ban hành không hợp lệ (YYYY-MM-DD)."})


class CorrectionRequestSerializer(serializers.Serializer):
    """A new version of an issued letter: a reason always; a new number or date when it has them."""

    reason = serializers.CharField(max_length=1000,
                                   error_messages={"required": "Cần ghi lý do ban hành lại / đính chính văn bản.",
                                                   "blank": "Cần ghi lý do ban hành lại / đính chính văn bản."})
    number = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                   help_text="Để trống: giữ số của phiên bản trước.")
    date = serializers.DateField(required=False, allow_null=True, help_text="Để trống: giữ ngày của phiên bản trước.",
                                 error_messages={"invalid": "Ngày ban hành không hợp lệ (YYYY-MM-DD)."})
