from rest_framework import serializers

from documents.choices import Source
from documents.models import ImportBatch, MetricValue
from scoring.models import Period


class MetricValueSerializer(serializers.ModelSerializer):
    """One imported value; rates are percentages 0–100, unrounded; ``sheet``/``row``/``column`` say where it was read."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source = serializers.CharField(source="batch.source", read_only=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=6, normalize_output=True, read_only=True)

    class Meta:
        model = MetricValue
        fields = ["id", "unit", "unit_name", "period", "key", "value", "source", "batch", "sheet", "row", "column"]
        read_only_fields = fields


class MessageSerializer(serializers.Serializer):
    """A finding about a file, located in it; ``message`` is the whole Vietnamese sentence."""

    message = serializers.CharField()
    sheet = serializers.CharField(allow_blank=True)
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    expected = serializers.CharField(allow_blank=True)


class ImportBatchSerializer(serializers.ModelSerializer):
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    warnings = MessageSerializer(many=True, read_only=True)
    errors = MessageSerializer(many=True, read_only=True)
    mapping = serializers.DictField(child=serializers.CharField(), read_only=True)
    authority_name = serializers.CharField(
        source="authority.name", read_only=True, allow_null=True, default=None,
        help_text="Cơ quan chấm điểm có số liệu trong tệp (đơn vị gốc); null khi tệp chưa nhập được đơn vị nào.")

    class Meta:
        model = ImportBatch
        fields = ["id", "file_name", "sha256", "source", "period", "authority", "authority_name", "status", "row_count",
                  "value_count", "warnings", "errors", "mapping", "created_by", "created_at", "superseded_by"]
        read_only_fields = fields


def _check_mapping(value):
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise serializers.ValidationError("Cần một đối tượng {\"tên trong tệp\": \"tên đơn vị trong danh mục\"}.")
    return value


class UploadSerializer(serializers.Serializer):
    """A spreadsheet to check (dry run); confirm it afterwards with its upload_id."""

    file = serializers.FileField(help_text="Tệp xuất .xlsx, .xls hoặc .csv của hệ thống tỉnh.")
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all(), help_text="Mã kỳ, ví dụ 2023-H1.")
    source = serializers.ChoiceField(choices=Source.choices, required=False,
                                     help_text="Nguồn; mặc định nhận ra từ dòng tiêu đề.")
    mapping = serializers.JSONField(required=False, help_text="Tên trong tệp → tên đơn vị trong danh mục.")

    def validate_mapping(self, value):
        return _check_mapping(value)


class ConfirmSerializer(serializers.Serializer):
    upload_id = serializers.RegexField(r"^[0-9a-f]{64}$", help_text="upload_id của lần tải lên đã chạy thử.")
    period = serializers.SlugRelatedField(slug_field="code", queryset=Period.objects.all())
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    mapping = serializers.DictField(child=serializers.CharField(), required=False)


class ImportReportSerializer(serializers.Serializer):
    """The dry-run report: what would be stored, per registry unit, and what was found wrong."""

    upload_id = serializers.CharField(allow_blank=True)
    file = serializers.CharField()
    source = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    dry_run = serializers.BooleanField()
    refused = serializers.BooleanField()
    rows = serializers.IntegerField()
    units = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    matched = serializers.DictField(child=serializers.CharField())
    unmatched = serializers.ListField(child=serializers.CharField())
    warnings = MessageSerializer(many=True)
    errors = MessageSerializer(many=True)
    message = serializers.CharField()


class ConfirmResultSerializer(serializers.Serializer):
    created = serializers.BooleanField(help_text="false: tệp này đã là bản hiện hành, không có gì thay đổi.")
    message = serializers.CharField()
    batch = ImportBatchSerializer()
