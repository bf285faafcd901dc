"""A Sustaining work group led by the `specialist` fixture, with `hub_school` placed in it.

Work groups are built with workgroups.services, as the portal builds them.
"""

import pytest

from actionplans.services import action_plan_create
from core.roles import SYSTEM
from schools.models import HubStaff
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create


@pytest.fixture
def year(db):
    return academic_year_get_or_create(start_year=2025)


@pytest.fixture
def last_year(db):
    return academic_year_get_or_create(start_year=2024)


def make_work_group(*, hub, lead_user, year, phase=Phase.SUSTAINING, code=None, capacity=30):
    lead = HubStaff.objects.get(user=lead_user, hub=hub) if lead_user else None
    return work_group_create(
        hub=hub,
        phase=phase,
        academic_year=year,
        code=code or f"NCP{year.start_year % 100}-{phase[:3].upper()}-{hub.pk}-{lead_user.pk}",
        title=f"{phase.title()} work group",
        lead=lead,
        capacity=capacity,
        acting_user=SYSTEM,
    )


@pytest.fixture
def work_group(hub, specialist, year):
    return make_work_group(hub=hub, lead_user=specialist, year=year)


@pytest.fixture
def participation(work_group, hub_school):
    return participation_place(work_group=work_group, school=hub_school, acting_user=SYSTEM)


@pytest.fixture
def plan(participation, school_contact):
    return action_plan_create(participation=participation, acting_user=school_contact)
