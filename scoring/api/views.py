"""Catalogue, periods, assessments (with totals), scores (optimistic updates) and remediation tasks.

Writes only call scoring.actions; these classes parse, check the role and answer."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scoring import actions
from scoring.filtersets import (
    AssessmentFilterSet, CriteriaSetFilterSet, CriterionFilterSet, PeriodFilterSet, RemediationTaskFilterSet,
    ScoreFilterSet,
)
from scoring.models import Assessment, CriteriaSet, Criterion, Period, RemediationTask, Score
from scoring.services import assessment_summaries
from units.api.permissions import ID_PATTERN, RolePermission, UnitScopedQuerysetMixin
from units.choices import Role
from units.models import Unit

from .serializers import (
    AcceptComputedSerializer, AssessmentSerializer, CriteriaSetSerializer, CriterionSerializer, ErrorSerializer,
    PeriodSerializer, RemediationTaskSerializer, ScoreSerializer, ScoreUpdateSerializer, StaleScoreSerializer,
    TaskProgressSerializer,
)

PRECONDITION_REQUIRED = 428
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


class CriteriaSetViewSet(viewsets.ReadOnlyModelViewSet):
    """Bộ tiêu chí: readable by every role."""

    queryset = CriteriaSet.objects.all()
    serializer_class = CriteriaSetSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = CriteriaSetFilterSet
    ordering_fields = ["code", "year", "id"]
    ordering = ["-year", "code"]


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """Tiêu chí of every set, with their responsible units; filter by ?criteria_set=CODE."""

    queryset = Criterion.objects.select_related("criteria_set").prefetch_related("responsibilities__unit")
    serializer_class = CriterionSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = CriterionFilterSet
    ordering_fields = ["position", "code", "id"]
    ordering = ["criteria_set", "position"]


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Period.objects.all()
    serializer_class = PeriodSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = PeriodFilterSet
    ordering_fields = ["start", "end", "code", "year", "id"]
    ordering = ["-year", "start", "code"]


class AssessmentViewSet(UnitScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Đợt đánh giá with totals; a unit head sees those whose subject is their unit."""

    queryset = Assessment.objects.select_related("criteria_set", "period", "subject")
    serializer_class = AssessmentSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = AssessmentFilterSet
    ordering_fields = ["id", "created_at", "updated_at", "period__start"]
    ordering = ["-period__year", "criteria_set__code", "subject__name"]
    unit_field = "subject"

    def get_serializer(self, *args, **kwargs):
        if args:
            items = args[0] if kwargs.get("many") else [args[0]]
            context = kwargs.setdefault("context", self.get_serializer_context())
            # One query for the totals of the whole page, through the same service as the pages.
            subjects = Unit.objects.filter(pk__in={a.subject_id for a in items})
            context["totals"] = {s.assessment.pk: s for s in assessment_summaries(subjects)}
        return super().get_serializer(*args, **kwargs)


def _expected_version(request, data) -> tuple[int | None, bool]:
    """(version the client read, whether it came from If-Match). If-Match wins over the body."""
    header = request.headers.get("If-Match")
    if header is not None:
        if header.strip() == "*":
            return None, True
        match = _ETAG.match(header)
        return (int(match.group(1)) if match else -1), True
    return data.get("version"), False


IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
                            description='Phiên bản đã đọc (ETag), ví dụ "3"; thay cho trường version. "*" ghi đè bất kể phiên bản.')


@extend_schema_view(
    retrieve=extend_schema(description="Điểm một tiêu chí; header ETag là phiên bản, gửi lại trong If-Match khi sửa."),
)
class ScoreViewSet(UnitScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Điểm tiêu chí; reviewers change self/appraised scores and the council's comment."""

    queryset = Score.objects.select_related("criterion", "assessment").prefetch_related("responsible_units")
    serializer_class = ScoreSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = ScoreFilterSet
    ordering_fields = ["id", "criterion__position", "updated_at"]
    ordering = ["assessment", "criterion__position"]
    unit_field = "assessment__subject"
    write_roles = (Role.REVIEWER,)
    http_method_names = ["get", "patch", "post", "head", "options"]  # post: accept-computed only

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    @extend_schema(
        request=ScoreUpdateSerializer,
        parameters=[IF_MATCH],
        responses={
            200: ScoreSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Giá trị không hợp lệ, đợt đã chốt, hoặc điểm thẩm "
                                 "khác điểm tính từ số liệu mà không có reason (lỗi ghi ở detail và reason)"),
            409: OpenApiResponse(StaleScoreSerializer, description="version cũ: người khác đã sửa"),
            412: OpenApiResponse(StaleScoreSerializer, description="If-Match cũ: người khác đã sửa"),
            428: OpenApiResponse(ErrorSerializer, description="Thiếu If-Match hoặc version"),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        score = self.get_object()
        form = ScoreUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        reason = data.pop("reason", "")
        # The rounds' rules apply here as on the pages: only what the open stage lets this user write. An
        # appraised score other than the computed proposal needs the reason (write_score_in_stage).
        return self._write(request, score, data, lambda expected: actions.write_score_in_stage(
            score, acting_user=request.user, reason=reason, expected_version=expected, **data))

    @extend_schema(
        request=AcceptComputedSerializer,
        parameters=[IF_MATCH],
        description="Chấp nhận điểm tính từ số liệu làm điểm thẩm định (ghi vào lịch sử điểm); theo quy tắc của "
                    "giai đoạn đang mở như khi sửa điểm.",
        responses={
            200: ScoreSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Chưa có điểm tính, đợt đã chốt, giai đoạn không cho "
                                 "sửa điểm thẩm định, hoặc version không hợp lệ"),
            409: OpenApiResponse(StaleScoreSerializer, description="version cũ: người khác đã sửa"),
            412: OpenApiResponse(StaleScoreSerializer, description="If-Match cũ: người khác đã sửa"),
            428: OpenApiResponse(ErrorSerializer, description="Thiếu If-Match hoặc version"),
        },
    )
    @action(detail=True, methods=["post"], url_path="accept-computed")
    def accept_computed(self, request, *args, **kwargs):
        score = self.get_object()
        form = AcceptComputedSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        return self._write(request, score, data, lambda expected: actions.accept_computed(
            score, acting_user=request.user, expected_version=expected))

    def _write(self, request, score, data, write):
        """Run ``write(expected_version)`` with the API's version rules; answer the score as stored."""
        expected, from_header = _expected_version(request, data)
        data.pop("version", None)
        if expected is None and not from_header:  # If-Match: * (any version) is the one deliberate overwrite
            return Response({"detail": "Cần gửi phiên bản đã đọc: header If-Match (ETag) hoặc trường version."},
                            status=PRECONDITION_REQUIRED)
        try:
            write(expected)
        except actions.StaleScoreError as exc:
            current = self.get_queryset().get(pk=score.pk)
            code = status.HTTP_412_PRECONDITION_FAILED if from_header else status.HTTP_409_CONFLICT
            response = Response({"detail": str(exc), "current": ScoreSerializer(current).data}, status=code)
            response["ETag"] = f'"{current.version}"'
            return response
        except actions.ProposalReasonRequired as exc:
            message = f"{exc} Gửi lý do trong trường reason."
            return Response({"detail": message, "reason": [message]}, status=status.HTTP_400_BAD_REQUEST)
        except actions.ScoreWriteError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        fresh = self.get_queryset().get(pk=score.pk)
        response = Response(ScoreSerializer(fresh).data)
        response["ETag"] = f'"{fresh.version}"'
        return response


class RemediationTaskViewSet(UnitScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             viewsets.GenericViewSet):
    """Nhiệm vụ khắc phục; the unit head of the task's unit (and reviewers) report progress."""

    queryset = RemediationTask.objects.select_related("criterion", "responsible_unit")
    serializer_class = RemediationTaskSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = RemediationTaskFilterSet
    ordering_fields = ["deadline", "id", "updated_at", "status"]
    ordering = ["deadline", "id"]
    unit_field = "responsible_unit"
    write_roles = (Role.REVIEWER, Role.UNIT_HEAD)
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=TaskProgressSerializer,
                   responses={200: RemediationTaskSerializer, 400: OpenApiResponse(OpenApiTypes.OBJECT)})
    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        form = TaskProgressSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        actions.update_task_progress(task, acting_user=request.user, **form.validated_data)
        return Response(RemediationTaskSerializer(self.get_queryset().get(pk=task.pk)).data)
