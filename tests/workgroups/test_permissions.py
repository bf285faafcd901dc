"""No work group service trusts its caller: each refuses a person who may not act (a hub lead,
specialist or school contact of another hub, or a school contact of the group), changing
nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from core.roles import SYSTEM
from schools.models import HubStaff
from tests.factories import HubStaffFactory
from tests.support.services import services_taking_acting_user
from workgroups import services
from workgroups.models import (
    AcademicYear,
    Attendance,
    CalendarFeed,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
)
from workgroups.programme import Term

from .conftest import school_in

pytestmark = pytest.mark.django_db

PAST_DAY = date(2026, 11, 18)


@pytest.fixture
def refusals(world, hub, other_hub, school_contact, specialist, hub_lead):
    lead_elsewhere = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    group, participation = world.group, world.participation
    workshop = world.workshop(2)
    visit = participation.support_visits.get(term=Term.AUTUMN)
    year = AcademicYear.objects.get(start_year=2026)
    return {
        "work_group_create": lambda: services.work_group_create(
            hub=hub,
            phase="development",
            academic_year=year,
            code="NCP26-X",
            title="X",
            acting_user=lead_elsewhere,
        ),  # fmt: skip
        # The group's own lead may run it, not set it up.
        "work_group_update": lambda: services.work_group_update(
            work_group=group, capacity=20, acting_user=specialist
        ),
        "work_groups_copy_to_next_year": lambda: services.work_groups_copy_to_next_year(
            hub=hub, academic_year=year, acting_user=lead_elsewhere
        ),
        "work_group_complete": lambda: services.work_group_complete(
            work_group=group, acting_user=specialist
        ),
        "participation_place": lambda: services.participation_place(
            work_group=group, school=school_in(hub), acting_user=lead_elsewhere
        ),
        "participation_update": lambda: services.participation_update(
            participation=participation,
            lead_participants=[],
            release_days_used=3,
            acting_user=school_contact,
        ),
        "participation_grant_update": lambda: services.participation_grant_update(
            participation=participation, grant_status="claimed", acting_user=specialist
        ),
        "participation_withdraw": lambda: services.participation_withdraw(
            participation=participation, reason="No.", acting_user=lead_elsewhere
        ),
        # Undoing a placement is the hub lead's, as placing is: not the group's own lead.
        "participation_undo_placement": lambda: services.participation_undo_placement(
            participation=participation, acting_user=specialist
        ),
        "workshop_schedule": lambda: services.workshop_schedule(
            workshop=workshop, date=PAST_DAY, session="morning", acting_user=school_contact
        ),
        "workshop_invite": lambda: services.workshop_invite(
            workshop=workshop, contact=world.teacher, acting_user=lead_elsewhere
        ),
        "attendance_mark": lambda: services.attendance_mark(
            workshop=workshop,
            contact=world.participant,
            status="present",
            acting_user=school_contact,
        ),  # fmt: skip
        "attendance_mark_rest_present": lambda: services.attendance_mark_rest_present(
            workshop=workshop, acting_user=lead_elsewhere
        ),
        "support_visit_schedule": lambda: services.support_visit_schedule(
            visit=visit, scheduled_for=PAST_DAY, acting_user=school_contact
        ),
        "support_visit_record": lambda: services.support_visit_record(
            visit=visit, visited_on=PAST_DAY, next_steps="Go on.", acting_user=lead_elsewhere
        ),
        # A person's calendar address is theirs: not even their own hub's lead makes them one.
        "calendar_feed_reset": lambda: services.calendar_feed_reset(
            user=specialist, acting_user=hub_lead
        ),
    }


def _state():
    tables = (WorkGroup, Participation, Workshop, Attendance, SupportVisit, CalendarFeed)
    return [list(model.objects.order_by("pk").values_list()) for model in tables]


def test_every_work_group_service_has_a_refusal_case(refusals):
    assert set(refusals) == services_taking_acting_user(services)


@pytest.mark.parametrize(
    "name",
    [
        "work_group_create",
        "work_group_update",
        "work_groups_copy_to_next_year",
        "work_group_complete",
        "participation_place",
        "participation_update",
        "participation_grant_update",
        "participation_withdraw",
        "participation_undo_placement",
        "workshop_schedule",
        "workshop_invite",
        "attendance_mark",
        "attendance_mark_rest_present",
        "support_visit_schedule",
        "support_visit_record",
        "calendar_feed_reset",
    ],
)
def test_each_work_group_service_refuses_who_may_not_act(refusals, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        refusals[name]()
    assert _state() == before


def test_the_system_acts_and_is_recorded_as_nobody(world):
    workshop = services.workshop_schedule(
        workshop=world.workshop(2), date=PAST_DAY, session="morning", acting_user=SYSTEM
    )
    assert workshop.history.first().history_user is None
