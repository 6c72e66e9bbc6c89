"""Demo accounts: one per role, created once, and they sign in with the demo password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from units.accounts import DEMO_PASSWORD, REVIEWER_GROUP, create_demo_users
from units.choices import Role
from units.demo import load_registry

DEMO_ROLES = {
    "reviewer": (Role.REVIEWER, "Phòng Nội vụ"),
    "viewer": (Role.VIEWER, "UBND huyện Vĩnh Linh"),  # Vĩnh Linh's leader: its units only
    "head_noivu": (Role.UNIT_HEAD, "Phòng Nội vụ"),
    "head_vinhkhe": (Role.UNIT_HEAD, "UBND xã Vĩnh Khê"),
}


def test_it_creates_one_demo_user_per_role(db):
    load_registry()

    names = create_demo_users()

    assert sorted(names) == sorted(DEMO_ROLES)
    for username, (role, unit_name) in DEMO_ROLES.items():
        user = get_user_model().objects.select_related("membership__unit").get(username=username)
        assert user.membership.role == role
        assert (user.membership.unit.name if user.membership.unit else None) == unit_name
        assert user.is_staff == (role == Role.REVIEWER)
        assert not user.is_superuser


def test_it_creates_nothing_the_second_time_and_keeps_a_changed_password(db):
    load_registry()
    create_demo_users()
    User = get_user_model()
    viewer = User.objects.get(username="viewer")
    viewer.set_password("mat-khau-moi-2024")
    viewer.save(update_fields=["password"])
    before = (User.objects.count(), Group.objects.count(), Group.objects.get(name=REVIEWER_GROUP).permissions.count())

    names = create_demo_users()

    after = (User.objects.count(), Group.objects.count(), Group.objects.get(name=REVIEWER_GROUP).permissions.count())
    assert after == before
    assert sorted(names) == sorted(DEMO_ROLES)
    viewer.refresh_from_db()
    assert viewer.check_password("mat-khau-moi-2024")


def test_every_demo_user_signs_in_with_the_demo_password(client, db):
    load_registry()
    create_demo_users()
    for username in DEMO_ROLES:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/").status_code == 200
        client.logout()


def test_the_demo_reviewer_holds_the_four_apps_permissions(db):
    load_registry()
    create_demo_users()
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.groups.filter(name=REVIEWER_GROUP).exists()
    for perm in ("scoring.change_criterion", "units.add_unit", "documents.view_metricvalue", "reports.change_letter"):
        assert reviewer.has_perm(perm), perm
    assert not reviewer.has_perm("auth.change_user")


def test_a_unit_head_sees_their_unit_on_the_first_page(client, db):
    load_registry()
    create_demo_users()
    client.login(username="head_vinhkhe", password=DEMO_PASSWORD)
    page = client.get("/").content.decode()
    units_part = page.split('id="units-title"')[1]
    assert "UBND xã Vĩnh Khê" in units_part
    assert "Phòng Tư pháp" not in units_part
