"""A running Development work group of `hub`, led by the `specialist`, in 2025/26.

Three schools: `hub_school` (the `school_contact` is its lead participant; a headteacher and
another teacher are contacts too), a host school taking part, and a school that withdrew.
Workshops are drafts until a test schedules them with `schedule(...)`.
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
    participation_withdraw,
    work_group_create,
)


@dataclass
class World:
    year: AcademicYear
    group: WorkGroup
    school: School
    participation: Participation
    participant: SchoolContact
    headteacher: SchoolContact
    teacher: SchoolContact
    host: School
    host_participation: Participation
    host_contact: SchoolContact
    withdrawn: School
    withdrawn_participation: Participation
    withdrawn_contact: SchoolContact

    def workshop(self, number: int) -> Workshop:
        return self.group.workshops.get(number=number)


def build_group(*, hub, lead_user, year, code, phase=Phase.DEVELOPMENT) -> WorkGroup:
    return work_group_create(
        hub=hub,
        phase=phase,
        academic_year=year,
        code=code,
        title=f"{phase.title()} work group",
        lead=HubStaff.objects.get(user=lead_user, hub=hub),
        status=WorkGroup.Status.RUNNING,
        acting_user=SYSTEM,
    )


def place_school(group, *, hub, name) -> tuple[School, Participation, SchoolContact]:
    school = SchoolFactory(name=name, local_authority=LocalAuthorityFactory(hub=hub))
    contact = SchoolContactFactory(school=school, name=f"Lead at {name}")
    participation = participation_place(
        work_group=group, school=school, lead_participants=[contact], acting_user=SYSTEM
    )
    return school, participation, contact


@pytest.fixture
def world(hub, hub_school, specialist, school_contact) -> World:
    year = academic_year_get_or_create(start_year=2025)
    group = build_group(hub=hub, lead_user=specialist, year=year, code="NCP25-DEV-01")
    participant = SchoolContact.objects.get(user=school_contact)
    headteacher = SchoolContactFactory(
        school=hub_school, name="Hilary Head", role=SchoolContact.Role.HEADTEACHER
    )
    teacher = SchoolContactFactory(
        school=hub_school, name="Terry Teacher", role=SchoolContact.Role.OTHER
    )
    participation = participation_place(
        work_group=group, school=hub_school, lead_participants=[participant], acting_user=SYSTEM
    )
    host, host_participation, host_contact = place_school(group, hub=hub, name="Host Primary")
    withdrawn, withdrawn_participation, withdrawn_contact = place_school(
        group, hub=hub, name="Gone Primary"
    )
    participation_withdraw(
        participation=withdrawn_participation, reason="Staff changes.", acting_user=SYSTEM
    )
    withdrawn_participation.refresh_from_db()
    return World(
        year=year,
        group=group,
        school=hub_school,
        participation=participation,
        participant=participant,
        headteacher=headteacher,
        teacher=teacher,
        host=host,
        host_participation=host_participation,
        host_contact=host_contact,
        withdrawn=withdrawn,
        withdrawn_participation=withdrawn_participation,
        withdrawn_contact=withdrawn_contact,
    )


def schedule(workshop: Workshop, day: date, *, host: School | None = None) -> Workshop:
    """Give a workshop its day and host, as the specialist does on the workshop's page."""
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Workshop.Status.SCHEDULED, date=day, host_school=host or workshop.host_school
    )
    workshop.refresh_from_db()
    return workshop


def at(day: date, hour: int = 7) -> datetime:
    """The morning a scan runs, London time."""
    return datetime.combine(day, time(hour), LONDON)


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    """Run a scan's task as beat would on the morning of `day`; return the mails it sent."""

    def run(task, day: date):
        before = len(mailoutbox)
        with (
            time_machine.travel(at(day), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            task.delay().get()
        return mailoutbox[before:]

    return run


def recipients(mails) -> set[str]:
    return {address for mail in mails for address in mail.to}
