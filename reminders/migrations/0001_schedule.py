"""Register the scans and the outbox sweep with django-celery-beat.

Times are London mornings; hub staff and national staff change them (or switch a scan off) in
the admin under "Periodic tasks", and a later migration never overwrites what they set.
"""

from django.db import migrations
from django.utils import timezone

LONDON = "Europe/London"

# (name shown in the admin, task, minute, hour, day of week)
SCANS = [
    ("Reminders: workshops next week and tomorrow", "reminders.tasks.remind_workshops_coming_up", "0", "7", "*"),
    ("Reminders: support visits in three days", "reminders.tasks.remind_support_visits_coming_up", "5", "7", "*"),
    ("Reminders: attendance not recorded", "reminders.tasks.remind_attendance_not_recorded", "10", "7", "*"),
    ("Reminders: visits not scheduled by mid-term", "reminders.tasks.remind_visits_not_scheduled", "15", "7", "*"),
    ("Reminders: action plans not shared", "reminders.tasks.remind_action_plans_not_shared", "20", "7", "*"),
    ("Reminders: mid-year reviews due", "reminders.tasks.remind_mid_year_reviews_due", "25", "7", "*"),
    ("Reminders: end-of-year reflections due", "reminders.tasks.remind_end_of_year_reflections_due", "30", "7", "*"),
    ("Digest: expressions of interest waiting", "reminders.tasks.digest_eois_waiting", "40", "7", "1-5"),
    ("Digest: the hub's week", "reminders.tasks.digest_weekly", "45", "7", "1"),
]
SWEEP = ("Outbox: re-queue stuck e-mails", "notifications.tasks.sweep_outbox", 5)


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minute, hour, day_of_week in SCANS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone=LONDON,
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})
    name, task, minutes = SWEEP
    interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})
    # Signals do not run in migrations: tell a running beat that its schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    names = [name for name, *_ in SCANS] + [SWEEP[0]]
    PeriodicTask.objects.filter(name__in=names).delete()
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
