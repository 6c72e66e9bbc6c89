from decimal import ROUND_HALF_UP

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scoring.choices import TaskStatus
from scoring.models import Assessment, CriteriaSet, Criterion, CriterionResponsibility, Period, RemediationTask, Score


def score_field(max_digits=7, **kwargs):
    """A score as the API writes it: a string with two decimals, rounded half-up."""
    return serializers.DecimalField(max_digits=max_digits, decimal_places=2, rounding=ROUND_HALF_UP, **kwargs)


class CriteriaSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriteriaSet
        fields = ["id", "code", "name", "kind", "legal_basis", "year", "subject_kind", "rounding",
                  "rounding_places", "class_bands", "complete", "notes"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = CriterionResponsibility
        fields = ["unit", "unit_name", "is_lead"]


class CriterionSerializer(serializers.ModelSerializer):
    criteria_set = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "criteria_set", "parent", "code", "name", "level", "max_score", "method", "formula",
                  "rounding", "rounding_places", "guidance", "position", "responsibilities"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "code", "name", "kind", "year", "start", "end"]


class AssessmentTotalsSerializer(serializers.Serializer):
    """Totals over the criteria appraised so far; the index is Σ appraised / Σ max in percent."""

    max_total = score_field(max_digits=12)
    appraised_total = score_field(max_digits=12)
    deduction_total = score_field(max_digits=12)
    deducted_count = serializers.IntegerField()
    index_percent = score_field(allow_null=True)


class AssessmentSerializer(serializers.ModelSerializer):
    criteria_set = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "criteria_set", "period", "subject", "subject_name", "status", "notes", "created_at",
                  "updated_at", "totals"]

    @extend_schema_field(AssessmentTotalsSerializer)
    def get_totals(self, obj):
        summary = self.context.get("totals", {}).get(obj.pk)
        return AssessmentTotalsSerializer(summary).data if summary else None


class ScoreSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)
    max_score = score_field(source="criterion.max_score", read_only=True)
    deduction = score_field(read_only=True, allow_null=True)

    class Meta:
        model = Score
        fields = ["id", "assessment", "criterion", "criterion_code", "max_score", "self_score", "computed_score",
                  "appraised_score", "deduction", "comment", "evidence", "responsible_text", "responsible_units",
                  "version", "updated_at"]
        read_only_fields = fields


class ScoreUpdateSerializer(serializers.Serializer):
    """What a reviewer may change on a score through the API; give the version you read (or If-Match)."""

    self_score = score_field(required=False, allow_null=True)
    appraised_score = score_field(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    reason = serializers.CharField(required=False, allow_blank=True,
                                   help_text="Lý do sửa, ghi vào lịch sử điểm. Bắt buộc khi appraised_score khác "
                                             "điểm tính từ số liệu (computed_score): lý do khác điểm tính.")
    version = serializers.IntegerField(required=False, min_value=1, help_text="Phiên bản đã đọc (hoặc gửi If-Match).")


class AcceptComputedSerializer(serializers.Serializer):
    """Accept the computed proposal as the appraised score; give the version you read (or If-Match)."""

    version = serializers.IntegerField(required=False, min_value=1, help_text="Phiên bản đã đọc (hoặc gửi If-Match).")


class StaleScoreSerializer(serializers.Serializer):
    """A stale write: nothing was saved; ``current`` is what is stored now."""

    detail = serializers.CharField()
    current = ScoreSerializer()


class RemediationTaskSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True, allow_null=True, default=None)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)

    class Meta:
        model = RemediationTask
        fields = ["id", "assessment", "criterion", "criterion_code", "metric_key", "responsible_unit",
                  "responsible_unit_name", "action", "deadline", "status", "progress", "evidence", "updated_at"]
        read_only_fields = fields


class TaskProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    progress = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
