"""Who may see and change what. Every view and API endpoint asks here.

Three roles (units.choices.Role): reviewers of the authority's home-affairs office enter scores,
leaders (viewer) read everything, a unit head reads only their own unit. A signed-in user with no membership sees
nothing: every page answers 403 with a Vietnamese message rather than an empty screen."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Case, QuerySet, When

from .choices import Role
from .models import Authority, Unit

NO_ROLE_MESSAGE = (
    "Tài khoản của bạn chưa được phân vai trò nên chưa xem được trang này. "
    "Đề nghị liên hệ cơ quan nội vụ quản lý hệ thống (Phòng Nội vụ hoặc Sở Nội vụ) để được cấp quyền."
)
# A user with no role has no membership, hence no authority to name the office of: the message
# names the office by its function, true of a district's and a province's alike.
WRONG_ROLE_MESSAGE = "Vai trò của bạn không được phép thực hiện thao tác này."


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


def _bound_unit_id(user) -> int | None:
    membership = getattr(user, "membership", None) if user.is_authenticated and not user.is_superuser else None
    if membership is None or membership.role not in (Role.REVIEWER, Role.VIEWER):
        return None
    return membership.unit_id


def _parents(user) -> dict[int, int | None]:
    """{unit id: parent id} of the whole registry, read once per request (kept on the user object):
    finding a unit's root and a root's subtree both walk it."""
    if "_unit_parents" not in user.__dict__:
        user.__dict__["_unit_parents"] = dict(Unit.objects.values_list("pk", "parent_id"))
    return user.__dict__["_unit_parents"]


def root_id(unit_id: int, parent_of: dict[int, int | None]) -> int:
    """The id of the root of ``unit_id``'s tree, walked on a parent map ({unit id: parent id})."""
    while parent_of.get(unit_id) is not None:
        unit_id = parent_of[unit_id]
    return unit_id


def root_ids(unit_ids) -> dict[int, int]:
    """{unit id: the id of its tree's root} for many units in one query (the parent map)."""
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))
    return {unit_id: root_id(unit_id, parent_of) for unit_id in unit_ids}


def _user_authority(user) -> tuple[Authority | None, bool]:
    """(the authority the user's pages speak for, whether the user is bound to it): the authority at
    the root of the user's unit's tree first, else the registry's first. Kept on the user object for
    the request, since a page asks several times (visible_units, the labels)."""
    bound_unit_id = _bound_unit_id(user)
    cache = user.__dict__.setdefault("_authority_by_unit", {})
    if bound_unit_id not in cache:
        rows = Authority.objects.select_related("unit")
        root = None
        if bound_unit_id is not None:
            root = root_id(bound_unit_id, _parents(user))
            rows = rows.order_by(Case(When(unit_id=root, then=0), default=1), "pk")
        else:
            rows = rows.order_by("pk")
        found = rows.first()
        cache[bound_unit_id] = (found, found is not None and root is not None and found.unit_id == root)
    return cache[bound_unit_id]


def authority_root(user) -> Unit | None:
    """The root unit a reviewer or viewer is bound to, or None when they see every unit.

    A reviewer or viewer whose membership names a unit works for the authority at the root of that
    unit's tree and sees its units only: Vĩnh Linh's reviewer at Phòng Nội vụ sees Vĩnh Linh, the
    province's reviewer the province, neither the other's. A membership with no unit (a province-wide
    or installation-wide reader) sees every unit; so does a tree with no units.Authority at its root."""
    if _bound_unit_id(user) is None:
        return None
    found, bound = _user_authority(user)
    return found.unit if bound else None


def _below(top: int, parent_of: dict[int, int | None]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in parent_of.items():
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [top]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def subtree_ids(root: Unit) -> set[int]:
    """The ids of ``root`` and every unit below it (one query: the whole parent map)."""
    return _below(root.pk, dict(Unit.objects.values_list("pk", "parent_id")))


def tree_ids(unit: Unit) -> set[int]:
    """The ids of every unit of ``unit``'s whole tree, from its root down (one query: the parent map)."""
    parent_of = dict(Unit.objects.values_list("pk", "parent_id"))
    return _below(root_id(unit.pk, parent_of), parent_of)


def visible_units(user) -> QuerySet[Unit]:
    """Reviewers and viewers see every unit, or their authority's tree when bound to one
    (authority_root); a unit head only their own."""
    role = role_of(user)
    if role in (Role.REVIEWER, Role.VIEWER):
        root = None if user.is_superuser else authority_root(user)
        return Unit.objects.filter(pk__in=_below(root.pk, _parents(user))) if root else Unit.objects.all()
    if role == Role.UNIT_HEAD:
        return Unit.objects.filter(pk=own_unit(user).pk)
    return Unit.objects.none()


def check_role(user, *roles: str) -> str:
    """The user's role if it is one of ``roles`` (any role when none are given); else PermissionDenied."""
    role = role_of(user)
    if role is None:
        raise PermissionDenied(NO_ROLE_MESSAGE)
    if roles and role not in roles:
        raise PermissionDenied(WRONG_ROLE_MESSAGE)
    return role


def role_required(*roles: str):
    """View decorator: sign-in first (redirect to the login page), then one of ``roles``.

    ``@role_required()`` admits any role; ``@role_required(Role.REVIEWER)`` only reviewers.
    A signed-in user without a membership gets 403 with NO_ROLE_MESSAGE.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            check_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


class RoleRequiredMixin:
    """The same rule for class-based views: set ``allowed_roles`` (empty means any role)."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check_role(request.user, *self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


def authority_of(user, unit: Unit | None = None) -> Authority | None:
    """The authority whose words a page uses ("Toàn huyện" / "Toàn tỉnh"): that of ``unit``'s tree,
    else the one the user is bound to, else the registry's first (the demo's Vĩnh Linh)."""
    if unit is not None:
        root = unit
        while root.parent_id is not None:
            root = root.parent
        found = Authority.objects.filter(unit=root).first()
        if found is not None:
            return found
    return _user_authority(user)[0]
