"""A specialist schedules a workshop, marks attendance with htmx and records a visit."""

import pytest
from playwright.sync_api import expect

from core.roles import SYSTEM
from tests.factories import (
    TEST_PASSWORD,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
)
from workgroups.models import Attendance, SupportVisit
from workgroups.programme import Term
from workgroups.services import participation_place

from .conftest import running_group, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def group(hub, hub_school, specialist, school_contact):
    """A running Development group whose second half-term includes the last school day, with a
    second school that hosts."""
    group = running_group(
        hub, hub_school, specialist, school_contact, code="NCP-E2E-01", title="Development North"
    )
    host = SchoolFactory(
        name="Hill Top Primary School", local_authority=LocalAuthorityFactory(hub=hub)
    )
    participation_place(
        work_group=group,
        school=host,
        lead_participants=[SchoolContactFactory(school=host)],
        acting_user=SYSTEM,
    )
    return group


def test_a_specialist_runs_their_work_group(page, assert_accessible, group, specialist, hub_school):
    sign_in(page, specialist.email, TEST_PASSWORD)
    assert page.locator("h1").inner_text() == "My work groups at Test Maths Hub"
    assert_accessible(page)

    page.get_by_role("link", name="NCP-E2E-01", exact=True).click()
    assert "NCP-E2E-01 Development North" in page.locator("h1").inner_text()
    assert_accessible(page)

    # Schedule workshop 2 on the last school day, in the afternoon, at a participating school.
    page.get_by_role("link", name="Schedule workshop 2").click()
    page.get_by_label("Date").fill(group.day.isoformat())
    page.get_by_label("Afternoon").check()
    assert page.get_by_label("Starts at").input_value() == "13:00"  # filled in by our script
    page.get_by_label("Host school").select_option(label="Hill Top Primary School")
    page.get_by_label("Leadership").check()
    page.get_by_label("Collaborative planning").check()
    page.get_by_label("Agenda").fill("Lesson study on place value")
    assert_accessible(page)
    page.get_by_role("button", name="Save the workshop").click()
    # Both schools' lead participants are told (the host is one of them).
    assert "Workshop 2 is scheduled: 2 people were told by e-mail." in (
        page.locator(".messages").inner_text()
    )
    assert "Hill Top Primary School" in page.locator("main").inner_text()
    assert_accessible(page)

    # Mark attendance: each click posts with htmx and swaps just that row.
    row = page.locator("tr", has_text="Pat Participant")
    row.get_by_role("button", name="Present: Pat Participant").click()
    pressed = row.get_by_role("button", name="Present: Pat Participant")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(row.locator(".badge")).to_have_text("Present")
    page.get_by_role("button", name="Mark everyone not yet recorded as present").click()
    assert "1 more marked present." in page.locator(".messages").inner_text()
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    assert_accessible(page)

    # Record the autumn visit to the contact's school.
    page.get_by_role("link", name="NCP-E2E-01 Development North").click()
    page.get_by_role("link", name=f"Record the autumn visit to {hub_school.name}").click()
    page.get_by_label("Day of the visit").fill(group.day.isoformat())
    page.get_by_label("Lessons observed").fill("2")
    page.get_by_label("Supported an in-school TRG session").check()
    page.get_by_label("Discussion with the headteacher").check()
    page.get_by_label("Agreed next steps").fill("Fortnightly collaborative planning.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the visit").click()
    assert "is recorded" in page.locator(".messages").inner_text()
    visit = SupportVisit.objects.get(participation__school=hub_school, term=Term.AUTUMN)
    assert (visit.status, visit.lessons_observed, visit.trg_supported) == ("done", 2, True)
    assert "Done" in page.locator("table", has_text="Support visits").inner_text()
    assert_accessible(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_a_school_contact_reads_their_work_group_and_calendar_pages(
    page, assert_accessible, group, school_contact, hub_lead
):
    sign_in(page, school_contact.email, TEST_PASSWORD)
    page.get_by_role("link", name="Our work groups").click()
    assert page.locator("h1").inner_text() == "Our work groups"
    assert "NCP-E2E-01" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Put the workshops in your own calendar").click()
    page.get_by_role("button", name="Make my calendar address").click()
    assert "/calendar/" in page.get_by_label("Your calendar address").input_value()
    assert_accessible(page)


def test_a_hub_lead_sets_up_a_work_group(page, assert_accessible, group, hub_lead, specialist):
    sign_in(page, hub_lead.email, TEST_PASSWORD)
    assert "Test Maths Hub work groups" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Set up a work group").click()
    page.get_by_label("Phase").select_option(label="Sustaining")
    page.get_by_label("Code").fill("NCP-E2E-02")
    page.get_by_label("Title").fill("Sustaining South")
    page.get_by_label("Lead").select_option(index=1)
    assert_accessible(page)
    page.get_by_role("button", name="Set up the group").click()
    assert "NCP-E2E-02 Sustaining South" in page.locator("h1").inner_text()
    assert (
        page.locator("table", has_text="The six half-day workshops").locator("tbody tr").count()
        == 6
    )
    assert_accessible(page)
