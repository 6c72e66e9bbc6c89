"""The rounds' periodic task, stored in the database (django_celery_beat): every 15 minutes it closes
the stages whose own deadline has passed and sends the reminders due before each deadline. An
administrator can change its interval or disable it in the admin (Periodic tasks)."""

import json

from django.db import migrations

TASK = "scoring.tasks.run_rounds_task"
NAME = "Vòng chấm: kết thúc giai đoạn hết hạn, nhắc hạn (15 phút một lần)"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return  # already there, perhaps edited by someone: leave it as it is
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.create(
        name=NAME, task=TASK, interval=every, enabled=True, args=json.dumps([]), kwargs=json.dumps({}),
        description="Kết thúc đúng những giai đoạn đã quá hạn chót của chúng; nhắc người phải làm trước hạn.",
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0004_score_explanation_assessmentstagechange_and_more"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
