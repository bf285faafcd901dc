"""A hub lead's journeys: what needs them on the dashboard whatever year it is for, placing a
school and undoing a slip, and running a group's year (attendance, scheduling, the year's end)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from enrolment.selectors import coming_start_year
from enrolment.services import eoi_place, eoi_submit
from notifications.models import Notification
from schools.models import HubStaff, SchoolContact
from tests.enrolment.conftest import answers, make_group
from tests.factories import (
    TEST_PASSWORD,
    ExpressionOfInterestFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
)
from workgroups.models import AcademicYear, WorkGroup
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create

from .conftest import running_group, sign_in

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
    """A running group whose workshop 2 was held on the last school day."""
    from workgroups.models import Workshop

    group = running_group(
        hub, hub_school, specialist, school_contact, code="NCP-E2E-A1", title="Development West"
    )
    Workshop.objects.filter(work_group=group, number=2).update(date=group.day, status="scheduled")
    return group.workshops.get(number=2)


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


def test_attendance_is_marked_on_a_phone_without_scrolling_sideways(
    page, assert_accessible, hub, hub_school, specialist, school_contact
):
    workshop = _held_workshop(hub, hub_school, specialist, school_contact)
    page.set_viewport_size({"width": 320, "height": 720})
    sign_in(page, specialist.email, TEST_PASSWORD)
    page.goto(f"/workshops/{workshop.pk}/")
    # The list fits the phone: nothing to scroll sideways, not even inside its own area.
    region = page.get_by_role("region", name="Who is expected")
    assert region.evaluate("area => area.scrollWidth <= area.clientWidth")
    row = page.locator("tr", has_text="Pat Participant")
    for label in ("Present", "Absent"):
        button = row.get_by_role("button", name=f"{label}: Pat Participant")
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, label  # on screen, whole
        expect(button).to_have_text(label)  # the full word
        assert box["height"] >= 24  # room for a thumb (WCAG 2.2 target size)
    row.get_by_role("button", name="Present: Pat Participant").click()
    expect(page.locator("tr", has_text="Pat Participant").locator(".badge")).to_have_text("Present")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def _running_group(world, *, start_year, code, school_name="Birch Primary School"):
    """A running Development group of the world's specialist in the year starting `start_year`,
    with one school taking part: its two lead teachers and its headteacher are contacts."""
    group = work_group_create(
        hub=world["hub"],
        phase=Phase.DEVELOPMENT,
        academic_year=academic_year_get_or_create(start_year=start_year),
        code=code,
        title="Development North",
        lead=HubStaff.objects.get(user=world["specialist"]),
        status=WorkGroup.Status.RUNNING,
        acting_user=SYSTEM,
    )
    school = SchoolFactory(name=school_name, local_authority=world["authority"])
    leads = [
        SchoolContactFactory(school=school, name=name, role=SchoolContact.Role.LEAD_TEACHER)
        for name in ("Pat Participant", "Lee Lead")
    ]
    SchoolContactFactory(school=school, name="Hana Head", role=SchoolContact.Role.HEADTEACHER)
    participation_place(
        work_group=group, school=school, lead_participants=leads, acting_user=SYSTEM
    )
    return group


def test_scheduling_a_draft_workshop_says_who_is_told_and_tells_them(
    world, page, assert_accessible
):
    group = _running_group(
        world, start_year=AcademicYear.start_year_for(timezone.localdate()), code="NCP-E2E-S1"
    )
    workshop = group.workshops.get(number=6)
    day = workshop.half_term.starts_on
    while day.weekday() >= 5:
        day += timedelta(days=1)

    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.goto(f"/workshops/{workshop.pk}/")
    page.get_by_role("link", name="Schedule this workshop").click()
    told = page.get_by_role("region", name="Who will be told")
    expect(told).to_contain_text("Pat Participant")
    expect(told).to_contain_text("Lee Lead")
    expect(told).to_contain_text("host school")
    assert_accessible(page)

    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Morning").check()
    page.get_by_label("Host school").select_option(label="Birch Primary School")
    page.get_by_role("button", name="Save the workshop").click()
    expect(page.locator(".messages")).to_contain_text("3 people were told")
    assert_accessible(page)
    told_to = Notification.objects.filter(kind="workshop_scheduled").values_list(
        "recipient", flat=True
    )
    assert len(told_to) == 3 == len(set(told_to))


def test_complete_the_year_is_offered_only_once_the_year_allows_it(world, page, assert_accessible):
    this_year = AcademicYear.start_year_for(timezone.localdate())
    coming = _running_group(world, start_year=this_year + 1, code="NCP-E2E-C1")
    last = _running_group(
        world, start_year=this_year - 1, code="NCP-E2E-C0", school_name="Elm Primary School"
    )

    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.goto(f"/groups/{coming.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("NCP-E2E-C1")
    expect(page.get_by_role("link", name="Complete the year")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        f"{AcademicYear.name_for(this_year + 1)} has not begun"
    )
    assert_accessible(page)
    page.goto(f"/groups/{coming.pk}/complete/")
    expect(page.get_by_role("button", name="Complete the group")).to_have_count(0)

    page.goto(f"/groups/{last.pk}/")
    page.get_by_role("link", name="Complete the year").click()
    page.get_by_role("button", name="Complete the group").click()
    expect(page.get_by_text("NCP-E2E-C0 is completed")).to_be_visible()


def test_copying_into_next_year_is_not_offered_once_it_has_groups(world, page, assert_accessible):
    this_year = AcademicYear.start_year_for(timezone.localdate())
    _running_group(world, start_year=this_year, code="NCP-E2E-Y1")
    for n in (1, 2):
        _running_group(
            world, start_year=this_year + 1, code=f"NCP-E2E-N{n}", school_name=f"Ash {n} Primary"
        )
    next_name = AcademicYear.name_for(this_year + 1)

    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.goto(f"/groups/?hub={world['hub'].slug}&year={this_year}")
    expect(page.get_by_role("link", name=f"Copy these groups into {next_name}")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(f"{next_name} already has 2 work groups")
    assert_accessible(page)
    page.get_by_role("link", name=f"the {next_name} work groups").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(next_name)

    page.goto(f"/groups/copy/?hub={world['hub'].slug}&year={this_year}")
    expect(page.locator("main")).to_contain_text(f"{next_name} already has 2 work groups")
    expect(page.get_by_role("button", name=re.compile("^Copy"))).to_have_count(0)


def test_sending_an_interest_again_after_a_placement_says_where_the_school_is(
    world, page, assert_accessible
):
    year = academic_year_get_or_create(start_year=coming_start_year())
    group = make_group(
        hub=world["hub"], year=year, code="NCP27-D-09", lead_user=world["specialist"]
    )
    school = SchoolFactory(name="Oakfield Primary School", local_authority=world["authority"])
    eoi, _ = eoi_submit(**answers(school))
    eoi.refresh_from_db()
    eoi_place(eoi=eoi, work_group=group, acting_user=SYSTEM)

    page.goto(f"/work-groups/{world['hub'].slug}/interest/development/")
    box = page.get_by_role("combobox", name="Your school")
    box.press_sequentially("oakfield prim", delay=20)
    page.get_by_role("option", name=re.compile("Oakfield Primary School")).click()
    fields = {
        "Your name*": "Priya Patel",
        "Your role*": "Maths subject leader",
        "Your e-mail address*": "priya@oakfield.example",
        "Headteacher's name*": "Helen Hughes",
        "Headteacher's e-mail address*": "head@oakfield.example",
        "First lead teacher: name*": "Liam Lewis",
        "First lead teacher: e-mail address*": "liam@oakfield.example",
        "Second lead teacher: name*": "Maya Morris",
        "Second lead teacher: e-mail address*": "maya@oakfield.example",
        "The school's priorities for maths*": "Fluency in number facts.",
    }
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    for box_ in page.locator("input[name^=commit_]").all():
        box_.check()
    page.locator("#id_privacy_consent").check()
    page.get_by_role("button", name="Continue to check your answers").click()
    page.get_by_role("button", name="Send").click()

    expect(page.locator("h1")).to_have_text("We already have this expression of interest")
    expect(page.locator("[data-reference]")).to_have_text(eoi.reference)
    main = page.locator("main")
    expect(main).to_contain_text("Placed")
    expect(main).to_contain_text("has a place in NCP27-D-09")
    expect(main).not_to_contain_text("when there is a place")
    assert_accessible(page)
    assert ExpressionOfInterest.objects.count() == 1
