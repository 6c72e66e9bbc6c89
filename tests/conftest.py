"""A small shared base: named units and one user per role. Build anything bigger in the test itself."""

import pytest
from django.contrib.auth import get_user_model

from scoring import demo as scoring_demo
from units import demo as units_demo
from units.accounts import create_demo_users
from units.choices import Role, UnitKind
from units.models import Membership, Unit

PASSWORD = "test-password"


@pytest.fixture
def noi_vu(db) -> Unit:
    return Unit.objects.create(name="Phòng Nội vụ", short_name="Phòng Nội vụ", kind=UnitKind.DEPARTMENT, sort_order=50)


@pytest.fixture
def vinh_khe(db) -> Unit:
    return Unit.objects.create(name="UBND xã Vĩnh Khê", short_name="Vĩnh Khê", kind=UnitKind.COMMUNE, sort_order=400)


@pytest.fixture
def make_user(db):
    """make_user("name", Role.UNIT_HEAD, unit) → a user with PASSWORD; no role means no membership."""

    def make(username: str, role: str | None = None, unit: Unit | None = None, **fields):
        user = get_user_model().objects.create_user(username, password=PASSWORD, **fields)
        if role:
            Membership.objects.create(user=user, role=role, unit=unit)
        return user

    return make


@pytest.fixture
def reviewer(make_user, noi_vu):
    return make_user("reviewer", Role.REVIEWER, noi_vu)


@pytest.fixture
def viewer(make_user):
    return make_user("viewer", Role.VIEWER)


@pytest.fixture
def head_vinhkhe(make_user, vinh_khe):
    return make_user("head_vinhkhe", Role.UNIT_HEAD, vinh_khe)


@pytest.fixture
def no_role_user(make_user):
    return make_user("no_role")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)


@pytest.fixture
def reviewer_everywhere(db):
    """A reviewer whose membership names no unit (an office above every authority in the registry):
    sees every tree, where a reviewer of a unit sees that unit's authority only."""
    user = get_user_model().objects.create_user("reviewer_everywhere", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.REVIEWER, unit=None)
    return user


@pytest.fixture
def both_authorities(db):
    """The registry with two trees, as `load_demo` builds it: Vĩnh Linh with its periods, criteria
    sets, 2023 assessments and demo users (reviewer at Phòng Nội vụ: Vĩnh Linh only), then the invented
    province with its own periods, set, assessments and users (reviewer_tinh, bound to its root).
    No export is imported: a test imports what it needs."""
    units_demo.load_registry()
    scoring_demo.load_all()
    create_demo_users()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    scoring_demo.load_province()
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
