from rest_framework import viewsets

from units.filtersets import UnitFilterSet
from units.models import Unit

from .permissions import ID_PATTERN, RolePermission, UnitScopedQuerysetMixin
from .serializers import UnitSerializer


class UnitViewSet(UnitScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Đơn vị: reviewers and leaders see the whole registry, a unit head only their own unit."""

    queryset = Unit.objects.prefetch_related("aliases", "codes")
    serializer_class = UnitSerializer
    permission_classes = [RolePermission]
    lookup_value_regex = ID_PATTERN
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "sort_order", "kind", "id"]
    ordering = ["sort_order", "name"]
    unit_field = "pk"
