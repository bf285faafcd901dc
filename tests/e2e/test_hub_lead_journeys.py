"""A hub lead's journeys: what needs them on the dashboard whatever year it is for, placing a
school and undoing a slip, and running a group's year (attendance, scheduling, the year's end)."""

import pytest
from playwright.sync_api import expect

from enrolment.selectors import coming_start_year
from schools.models import HubStaff
from tests.enrolment.conftest import make_group
from tests.factories import (
    TEST_PASSWORD,
    ExpressionOfInterestFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)
from workgroups.models import AcademicYear
from workgroups.services import academic_year_get_or_create

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hub = HubFactory(name="Abacus Maths Hub", slug="abacus-maths-hub")
    authority = LocalAuthorityFactory(hub=hub)
    lead = HubStaffFactory(
        hub=hub, role=HubStaff.Role.HUB_LEAD, user__email="lead@abacus.example"
    ).user
    specialist = HubStaffFactory(
        hub=hub,
        role=HubStaff.Role.MASTERY_SPECIALIST,
        user__full_name="Sam Specialist",
        user__email="sam@abacus.example",
        school=SchoolFactory(name="Specialist Primary School", local_authority=authority),
    ).user
    return {"hub": hub, "authority": authority, "lead": lead, "specialist": specialist}


def test_the_dashboard_shows_interest_waiting_for_next_year(world, page, assert_accessible):
    coming = coming_start_year()
    year = academic_year_get_or_create(start_year=coming)
    for n in range(4):
        ExpressionOfInterestFactory(
            school=SchoolFactory(name=f"Willow {n} Primary", local_authority=world["authority"]),
            academic_year=year,
        )
    coming_name = AcademicYear.name_for(coming)

    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    needs = page.get_by_role("region", name="What needs you")
    expect(needs).to_contain_text(f"expressions of interest for {coming_name} waiting")
    expect(
        page.get_by_role("table", name=f"Expressions of interest for {coming_name} by status")
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"CSV expressions of interest for {coming_name}"))
    assert_accessible(page)

    needs.get_by_role("link", name="4", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Expressions of interest")
    expect(page.get_by_text(f"4 expressions of interest ({coming_name},")).to_be_visible()
    expect(page.get_by_label("Year")).to_have_value(str(coming))
    expect(page.get_by_role("link", name="Willow 0 Primary")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Willow")).to_have_count(4)
    assert_accessible(page)


def test_placing_a_school_links_to_its_group_and_school_and_can_be_undone(
    world, page, assert_accessible
):
    year = academic_year_get_or_create(start_year=coming_start_year())
    group = make_group(hub=world["hub"], year=year, code="NCP27-D-07", capacity=1)
    eoi = ExpressionOfInterestFactory(
        school=SchoolFactory(name="Rowan Primary School", local_authority=world["authority"]),
        academic_year=year,
    )

    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.goto(f"/review/{eoi.reference}/")
    page.get_by_label("Work group*").select_option(str(group.pk))
    page.get_by_role("button", name="Place the school").click()
    placed = page.get_by_role("region", name="Placed in NCP27-D-07")
    expect(placed.get_by_role("link", name="NCP27-D-07")).to_be_visible()
    expect(placed.get_by_role("link", name="Rowan Primary School")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Undo the placement").click()
    expect(page.get_by_text("The placement of Rowan Primary School is undone")).to_be_visible()
    expect(page.locator("p.lead")).to_contain_text("Waiting for the hub's decision")
    expect(page.get_by_text("Placement undone")).to_be_visible()
    expect(page.get_by_role("button", name="Place the school")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Expressions of interest").first.click()
    page.goto(f"/groups/{group.pk}/")
    expect(page.locator("main")).not_to_contain_text("Rowan Primary School")
