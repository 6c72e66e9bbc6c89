"""Letters: POST drafts (or reuses the latest draft of) a letter of an authority (the user's, or the one
an unbound reviewer names) and queues its rendering; GET shows the letter with the URLs of its files
once rendered; the files download from the API itself. ``issue`` issues a draft (its facts frozen as
version 1, reports.freezing), ``reissue`` makes a corrected version, ``versions`` lists them with their
hashes and what changed from each one's previous version.

Rendering is reports.tasks.render_letter_task (reports.rendering_service), the same task the pages use."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from reports.facts import LetterError
from common.outbox import enqueue
from reports.filtersets import LetterFilterSet
from reports.freezing import LetterIssueError, changes_from_previous, correct_letter, issue_letter
from reports.letter_scope import creatable_here, visible_letters
from reports.models import Letter
from reports.rendering_service import mark_queued
from reports.services import draft_for, drafting_authority
from reports.tasks import render_letter_task
from units.api.permissions import ID_PATTERN, RolePermission
from units.choices import Role

from .serializers import (
    CorrectionRequestSerializer, IssueRequestSerializer, LetterSerializer, LetterVersionSerializer,
    RenderAcceptedSerializer, RenderRequestSerializer,
)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class LetterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Văn bản: reviewers render; reviewers and leaders read and download, of their authority only
    when bound to one (reports.letter_scope): another authority's letter answers 404."""

    queryset = Letter.objects.select_related("period", "created_by", "authority")
    serializer_class = LetterSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = LetterFilterSet
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-created_at"]
    read_roles = (Role.REVIEWER, Role.VIEWER)
    write_roles = (Role.REVIEWER,)

    def get_queryset(self):
        return visible_letters(self.request.user, super().get_queryset())

    @extend_schema(
        request=RenderRequestSerializer,
        responses={
            202: OpenApiResponse(RenderAcceptedSerializer, description="Đã xếp hàng dựng tệp; xem lại văn bản để lấy tệp"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Thiếu dữ liệu cho văn bản"),
        },
    )
    def create(self, request, *args, **kwargs):
        form = RenderRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        authority = data.get("authority") or drafting_authority(request.user)
        refusal = creatable_here(request.user, data["kind"], data["period"], data.get("criteria_set"), authority)
        if refusal:
            return Response({"detail": refusal}, status=status.HTTP_400_BAD_REQUEST)
        try:
            letter = draft_for(data["kind"], data["period"], data.get("criteria_set"), acting_user=request.user,
                               authority=authority)
        except LetterError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return self._queue(letter, data["format"])

    @extend_schema(request=None, responses={202: RenderAcceptedSerializer})
    @action(detail=True, methods=["post"])
    def render(self, request, pk=None, format=None):  # format: the router also routes render.json
        """Render an existing letter again (after its draft changed)."""
        return self._queue(self.get_object(), "all")

    def _queue(self, letter: Letter, fmt: str) -> Response:
        mark_queued(letter)
        task_id = enqueue(render_letter_task, letter.pk, fmt)  # kept for later if the broker is down
        letter.refresh_from_db()
        body = {"task_id": task_id, "letter": LetterSerializer(letter, context=self.get_serializer_context()).data}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def _file(self, fmt: str):
        letter = self.get_object()
        field = getattr(letter, fmt)
        if not field:
            raise NotFound("Văn bản chưa được xuất ra tệp này; gửi yêu cầu dựng tệp trước.")
        name = f"{letter.kind}-{letter.period.code}.{fmt}"
        return FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])

    @extend_schema(responses={(200, CONTENT_TYPES["pdf"]): OpenApiTypes.BINARY, 404: OpenApiResponse(OpenApiTypes.OBJECT)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None, format=None):
        return self._file("pdf")

    @extend_schema(responses={(200, CONTENT_TYPES["docx"]): OpenApiTypes.BINARY, 404: OpenApiResponse(OpenApiTypes.OBJECT)})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None, format=None):
        return self._file("docx")

    @extend_schema(
        request=IssueRequestSerializer,
        responses={201: LetterVersionSerializer,
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="Không ban hành được; «detail» nói lý do")},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None, format=None):
        """Issue a draft under its number and date: its facts are frozen as version 1."""
        letter = self.get_object()
        form = IssueRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            version = issue_letter(letter, acting_user=request.user, number=form.validated_data["number"],
                                   date=form.validated_data["date"], first=True)
        except (LetterIssueError, LetterError) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(LetterVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CorrectionRequestSerializer,
        responses={201: LetterVersionSerializer,
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description="Không ban hành lại được; «detail» nói lý do")},
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None, format=None):
        """A corrected version of an issued letter, with its reason (and a new number or date if given);
        refused when the facts did not change."""
        letter = self.get_object()
        form = CorrectionRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            version = correct_letter(letter, acting_user=request.user, reason=data["reason"],
                                     number=data.get("number", ""), date=data.get("date"))
        except (LetterIssueError, LetterError) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        versions = list(letter.versions.select_related("issued_by"))
        body = LetterVersionSerializer(version, context={"changes": changes_from_previous(versions)}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: LetterVersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def versions(self, request, pk=None, format=None):
        """Every issued version, newest first, each with what changed from the one before it."""
        versions = list(self.get_object().versions.select_related("issued_by").order_by("-version"))
        context = {"changes": changes_from_previous(versions)}
        return Response(LetterVersionSerializer(versions, many=True, context=context).data)
