"""A school contact's journeys: the school page they land on says what comes next (the next
workshop and where, their action plan and what is due, who their specialist is) and its pathway
leads to the pages of their work groups."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.services import action_plan_create
from core.roles import SYSTEM
from schools.models import HubStaff, SchoolContact
from tests.factories import TEST_PASSWORD, LocalAuthorityFactory, SchoolFactory
from workgroups.models import AcademicYear
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _school_day_ahead(days):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def group(hub, hub_school, specialist, school_contact):
    """A running Sustaining group of this year: the contact's school takes part, its next
    workshop is in a fortnight at another school."""
    year = academic_year_get_or_create(start_year=AcademicYear.start_year_for(timezone.localdate()))
    specialist.full_name = "Sam Specialist"
    specialist.save()
    group = work_group_create(
        hub=hub,
        phase=Phase.SUSTAINING,
        academic_year=year,
        code="NCP-E2E-S1",
        title="Sustaining East",
        lead=HubStaff.objects.get(user=specialist),
        status="running",
        acting_user=SYSTEM,
    )
    participant = SchoolContact.objects.get(user=school_contact)
    participation = participation_place(
        work_group=group, school=hub_school, lead_participants=[participant], acting_user=SYSTEM
    )
    action_plan_create(participation=participation, acting_user=SYSTEM, carry_over=False)
    host = SchoolFactory(
        name="Hill Top Primary School",
        street="1 Hill Road",
        town="Leeds",
        postcode="LS2 9JT",
        local_authority=LocalAuthorityFactory(hub=hub),
    )
    group.workshops.filter(number=3).update(
        date=_school_day_ahead(14), starts_at=time(9), ends_at=time(12), host_school=host
    )
    return group


def test_a_school_contact_lands_on_what_comes_next(
    page, assert_accessible, group, school_contact, hub_school
):
    sign_in(page, school_contact.email, TEST_PASSWORD)
    page.goto("/schools/mine/")
    expect(page.locator("h1")).to_have_text(hub_school.name)
    upcoming = page.get_by_role("region", name="What's next")
    expect(upcoming).to_contain_text("Workshop 3:")
    expect(upcoming).to_contain_text("09:00")
    expect(upcoming).to_contain_text("at Hill Top Primary School, 1 Hill Road, Leeds, LS2 9JT")
    expect(upcoming).to_contain_text("Draft")
    expect(upcoming).to_contain_text("share it with your specialist")
    expect(upcoming).to_contain_text("Sam Specialist")
    # What comes next is above the register's facts.
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("What's next") < headings.index("In the national register")
    assert_accessible(page)

    # The pathway's entry of this year is a link to the school's own page of its group.
    page.get_by_role("region", name="Pathway so far").get_by_role(
        "link", name="NCP-E2E-S1 Sustaining East"
    ).click()
    expect(page.locator("h1")).to_have_text("Our work groups")
    expect(page.get_by_role("heading", name=f"{hub_school.name}: NCP-E2E-S1")).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="Open the action plan of NCP-E2E-S1 Sustaining East").click()
    expect(page.locator("h1")).to_have_text(f"Action plan of {hub_school.name}")
    assert_accessible(page)
