"""The REST API: /api/v1/ (resources), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from documents.api.views import ImportBatchViewSet, MetricValueViewSet
from reports.api.views import LetterViewSet
from scoring.api.views import (
    AssessmentViewSet, CriteriaSetViewSet, CriterionViewSet, PeriodViewSet, RemediationTaskViewSet, ScoreViewSet,
)
from units.api.views import UnitViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("units", UnitViewSet, basename="unit")
router.register("criteria-sets", CriteriaSetViewSet, basename="criteria-set")
router.register("criteria", CriterionViewSet, basename="criterion")
router.register("periods", PeriodViewSet, basename="period")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("scores", ScoreViewSet, basename="score")
router.register("metrics", MetricValueViewSet, basename="metric")
router.register("import-batches", ImportBatchViewSet, basename="import-batch")
router.register("letters", LetterViewSet, basename="letter")
router.register("tasks", RemediationTaskViewSet, basename="task")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
