"""A running Development group of `hub` in 2026/27, led by the `specialist`, on 23 November 2026.

`hub_school` (whose lead participant is the `school_contact`) and a second school take part;
every test here runs on that Monday unless it travels elsewhere.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
import time_machine

from core.roles import SYSTEM
from schools.models import HubStaff, School, SchoolContact
from tests.factories import LocalAuthorityFactory, SchoolContactFactory, SchoolFactory
from workgroups.models import LONDON, AcademicYear, Participation, WorkGroup, Workshop
from workgroups.programme import Phase
from workgroups.services import (
    academic_year_get_or_create,
    participation_place,
    work_group_create,
)

TODAY = date(2026, 11, 23)
# The day after 2026/27's last half-term: the year's teaching is over, its groups can complete.
YEAR_OVER = date(2027, 7, 22)


@pytest.fixture(autouse=True)
def _on_a_known_day():
    with time_machine.travel(datetime.combine(TODAY, time(10), LONDON), tick=True):
        yield


def after_the_year():
    """Travel to when 2026/27's teaching is over (a group's year can then be completed)."""
    return time_machine.travel(datetime.combine(YEAR_OVER, time(10), LONDON), tick=True)


@dataclass
class Group:
    year: AcademicYear
    group: WorkGroup
    participation: Participation
    participant: SchoolContact
    teacher: SchoolContact
    other_school: School
    other_participation: Participation
    other_leads: list

    def workshop(self, number: int) -> Workshop:
        return self.group.workshops.get(number=number)


def make_group(hub, lead_user, *, code="NCP26-11-01", phase=Phase.DEVELOPMENT, year=2026, **extra):
    return work_group_create(
        hub=hub,
        phase=phase,
        academic_year=academic_year_get_or_create(start_year=year),
        code=code,
        title=f"{phase.title()} work group",
        lead=HubStaff.objects.get(user=lead_user, hub=hub) if lead_user else None,
        status=extra.pop("status", WorkGroup.Status.RUNNING),
        **{"acting_user": SYSTEM, **extra},
    )


def school_in(hub, **kwargs) -> School:
    return SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub), **kwargs)


@pytest.fixture
def world(hub, hub_school, specialist, school_contact) -> Group:
    group = make_group(hub, specialist)
    participant = SchoolContact.objects.get(user=school_contact)
    teacher = SchoolContactFactory(
        school=hub_school, name="Lena Lead-Teacher", role=SchoolContact.Role.LEAD_TEACHER
    )
    participation = participation_place(
        work_group=group,
        school=hub_school,
        lead_participants=[participant, teacher],
        acting_user=SYSTEM,
    )
    other = school_in(hub, name="Other Lane Primary School")
    other_leads = SchoolContactFactory.create_batch(2, school=other)
    other_participation = participation_place(
        work_group=group, school=other, lead_participants=other_leads, acting_user=SYSTEM
    )
    return Group(
        year=group.academic_year,
        group=group,
        participation=participation,
        participant=participant,
        teacher=teacher,
        other_school=other,
        other_participation=other_participation,
        other_leads=other_leads,
    )
