"""The reviewers' admin group was named "Phòng Nội vụ", a district's office; it is "Cán bộ chấm điểm"
on any install now (units.accounts.REVIEWER_GROUP). Members and permissions stay with the group."""

from django.db import migrations

OLD, NEW = "Phòng Nội vụ", "Cán bộ chấm điểm"


def rename(apps, schema_editor, old=OLD, new=NEW):
    Group = apps.get_model("auth", "Group")
    if not Group.objects.filter(name=new).exists():
        Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("units", "0007_authority_phrases"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
