"""The scheduled scans as Celery tasks: beat queues each one each morning (see migrations).

Each task is single flight and only calls its scan; it returns how many e-mails it recorded, or
None when another run held the lock.
"""

import logging

from celery import shared_task
from django.db import OperationalError

from core.locks import single_flight

from . import scans

logger = logging.getLogger(__name__)

# A database that blinks is retried within minutes (well inside the broker's visibility timeout);
# anything else waits for the next morning, whose run catches up what this one missed.
SCAN_TASK = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 60,
    "retry_backoff_max": 600,
    "max_retries": 3,
}


def _single_flight_run(scan):
    with single_flight(f"reminders.{scan.__name__}") as acquired:
        if not acquired:
            logger.info("%s is already running elsewhere: this run does nothing.", scan.__name__)
            return None
        return scan()


@shared_task(**SCAN_TASK)
def remind_workshops_coming_up():
    """Workshops next week and tomorrow: participants, invited teachers, host school, lead."""
    return _single_flight_run(scans.workshops_coming_up)


@shared_task(**SCAN_TASK)
def remind_attendance_not_recorded():
    """Attendance not recorded two days after a workshop: its lead."""
    return _single_flight_run(scans.attendance_not_recorded)


@shared_task(**SCAN_TASK)
def remind_support_visits_coming_up():
    """Support visits in three days: the school's contacts and the lead."""
    return _single_flight_run(scans.support_visits_coming_up)


@shared_task(**SCAN_TASK)
def remind_visits_not_scheduled():
    """This term's visits not scheduled by mid-term: the lead."""
    return _single_flight_run(scans.visits_not_scheduled)


@shared_task(**SCAN_TASK)
def remind_action_plans_not_shared():
    """No action plan shared four weeks after the first workshop: the school's contacts."""
    return _single_flight_run(scans.action_plans_not_shared)


@shared_task(**SCAN_TASK)
def remind_mid_year_reviews_due():
    """Mid-year review due before the fourth workshop: the school's contacts."""
    return _single_flight_run(scans.mid_year_reviews_due)


@shared_task(**SCAN_TASK)
def remind_end_of_year_reflections_due():
    """End-of-year reflection due before the sixth workshop: the school's contacts."""
    return _single_flight_run(scans.end_of_year_reflections_due)


@shared_task(**SCAN_TASK)
def digest_eois_waiting():
    """Expressions of interest waiting more than ten days: a digest to the hub's leads."""
    return _single_flight_run(scans.eois_waiting)


@shared_task(**SCAN_TASK)
def digest_weekly():
    """The week's digest for each hub lead: what happened and what is overdue."""
    return _single_flight_run(scans.weekly_digest)


@shared_task(**SCAN_TASK)
def digest_mails_given_up():
    """Mail the outbox gave up on yesterday: a note to the hub's leads."""
    return _single_flight_run(scans.mails_given_up)
