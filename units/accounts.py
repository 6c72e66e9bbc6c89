"""Demo accounts, one per role, for trying the application on the demo data.

Demo only: the single caller is ``manage.py load_demo``. A production install creates no account
here; its people are added in the admin (Người dùng, then their Vai trò người dùng) by a superuser
made with ``manage.py createsuperuser``."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .choices import Role
from .models import Membership, Unit

DEMO_PASSWORD = "demo-password"
# Named for the job, not a district's office: a province's reviewers work at its Sở Nội vụ.
REVIEWER_GROUP = "Cán bộ chấm điểm"
# The apps whose models reviewers keep in the admin.
REVIEWER_APPS = ("units", "scoring", "documents", "reports")


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    unit_name: str | None


DEMO_USERS = (
    DemoUser("reviewer", "Cán bộ", "Phòng Nội vụ", Role.REVIEWER, "Phòng Nội vụ"),
    DemoUser("viewer", "Lãnh đạo", "UBND huyện", Role.VIEWER, "UBND huyện Vĩnh Linh"),
    DemoUser("head_noivu", "Trưởng", "Phòng Nội vụ", Role.UNIT_HEAD, "Phòng Nội vụ"),
    DemoUser("head_vinhkhe", "Chủ tịch", "UBND xã Vĩnh Khê", Role.UNIT_HEAD, "UBND xã Vĩnh Khê"),
)


def reviewer_group() -> Group:
    """The group of reviewers (Phòng or Sở Nội vụ), holding every permission on the four apps' models.

    Permissions are re-added on each call so that models added later are covered too; adding a
    permission the group already has changes nothing."""
    group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=REVIEWER_APPS))
    return group


@transaction.atomic
def create_demo_users() -> list[str]:
    """Create the demo users that are missing; returns every demo username.

    An existing user is left exactly as it is (password, role, flags), so running ``load_demo``
    again never undoes what someone changed. Units must already be loaded
    (``units.demo.load_registry``)."""
    User = get_user_model()
    group = reviewer_group()
    for demo in DEMO_USERS:
        if User.objects.filter(username=demo.username).exists():
            continue
        unit = Unit.objects.get(name=demo.unit_name) if demo.unit_name else None
        user = User.objects.create_user(
            demo.username,
            password=DEMO_PASSWORD,
            first_name=demo.first_name,
            last_name=demo.last_name,
            # Reviewers keep the catalogue in the admin; nobody else enters it.
            is_staff=demo.role == Role.REVIEWER,
        )
        Membership.objects.create(user=user, role=demo.role, unit=unit)
        if demo.role == Role.REVIEWER:
            user.groups.add(group)
    return [demo.username for demo in DEMO_USERS]
