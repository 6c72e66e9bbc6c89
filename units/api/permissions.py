"""The pages' rules (units.access) applied to the API.

A viewset names who may read (``read_roles``, every role by default) and who may write
(``write_roles``, nobody by default); ``UnitScopedQuerysetMixin`` narrows a unit head's rows to their
own unit, so another unit's object answers 404 exactly as if it did not exist."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from units.access import NO_ROLE_MESSAGE, WRONG_ROLE_MESSAGE, authority_root, own_unit, role_of, visible_units
from units.choices import Role

# Ids in URLs: at most 18 digits, so that no id reaches the database beyond its 64-bit integers.
ID_PATTERN = r"[0-9]{1,18}"
ALL_ROLES = (Role.REVIEWER, Role.VIEWER, Role.UNIT_HEAD)


class RolePermission(BasePermission):
    """Signed in, with a role, and the role allowed for this method on this viewset."""

    message = NO_ROLE_MESSAGE

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        role = role_of(request.user)
        if role is None:
            self.message = NO_ROLE_MESSAGE
            return False
        if not hasattr(view, request.method.lower()):
            return True  # the method does not exist here: let the view answer 405 to everyone
        allowed = getattr(view, "read_roles", ALL_ROLES) if request.method in SAFE_METHODS else getattr(view, "write_roles", ())
        if role not in allowed:
            self.message = WRONG_ROLE_MESSAGE
            return False
        return True


class UnitScopedQuerysetMixin:
    """Set ``unit_field`` to the lookup of the row's unit ("subject", "assessment__subject", …)."""

    unit_field = ""

    def scope(self, queryset):
        user = self.request.user
        if role_of(user) == Role.UNIT_HEAD:
            return queryset.filter(**{self.unit_field: own_unit(user).pk})
        if role_of(user) is None:
            return queryset.none()
        if authority_root(user) is not None:  # a reviewer/viewer bound to one authority's tree
            return queryset.filter(**{f"{self.unit_field}__in": visible_units(user)})
        return queryset

    def get_queryset(self):
        return self.scope(super().get_queryset())
