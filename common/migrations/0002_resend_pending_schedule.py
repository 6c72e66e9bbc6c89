"""The beat re-sends the tasks kept while the broker was down (common.outbox) every minute; stored in
the database (django_celery_beat) like the nightly import, so an administrator can see or change it."""

import json

from django.db import migrations

TASK = "common.resend_pending_tasks"
NAME = "Gửi lại tác vụ chờ (khi hàng đợi trở lại)"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.create(
        name=NAME, task=TASK, interval=every_minute, enabled=True, args=json.dumps([]), kwargs=json.dumps({}),
        description="Gửi lại các tác vụ không gửi được khi Redis ngừng (bảng common.PendingTask).",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
