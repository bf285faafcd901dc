import io
import random
import time

import pytest

from schools import demo as schools_demo
from workgroups import demo
from workgroups.models import Attendance, Participation, SupportVisit, WorkGroup, Workshop
from workgroups.programme import Phase
from workgroups.selectors import specialist_home

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    context = {"scale": "small", "rng": random.Random(2026), "stdout": io.StringIO()}
    context.update(schools_demo.seed(**context))
    started = time.monotonic()
    context.update(demo.seed(**context))
    context["seconds"] = time.monotonic() - started
    return context


def test_the_demo_holds_six_years_of_every_phase_quickly(seeded):
    assert seeded["seconds"] < 10
    hub = seeded["demo_hub"]
    groups = WorkGroup.objects.filter(hub=hub)
    years = sorted(set(groups.values_list("academic_year__start_year", flat=True)))
    assert years == [2021, 2022, 2023, 2024, 2025, 2026, 2027]
    assert set(
        groups.filter(academic_year__start_year=2026).values_list("phase", flat=True)
    ) == set(Phase.values)
    assert set(
        groups.filter(academic_year__start_year__lt=2026).values_list("status", flat=True)
    ) == {"completed"}
    assert set(groups.filter(academic_year__start_year=2026).values_list("status", flat=True)) == {
        "running"
    }
    assert set(groups.filter(academic_year__start_year=2027).values_list("status", flat=True)) == {
        "open"
    }
    # Schools follow the pathway: nobody is in two groups of one phase in one year.
    completed = Participation.objects.filter(status="completed")
    assert completed.exists() and Participation.objects.filter(status="withdrawn").count() == 1


def test_the_demo_specialist_has_a_year_under_way(seeded):
    specialist = seeded["demo_users"]["specialist"]
    led = WorkGroup.objects.filter(lead__user=specialist)
    assert led.filter(academic_year__start_year=2026).count() >= 3
    assert led.count() < WorkGroup.objects.filter(hub=seeded["demo_hub"]).count()
    home = specialist_home(user=specialist, today=TODAY)
    assert home.next_workshops and home.groups
    assert home.overdue_count > 0
    past = Workshop.objects.filter(work_group__lead__user=specialist, date__lt=TODAY)
    assert past.exists() and not past.filter(host_school__isnull=True).exists()
    assert Attendance.objects.filter(workshop__in=past).exists()
    visits = SupportVisit.objects.filter(participation__work_group__lead__user=specialist)
    assert {"done", "scheduled", "expected"} <= set(visits.values_list("status", flat=True))
    assert SupportVisit.objects.overdue_on(TODAY).filter(pk__in=visits).exists()


def test_the_demo_school_contact_is_in_the_specialists_development_group(seeded):
    contact = seeded["demo_users"]["school_contact"]
    participation = Participation.objects.get(
        school__contacts__user=contact, academic_year__start_year=2026
    )
    assert participation.phase == Phase.DEVELOPMENT
    assert participation.work_group.lead.user == seeded["demo_users"]["specialist"]
    assert participation.lead_participants.filter(user=contact).exists()
    assert participation.lead_participants.count() == 2
