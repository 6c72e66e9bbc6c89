"""Who may see and change what. Every view and API endpoint asks here."""

from django.db.models import QuerySet

from .choices import Role
from .models import Unit


def role_of(user) -> str | None:
    """The user's role, or None for a user with no membership (who sees nothing)."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.REVIEWER
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def own_unit(user) -> Unit | None:
    membership = getattr(user, "membership", None)
    return membership.unit if membership and membership.role == Role.UNIT_HEAD else None


def can_edit_scores(user) -> bool:
    return role_of(user) == Role.REVIEWER


def visible_units(user) -> QuerySet[Unit]:
    """Reviewers and viewers see every unit; a unit head only their own."""
    role = role_of(user)
    if role in (Role.REVIEWER, Role.VIEWER):
        return Unit.objects.all()
    if role == Role.UNIT_HEAD:
        return Unit.objects.filter(pk=own_unit(user).pk)
    return Unit.objects.none()
