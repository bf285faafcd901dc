"""An action plan's round: the lead participant writes and shares it, the specialist comments
and reviews, the school revises, and the changes page shows what changed. Then two contacts
edit the same action at once, and the second is shown the conflict."""

import re

import pytest
from playwright.sync_api import expect

from actionplans.services import action_plan_create
from core.roles import SYSTEM
from schools.models import HubStaff, SchoolContact
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    PriorityFactory,
    SchoolContactFactory,
    SchoolFactory,
    UserFactory,
)
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hub = HubFactory(name="Journey Maths Hub", slug="journey")
    school = SchoolFactory(
        name="Meadow View Primary", local_authority=LocalAuthorityFactory(hub=hub)
    )
    specialist = HubStaffFactory(
        hub=hub,
        role=HubStaff.Role.MASTERY_SPECIALIST,
        user__email="sam@example.org",
        user__full_name="Sam Specialist",
    )
    contacts = []
    for email, name in (("lena@example.org", "Lena Lead"), ("cara@example.org", "Cara Colleague")):
        user = UserFactory(email=email, full_name=name)
        SchoolContactFactory(
            school=school, user=user, email=email, role=SchoolContact.Role.LEAD_PARTICIPANT
        )
        contacts.append(user)
    group = work_group_create(
        hub=hub,
        phase=Phase.SUSTAINING,
        academic_year=academic_year_get_or_create(start_year=2025),
        code="NCP25-11-01",
        title="Sustaining Teaching for Mastery",
        lead=specialist,
        acting_user=SYSTEM,
    )
    participation = participation_place(work_group=group, school=school, acting_user=SYSTEM)
    hub_lead = HubStaffFactory(
        hub=hub, role=HubStaff.Role.HUB_LEAD, user__email="helen@example.org"
    ).user
    return {
        "hub_lead": hub_lead,
        "plan": action_plan_create(participation=participation, acting_user=contacts[0]),
        "group": group,
        "lead_participant": contacts[0],
        "colleague": contacts[1],
        "specialist": specialist.user,
    }


@pytest.fixture
def page_for(browser, live_server):
    """A signed-in page per person, each in its own browser context, closed before the server
    stops so no request is left in flight."""
    contexts = []

    def open_page(user):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors
        sign_in(page, user.email, TEST_PASSWORD)
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_write_share_review_revise_and_see_the_change(page_for, world, assert_accessible):
    plan = world["plan"]
    school = page_for(world["lead_participant"])

    # The lead participant writes the plan.
    school.goto(f"/action-plans/{plan.pk}/edit/")
    assert school.locator("h1").count() == 1
    school.get_by_label("The school's context").fill("Two-form entry; two new teachers this year.")
    school.get_by_role("button", name="Save context and outcomes").click()
    expect(school.locator("#plan-form-part [role=status]")).to_contain_text("Saved at")

    new_priority = school.locator("#new-priority")
    new_priority.get_by_label("Title").fill("Fluency in number facts")
    new_priority.get_by_label("Fluency").check()
    new_priority.get_by_role("button", name="Add priority").click()
    expect(school.locator(".messages")).to_contain_text("Priority “Fluency in number facts” added")

    school.get_by_text("Add an action to “Fluency in number facts”").click()
    new_action = school.locator("details[id^=new-action-]")
    new_action.get_by_label("What will be done").fill("Daily ten-minute fluency sessions")
    new_action.get_by_label("Who leads it").fill("Maths subject leader")
    new_action.get_by_label("Start date").fill("2025-09-15")
    new_action.get_by_label("Due date").fill("2026-07-10")
    new_action.get_by_label("Success criteria").fill("Seen in every class")
    new_action.get_by_role("button", name="Add action").click()
    expect(school.locator(".messages")).to_contain_text("Action added")
    assert_accessible(school)

    school.get_by_role("button", name="Share the plan with the specialist").first.click()
    expect(school.locator(".messages")).to_contain_text("shared with your specialist")
    expect(school.locator(".badge").first).to_have_text("Shared with the specialist")

    # The specialist sees it waiting in the group's overview, comments and reviews.
    specialist = page_for(world["specialist"])
    specialist.goto(f"/action-plans/groups/{world['group'].pk}/")
    row = specialist.get_by_role("row", name=re.compile("Meadow View Primary"))
    expect(row).to_contain_text("Shared with the specialist")
    assert_accessible(specialist)
    row.get_by_role("link", name="Meadow View Primary").click()

    specialist.get_by_text("Comment on this action", exact=True).click()
    specialist.get_by_label("Your comment on this action").fill("How will you check it happens?")
    specialist.get_by_role("button", name="Add comment").first.click()
    expect(specialist.locator(".messages")).to_contain_text("Your comment is added")
    specialist.get_by_label("Overall comment for the school (optional)").fill("A clear start.")
    specialist.get_by_role("button", name="Record the review").click()
    expect(specialist.locator(".messages")).to_contain_text("Your review is recorded")
    assert_accessible(specialist)

    # The school revises the action in answer to the comment.
    school.goto(f"/action-plans/{plan.pk}/edit/")
    expect(school.get_by_text("How will you check it happens?")).to_be_visible()
    action_part = school.locator("[id^=action-][id$=-part]").first
    action_part.get_by_label("Success criteria").fill(
        "Seen in every class on a monthly learning walk"
    )
    action_part.get_by_label("Status").select_option("On track")
    action_part.get_by_role("button", name="Save action").click()
    expect(school.locator("[id^=action-][id$=-part] [role=status]")).to_contain_text("Saved at")

    # The changes page shows the change, side by side.
    specialist.goto(f"/action-plans/{plan.pk}/changes/")
    old = specialist.locator("td.diff-old", has_text="Seen in every class")
    new = specialist.locator("td.diff-new", has_text="monthly learning walk")
    expect(old).to_be_visible()
    expect(new).to_be_visible()
    expect(specialist.locator("td.diff-new", has_text="On track")).to_be_visible()
    assert_accessible(specialist)

    # The print page reads on A4: controls hidden, nothing wider than the printable width
    # (210 mm less the stylesheet's 14 mm margins is about 690 CSS pixels).
    specialist.goto(f"/action-plans/{plan.pk}/print/")
    specialist.set_viewport_size({"width": 690, "height": 1000})
    specialist.emulate_media(media="print")
    expect(specialist.get_by_role("button", name="Print this plan")).to_be_hidden()
    expect(specialist.get_by_role("cell", name=re.compile("Daily ten-minute"))).to_be_visible()
    assert specialist.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert specialist.pdf(format="A4").startswith(b"%PDF")
    # The other pages of the round, as the hub lead reads them.
    hub_lead = page_for(world["hub_lead"])
    for url in (
        "/action-plans/?year=2025",
        "/action-plans/hubs/journey/?year=2025",
        f"/action-plans/{plan.pk}/history/",
        f"/action-plans/{plan.pk}/print/",
    ):
        hub_lead.goto(url)
        assert hub_lead.locator("h1").count() == 1
        assert_accessible(hub_lead)
    hub_lead.goto("/action-plans/hubs/journey/?year=2025")
    expect(hub_lead.get_by_role("row", name=re.compile("Meadow View Primary"))).to_contain_text(
        "Revised since the review"
    )
    for page in (school, specialist, hub_lead):
        assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_two_contacts_editing_the_same_action(page_for, world, assert_accessible):
    plan = world["plan"]
    action = ActionFactory(
        priority=PriorityFactory(plan=plan, title="Representations"),
        description="Agree the bar model progression",
    )
    first = page_for(world["lead_participant"])
    second = page_for(world["colleague"])
    for page in (first, second):
        page.goto(f"/action-plans/{plan.pk}/edit/")

    part = f"#action-{action.pk}-part"
    first.locator(part).get_by_label("Who leads it").fill("Deputy head")
    first.locator(part).get_by_role("button", name="Save action").click()
    expect(first.locator(part).locator("[role=status]")).to_contain_text("Saved at")

    second.locator(part).get_by_label("Who leads it").fill("Year 2 teacher")
    second.locator(part).get_by_role("button", name="Save action").click()
    alert = second.locator(part).get_by_role("alert")
    expect(alert).to_contain_text("Someone else saved this while you were editing")
    expect(alert).to_contain_text("Lena Lead")
    expect(alert.get_by_role("cell", name="Deputy head")).to_be_visible()
    expect(alert.get_by_role("cell", name="Year 2 teacher")).to_be_visible()
    expect(second.locator(part).get_by_label("Who leads it")).to_have_value("Year 2 teacher")
    assert_accessible(second)

    action.refresh_from_db()
    assert action.owner == "Deputy head"  # nothing overwritten silently

    # Having seen both, the colleague saves theirs on purpose.
    second.locator(part).get_by_role("button", name="Save action").click()
    expect(second.locator(part).locator("[role=status]")).to_contain_text("Saved at")
    action.refresh_from_db()
    assert action.owner == "Year 2 teacher"
