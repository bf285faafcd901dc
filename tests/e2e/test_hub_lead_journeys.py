"""A hub lead's journeys: what needs them on the dashboard whatever year it is for, placing a
school and undoing a slip, and running a group's year (attendance, scheduling, the year's end)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import SYSTEM
from enrolment.selectors import coming_start_year
from schools.models import HubStaff, SchoolContact
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
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create

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


def _held_workshop(hub, hub_school, specialist, school_contact):
    """A running group whose workshop 2 was held on the last school day (the workgroup
    journey's world), with its page's address."""
    from workgroups.models import Workshop

    day = _last_school_day()
    year = academic_year_get_or_create(start_year=AcademicYear.start_year_for(day))
    half_term = year.half_terms.get(number=2)
    half_term.starts_on = min(half_term.starts_on, day)
    half_term.ends_on = max(half_term.ends_on, day)
    half_term.save()
    group = work_group_create(
        hub=hub,
        phase=Phase.DEVELOPMENT,
        academic_year=year,
        code="NCP-E2E-A1",
        title="Development West",
        lead=HubStaff.objects.get(user=specialist),
        status="running",
        acting_user=SYSTEM,
    )
    participant = SchoolContact.objects.get(user=school_contact)
    participant.name = "Pat Participant"
    participant.save()
    participation_place(
        work_group=group, school=hub_school, lead_participants=[participant], acting_user=SYSTEM
    )
    Workshop.objects.filter(work_group=group, number=2).update(date=day, status="scheduled")
    return group.workshops.get(number=2)


def _last_school_day():
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def test_attendance_marks_work_by_keyboard_and_keep_the_focus(
    page, assert_accessible, hub, hub_school, specialist, school_contact, hub_lead
):
    workshop = _held_workshop(hub, hub_school, specialist, school_contact)
    sign_in(page, hub_lead.email, TEST_PASSWORD)
    page.goto(f"/workshops/{workshop.pk}/")

    row = page.locator("tr", has_text="Pat Participant")
    assert_accessible(page)

    # By keyboard alone: on "Absent", press Enter; the focus stays on it, now pressed.
    absent = row.get_by_role("button", name="Absent: Pat Participant")
    absent.focus()
    page.keyboard.press("Enter")
    expect(row.locator(".badge")).to_have_text("Absent")
    absent = page.locator("tr", has_text="Pat Participant").get_by_role(
        "button", name="Absent: Pat Participant"
    )
    expect(absent).to_have_attribute("aria-pressed", "true")
    expect(absent).to_be_focused()
    # Shift+Tab moves to "Present"; Space marks it, and the focus stays there too.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    present = page.locator("tr", has_text="Pat Participant").get_by_role(
        "button", name="Present: Pat Participant"
    )
    expect(present).to_have_attribute("aria-pressed", "true")
    expect(present).to_be_focused()
    expect(
        page.locator("tr", has_text="Pat Participant").get_by_role(
            "button", name="Absent: Pat Participant"
        )
    ).to_have_attribute("aria-pressed", "false")
    # A button that keeps its id changes colour with Bootstrap's 0.15 s transition: axe reads
    # the colours once it has run.
    page.wait_for_timeout(300)
    assert_accessible(page)
