"""Filters of the catalogue, periods, assessments, scores and tasks, shared by the pages and the API.

Periods and criteria sets are filtered by their codes (?period=2023-H1, ?criteria_set=CCHC-2023), as
people and scripts name them; units by id, since unit names are long and change."""

import django_filters

from units.filtersets import IdFilter, WholeNumberFilter

from .choices import AssessmentStatus, Level, Method, PeriodKind, SetKind, SubjectKind, TaskStatus
from .models import Assessment, CriteriaSet, Criterion, Period, RemediationTask, Score


class CriteriaSetFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SetKind.choices, label="loại")
    year = WholeNumberFilter(label="năm", min_value=1900, max_value=2999)
    subject_kind = django_filters.ChoiceFilter(choices=SubjectKind.choices, label="đối tượng chấm")

    class Meta:
        model = CriteriaSet
        fields = ["kind", "year", "subject_kind"]


class CriterionFilterSet(django_filters.FilterSet):
    criteria_set = django_filters.CharFilter(field_name="criteria_set__code", label="mã bộ tiêu chí")
    code = django_filters.CharFilter(label="mã tiêu chí")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="cấp")
    method = django_filters.ChoiceFilter(choices=Method.choices, label="cách chấm")
    parent = IdFilter(field_name="parent_id", label="thuộc tiêu chí (id)")

    class Meta:
        model = Criterion
        fields = ["criteria_set", "code", "level", "method", "parent"]


class PeriodFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label="mã kỳ")
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label="loại")
    year = WholeNumberFilter(label="năm", min_value=1900, max_value=2999)

    class Meta:
        model = Period
        fields = ["code", "kind", "year"]


class AssessmentFilterSet(django_filters.FilterSet):
    criteria_set = django_filters.CharFilter(field_name="criteria_set__code", label="mã bộ tiêu chí")
    period = django_filters.CharFilter(field_name="period__code", label="mã kỳ")
    subject = IdFilter(field_name="subject_id", label="đơn vị được chấm (id)")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label="trạng thái")

    class Meta:
        model = Assessment
        fields = ["criteria_set", "period", "subject", "status"]


class ScoreFilterSet(django_filters.FilterSet):
    assessment = IdFilter(field_name="assessment_id", label="đợt đánh giá (id)")
    criteria_set = django_filters.CharFilter(field_name="assessment__criteria_set__code", label="mã bộ tiêu chí")
    period = django_filters.CharFilter(field_name="assessment__period__code", label="mã kỳ")
    subject = IdFilter(field_name="assessment__subject_id", label="đơn vị được chấm (id)")
    criterion = django_filters.CharFilter(field_name="criterion__code", label="mã tiêu chí")

    class Meta:
        model = Score
        fields = ["assessment", "criteria_set", "period", "subject", "criterion"]


class RemediationTaskFilterSet(django_filters.FilterSet):
    responsible_unit = IdFilter(field_name="responsible_unit_id", label="đơn vị thực hiện (id)")
    assessment = IdFilter(field_name="assessment_id", label="đợt đánh giá (id)")
    period = django_filters.CharFilter(field_name="assessment__period__code", label="mã kỳ")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label="trạng thái")
    metric_key = django_filters.CharFilter(label="chỉ số")

    class Meta:
        model = RemediationTask
        fields = ["responsible_unit", "assessment", "period", "status", "metric_key"]
