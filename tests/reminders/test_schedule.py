"""The scans are registered with beat by a migration, and each runs single flight."""

import importlib
import threading
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django_celery_beat.models import PeriodicTask

from core.locks import single_flight
from hubportal.celery import app as celery_app
from notifications.models import Notification
from reminders import tasks

from .conftest import schedule

pytestmark = pytest.mark.django_db

SCAN_TASKS = [
    tasks.remind_workshops_coming_up,
    tasks.remind_attendance_not_recorded,
    tasks.remind_support_visits_coming_up,
    tasks.remind_visits_not_scheduled,
    tasks.remind_action_plans_not_shared,
    tasks.remind_mid_year_reviews_due,
    tasks.remind_end_of_year_reflections_due,
    tasks.digest_eois_waiting,
    tasks.digest_weekly,
    tasks.digest_mails_given_up,
]


SCHEDULE_MIGRATIONS = [
    importlib.import_module("reminders.migrations.0001_schedule"),
    importlib.import_module("reminders.migrations.0002_outbox_sweep_from_settings"),
]


@pytest.fixture
def registered():
    """What the migrations register. Run here again (they change nothing that exists) because a
    transactional test empties every table, and a reused test database does not migrate again."""
    for migration in SCHEDULE_MIGRATIONS:
        migration.register(apps, None)


def test_every_scan_is_scheduled_on_london_mornings(registered):
    scheduled = {
        task.task: task for task in PeriodicTask.objects.select_related("crontab", "interval")
    }
    for task in SCAN_TASKS:
        periodic = scheduled[task.name]
        assert periodic.enabled
        assert str(periodic.crontab.timezone) == "Europe/London"
        assert 6 <= int(periodic.crontab.hour) <= 9, "a morning"
    assert scheduled["reminders.tasks.digest_weekly"].crontab.day_of_week == "1"  # Mondays


def test_the_outbox_sweep_runs_every_minute_from_the_settings(registered, settings):
    assert not PeriodicTask.objects.filter(task="notifications.tasks.sweep_outbox").exists()
    sweep = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]
    assert (sweep["task"], sweep["schedule"]) == ("notifications.tasks.sweep_outbox", 60)


def test_every_scheduled_task_is_one_a_worker_knows(registered, settings):
    celery_app.loader.import_default_modules()
    names = list(PeriodicTask.objects.values_list("task", flat=True))
    names += [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    for name in names:
        if name.startswith(("reminders.", "notifications.")):
            assert name in celery_app.tasks, name


def test_no_reminder_waits_in_the_broker_beyond_its_visibility_timeout(settings):
    """Retries use short countdowns: the longest, and a claim's lease after it, must be well
    inside the visibility timeout (longer waits are the sweep's, from the outbox's rows)."""
    from notifications.services import MAX_ATTEMPTS

    longest = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (MAX_ATTEMPTS - 2)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert longest + settings.OUTBOX_LEASE_SECONDS < visibility / 2


def _hold_lock_elsewhere(name: str, held: threading.Event, release: threading.Event):
    """Another worker holding the scan's lock: a thread of its own, with its own connection."""
    try:
        with single_flight(name) as acquired:
            assert acquired
            held.set()
            release.wait(timeout=30)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_scan_already_running_elsewhere_makes_a_second_run_do_nothing(world, run):
    day = schedule(world.workshop(1), date(2025, 10, 16)).date - timedelta(days=7)
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold_lock_elsewhere,
        args=("reminders.workshops_coming_up", held, release),
    )
    holder.start()
    try:
        assert held.wait(timeout=30)
        assert run(tasks.remind_workshops_coming_up, day) == []
        assert not Notification.objects.exists()
    finally:
        release.set()
        holder.join()

    assert len(run(tasks.remind_workshops_coming_up, day)) == Notification.objects.count() > 0


def test_the_lock_is_released_after_a_run_and_after_a_failure():
    with single_flight("test.job") as first:
        assert first
    with pytest.raises(RuntimeError), single_flight("test.job") as second:
        assert second
        raise RuntimeError("the scan failed")
    with single_flight("test.job") as third:
        assert third


def test_the_schedule_migrations_unapply_and_do_not_overwrite_what_staff_changed(registered):
    name = "Reminders: workshops next week and tomorrow"
    PeriodicTask.objects.filter(name=name).update(enabled=False)
    for migration in SCHEDULE_MIGRATIONS:
        migration.register(apps, None)
    assert not PeriodicTask.objects.get(name=name).enabled

    for migration in reversed(SCHEDULE_MIGRATIONS):
        migration.unregister(apps, None)
    assert not PeriodicTask.objects.filter(task__startswith="reminders.").exists()
