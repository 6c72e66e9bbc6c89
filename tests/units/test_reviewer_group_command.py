"""A production install gets the reviewers' admin group from a command (load_demo made it only with the
demo accounts), named for the job on any authority; an install that had the old "Phòng Nội vụ" group
keeps its members and permissions under the new name."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from units.accounts import REVIEWER_APPS, REVIEWER_GROUP

pytestmark = pytest.mark.django_db
rename_migration = import_module("units.migrations.0008_reviewer_group_named_for_the_job")


def test_the_command_creates_the_group_with_every_permission_of_the_apps_and_can_run_again():
    out = StringIO()
    call_command("create_reviewer_group", stdout=out)
    call_command("create_reviewer_group", stdout=out)

    group = Group.objects.get(name=REVIEWER_GROUP)
    expected = Permission.objects.filter(content_type__app_label__in=REVIEWER_APPS)
    assert set(group.permissions.all()) == set(expected) and expected.count() > 0
    assert Group.objects.count() == 1
    assert f'Nhóm "{REVIEWER_GROUP}": {expected.count()} quyền' in out.getvalue()
    assert "Nội vụ" not in REVIEWER_GROUP


def test_the_old_district_named_group_is_renamed_with_its_members(django_user_model):
    old = Group.objects.create(name=rename_migration.OLD)
    user = django_user_model.objects.create_user("can-bo")
    user.groups.add(old)

    rename_migration.rename(apps, None)

    assert list(user.groups.values_list("name", flat=True)) == [REVIEWER_GROUP]
    assert not Group.objects.filter(name=rename_migration.OLD).exists()
