"""The nightly import's beat schedule, stored in the database (django_celery_beat), so that an
administrator changes its time or disables it in the admin (Periodic tasks) without a deploy."""

import json

from django.db import migrations

TASK = "documents.tasks.import_drop_folder_task"
NAME = "Nhập số liệu từ thư mục nhận (hằng đêm)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return  # already there, perhaps edited by someone: leave it as it is
    # 01:30 in the district's time: after the provincial systems' nightly exports.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh",
    )
    PeriodicTask.objects.create(
        name=NAME, task=TASK, crontab=crontab, enabled=True, args=json.dumps([]), kwargs=json.dumps({}),
        description="Nhập mọi tệp mới trong IMPORT_DROP_DIR; chuyển tệp sang processed/ hoặc failed/ kèm báo cáo.",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_overduedossier"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
