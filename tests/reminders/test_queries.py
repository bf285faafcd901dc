"""Each scan reads in a fixed number of queries, however many groups, schools and people are due.

A scan's first run also records its e-mails, a few queries each (that is O(mails) by design); a
second run finds every mail already in the outbox, so what it costs is the scan's reads alone.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import scans
from schools.models import HubStaff
from tests.factories import (
    ExpressionOfInterestFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
)
from workgroups.models import LONDON, Attendance, SupportVisit
from workgroups.programme import Term
from workgroups.services import academic_year_get_or_create

from .conftest import build_group, place_school, schedule

pytestmark = pytest.mark.django_db

# Each scan, the morning it finds the data below due, and the most queries its reads may take.
SCANS = [
    (scans.workshops_coming_up, date(2025, 10, 9), 6),
    (scans.attendance_not_recorded, date(2025, 10, 18), 2),
    (scans.support_visits_coming_up, date(2025, 10, 17), 3),
    (scans.visits_not_scheduled, date(2025, 10, 24), 4),
    (scans.action_plans_not_shared, date(2025, 11, 13), 3),
    (scans.mid_year_reviews_due, date(2026, 2, 19), 3),
    (scans.end_of_year_reflections_due, date(2026, 6, 11), 3),
    (scans.eois_waiting, date(2025, 10, 12), 3),
    (scans.weekly_digest, date(2025, 11, 17), 13),
]


def add_hub_with_groups(groups: int) -> None:
    """A hub with its lead, `groups` running groups of three schools, each with every date due."""
    year = academic_year_get_or_create(start_year=2025)
    hub = HubFactory()
    HubStaffFactory(hub=hub, role=HubStaff.Role.HUB_LEAD)
    for n in range(groups):
        specialist = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST)
        group = build_group(hub=hub, lead_user=specialist.user, year=year, code=f"Q-{hub.pk}-{n}")
        schools = [place_school(group, hub=hub, name=f"School {hub.pk}-{n}-{i}") for i in range(3)]
        for school, _, _ in schools:
            SchoolContactFactory(school=school)
        first = schedule(group.workshops.get(number=1), date(2025, 10, 16), host=schools[0][0])
        schedule(group.workshops.get(number=4), date(2026, 3, 5))
        schedule(group.workshops.get(number=6), date(2026, 6, 25))
        school, participation, _ = schools[1]
        Attendance.objects.create(
            workshop=first,
            participation=participation,
            contact=SchoolContactFactory(school=school),
            is_lead_participant=False,
        )
        SupportVisit.objects.filter(participation=participation, term=Term.AUTUMN).update(
            status=SupportVisit.Status.SCHEDULED, scheduled_for=date(2025, 10, 20)
        )
        with time_machine.travel(datetime(2025, 10, 1, 9, tzinfo=LONDON)):
            ExpressionOfInterestFactory(
                school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)),
                academic_year=academic_year_get_or_create(start_year=2026),
            )


def run_scan(scan, day) -> tuple[int, int]:
    """Run the scan on the morning of `day`: (e-mails recorded, queries taken)."""
    with (
        time_machine.travel(datetime.combine(day, time(7), LONDON), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        recorded = scan()
    return recorded, len(queries)


@pytest.mark.parametrize(("scan", "day", "most"), SCANS, ids=[s.__name__ for s, *_ in SCANS])
def test_a_scan_reads_in_the_same_number_of_queries_at_two_sizes(
    scan, day, most, django_assert_max_num_queries
):
    add_hub_with_groups(1)
    small_mails, _ = run_scan(scan, day)
    with django_assert_max_num_queries(most):
        again, small_reads = run_scan(scan, day)
    assert (small_mails, again) != (0, 0) and again == 0

    add_hub_with_groups(4)
    add_hub_with_groups(4)
    large_mails, _ = run_scan(scan, day)
    with django_assert_max_num_queries(most):
        again, large_reads = run_scan(scan, day)

    assert again == 0
    assert large_mails > small_mails
    assert large_reads == small_reads
