"""Admin of the criteria catalogue, periods and assessments.

The catalogue (sets, criteria, who is responsible) is data that reviewers keep here. Scores,
their audit and remediation tasks are shown read-only: they change only through scoring.actions,
which records who changed what and why."""

from django.contrib import admin

from common.numbers import format_number
from units.admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin

from .models import (
    Assessment, AssessmentStage, AssessmentStageChange, CriteriaSet, Criterion, CriterionResponsibility, Evidence,
    Notification, Period, RemediationTask, Score, ScoreChange,
)


def _vn(value, places=2):
    return format_number(value, places) if value is not None else "—"


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "year", "subject_kind", "legal_basis"]
    list_filter = ["kind", "year", "subject_kind"]
    search_fields = ["code", "name", "legal_basis"]


class CriterionResponsibilityInline(admin.TabularInline):
    model = CriterionResponsibility
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "criteria_set", "level", "max_score_vn", "method", "position"]
    list_display_links = ["code", "short_name"]
    list_filter = ["criteria_set", "level", "method"]
    list_select_related = ["criteria_set"]
    search_fields = ["code", "name", "criteria_set__code"]
    autocomplete_fields = ["criteria_set", "parent"]
    inlines = [CriterionResponsibilityInline]

    @admin.display(description="nội dung")
    def short_name(self, criterion):
        return criterion.name if len(criterion.name) <= 90 else criterion.name[:89] + "…"

    @admin.display(description="điểm tối đa", ordering="max_score")
    def max_score_vn(self, criterion):
        return _vn(criterion.max_score)


@admin.register(CriterionResponsibility)
class CriterionResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["criterion", "unit", "is_lead"]
    list_filter = ["is_lead", "criterion__criteria_set"]
    list_select_related = ["criterion", "unit"]
    search_fields = ["criterion__code", "unit__name"]
    autocomplete_fields = ["criterion", "unit"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "year", "start", "end"]
    list_filter = ["kind", "year"]
    search_fields = ["code", "name"]


class ScoreColumns:
    """Columns shared by the score list and the scores under an assessment."""

    @admin.display(description="mã tiêu chí", ordering="criterion__code")
    def criterion_code(self, score):
        return score.criterion.code

    @admin.display(description="điểm tối đa")
    def max_score(self, score):
        return _vn(score.criterion.max_score)

    @admin.display(description="tự đánh giá")
    def self_vn(self, score):
        return _vn(score.self_score)

    @admin.display(description="tính từ số liệu")
    def computed_vn(self, score):
        return _vn(score.computed_score)

    @admin.display(description="thẩm định")
    def appraised_vn(self, score):
        return _vn(score.appraised_score)

    @admin.display(description="điểm bị trừ")
    def deduction_vn(self, score):
        # Derived, never stored: appraised − max (negative when points were lost).
        return _vn(score.deduction)


class ScoreInline(ScoreColumns, ReadOnlyAdminMixin, admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion_code", "max_score", "self_vn", "computed_vn", "appraised_vn", "deduction_vn", "comment"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "criteria_set", "period", "subject", "status", "updated_at"]
    list_filter = ["status", "period", "criteria_set", "subject__kind"]
    list_select_related = ["criteria_set", "period", "subject"]
    search_fields = ["subject__name", "criteria_set__code", "period__code"]
    autocomplete_fields = ["criteria_set", "period", "subject"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ScoreInline]


class ScoreChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A score's history on the score's own page, newest first."""

    model = ScoreChange
    extra = 0
    fields = ["changed_at", "field", "old_value", "new_value", "changed_by", "reason"]
    readonly_fields = fields


@admin.register(Score)
class ScoreAdmin(ScoreColumns, ReadOnlyModelAdmin):
    list_display = ["assessment", "criterion_code", "max_score", "self_vn", "appraised_vn", "deduction_vn", "version", "updated_at"]
    list_filter = ["assessment__period", "assessment__criteria_set"]
    list_select_related = ["assessment__criteria_set", "assessment__period", "assessment__subject", "criterion"]
    search_fields = ["criterion__code", "criterion__name", "assessment__subject__name", "comment"]
    raw_id_fields = ["assessment", "criterion"]
    inlines = [ScoreChangeInline]


@admin.register(ScoreChange)
class ScoreChangeAdmin(ReadOnlyModelAdmin):
    list_display = ["changed_at", "score", "field", "old_value", "new_value", "changed_by", "reason"]
    list_filter = ["field", "changed_at"]
    list_select_related = ["score__criterion", "changed_by"]
    search_fields = ["score__criterion__code", "reason", "changed_by__username"]
    date_hierarchy = "changed_at"


@admin.register(RemediationTask)
class RemediationTaskAdmin(ReadOnlyModelAdmin):
    list_display = ["responsible_unit", "short_action", "criterion", "metric_key", "deadline", "status"]
    list_filter = ["status", "deadline", "responsible_unit__kind"]
    list_select_related = ["responsible_unit", "criterion"]
    search_fields = ["action", "progress", "responsible_unit__name", "criterion__code", "metric_key"]

    @admin.display(description="nội dung khắc phục")
    def short_action(self, task):
        return task.action if len(task.action) <= 90 else task.action[:89] + "…"


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyModelAdmin):
    """Listed only: files come in through the assessment page (which checks their bytes) and go out
    through its view (which checks who asks); the stored path is not shown, MEDIA_URL serves nothing."""

    list_display = ["original_name", "score", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["score__criterion", "uploaded_by"]
    exclude = ["file"]
    search_fields = ["original_name", "score__criterion__code"]


@admin.register(AssessmentStage)
class AssessmentStageAdmin(ReadOnlyModelAdmin):
    """Listed only: stages open, close and reopen through scoring.actions, which write their history."""

    list_display = ["assessment", "kind", "deadline", "opened_at", "closed_at", "closed_by"]
    list_filter = ["kind", "assessment__period"]
    list_select_related = ["assessment__criteria_set", "assessment__period", "assessment__subject", "closed_by"]


@admin.register(AssessmentStageChange)
class AssessmentStageChangeAdmin(ReadOnlyModelAdmin):
    list_display = ["changed_at", "assessment", "stage", "action", "changed_by", "reason"]
    list_filter = ["action", "stage"]
    list_select_related = ["assessment__criteria_set", "assessment__period", "assessment__subject", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ["created", "user", "text", "read_at"]
    list_filter = ["created"]
    list_select_related = ["user"]
    search_fields = ["user__username", "text"]


from .models import CriterionMapping, ScoreTrace  # noqa: E402  (criteria across years, traces of computed scores)


@admin.register(CriterionMapping)
class CriterionMappingAdmin(admin.ModelAdmin):
    """Reviewers keep the links between last year's criteria and this year's here (catalogue data)."""

    list_display = ["to_set", "to_criterion", "relation", "from_set", "from_criterion", "note"]
    list_filter = ["relation", "to_set", "from_set"]
    list_select_related = ["to_set", "from_set", "to_criterion", "from_criterion"]
    search_fields = ["to_criterion__code", "from_criterion__code", "note"]
    autocomplete_fields = ["from_set", "to_set", "from_criterion", "to_criterion"]


@admin.register(ScoreTrace)
class ScoreTraceAdmin(ReadOnlyModelAdmin):
    """Written only by the recompute (scoring.actions.store_computed_for)."""

    list_display = ["score", "digest"]
    list_select_related = ["score__criterion", "score__assessment"]
