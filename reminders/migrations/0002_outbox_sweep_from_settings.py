"""The outbox sweep now runs every OUTBOX_SWEEP_SECONDS from the settings' beat schedule, and
mail the outbox gave up on is told to the hub's leads each morning."""

from django.db import migrations
from django.utils import timezone

OLD_SWEEP = "Outbox: re-queue stuck e-mails"
GIVEN_UP = (
    "Digest: e-mails that could not be sent",
    "reminders.tasks.digest_mails_given_up",
    "50",
    "7",
    "*",
)


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTask.objects.filter(name=OLD_SWEEP).delete()
    name, task, minute, hour, day_of_week = GIVEN_UP
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_week=day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/London",
    )
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=GIVEN_UP[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_schedule")]

    operations = [migrations.RunPython(register, unregister)]
