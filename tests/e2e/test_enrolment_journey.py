"""A school finds its work group and expresses an interest; the hub lead places it; the invited
lead teacher sets a password and sees the school's page. The public pages pass axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from enrolment.models import ExpressionOfInterest
from enrolment.selectors import coming_start_year
from schools.models import HubStaff
from tests.enrolment.conftest import make_group
from tests.factories import (
    TEST_PASSWORD,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)
from workgroups.services import academic_year_get_or_create

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "fractions-on-a-number-line-42"


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hub = HubFactory(name="Abacus Maths Hub", slug="abacus-maths-hub")
    HubFactory(name="Boolean Maths Hub", slug="boolean-maths-hub")
    la = LocalAuthorityFactory(hub=hub)
    school = SchoolFactory(name="Oakfield Primary School", local_authority=la, postcode="LS1 4AB")
    SchoolFactory(name="Oakfield Infant School", local_authority=la)
    lead = HubStaffFactory(
        hub=hub, role=HubStaff.Role.HUB_LEAD, user__email="lead@abacus.example"
    ).user
    specialist = HubStaffFactory(
        hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST, user__full_name="Sam Specialist"
    ).user
    year = academic_year_get_or_create(start_year=coming_start_year())
    group = make_group(hub=hub, year=year, lead_user=specialist, code="NCP27-D-01")
    return {"hub": hub, "school": school, "lead": lead, "group": group}


def _fill(page, label, value):
    page.get_by_label(label, exact=True).fill(value)


def test_a_school_expresses_an_interest_and_is_placed(world, page, assert_accessible):
    school, group = world["school"], world["group"]

    # The school finds its hub's work group, without an account.
    page.goto("/")
    page.get_by_role("link", name="Find a work group").first.click()
    expect(page.locator("h1")).to_contain_text("Find a work group")
    assert_accessible(page)
    page.get_by_role("link", name="Abacus Maths Hub").click()
    expect(page.get_by_role("heading", name="Development")).to_be_visible()
    expect(page.get_by_text("7 of 7")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Express an interest in {group.title}").click()
    expect(page.locator("h1")).to_contain_text("Express an interest in Development")
    assert_accessible(page)

    # Sending an empty form: the summary at the top links to each problem.
    page.get_by_role("button", name="Continue to check your answers").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your school's name, URN or postcode.")
    assert_accessible(page)

    # The autocomplete finds the school; choosing it fills the URN.
    box = page.get_by_role("combobox", name="Your school")
    box.fill("")
    box.press_sequentially("oakfield prim", delay=20)
    option = page.get_by_role("option", name=re.compile("Oakfield Primary School"))
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    expect(box).to_have_value(f"Oakfield Primary School ({school.urn})")

    page.get_by_label("Work group", exact=True).select_option(str(group.pk))
    _fill(page, "Your name*", "Priya Patel")
    _fill(page, "Your role*", "Maths subject leader")
    _fill(page, "Your e-mail address*", "priya@oakfield.example")
    _fill(page, "Headteacher's name*", "Helen Hughes")
    _fill(page, "Headteacher's e-mail address*", "head@oakfield.example")
    _fill(page, "First lead teacher: name*", "Liam Lewis")
    _fill(page, "First lead teacher: e-mail address*", "liam@oakfield.example")
    _fill(page, "Second lead teacher: name*", "Maya Morris")
    _fill(page, "Second lead teacher: e-mail address*", "maya@oakfield.example")
    for box_ in page.locator("input[name^=commit_]").all():
        box_.check()
    _fill(page, "The school's priorities for maths*", "Fluency in number facts.")
    page.locator("#id_privacy_consent").check()
    page.get_by_role("button", name="Continue to check your answers").click()

    # Check your answers, change one, send.
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    assert_accessible(page)
    page.get_by_role("link", name="Change your role").click()
    _fill(page, "Your role*", "Deputy head and maths lead")
    page.get_by_role("button", name="Continue to check your answers").click()
    expect(page.get_by_text("Deputy head and maths lead")).to_be_visible()
    page.get_by_role("button", name="Send").click()

    expect(page.locator("h1")).to_have_text("Expression of interest sent")
    eoi = ExpressionOfInterest.objects.get()
    expect(page.locator("[data-reference]")).to_have_text(eoi.reference)
    assert_accessible(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]

    # The check ran after commit: eligible, and the school was told.
    eoi.refresh_from_db()
    assert eoi.outcome == "eligible"
    assert any("eligible" in m.subject for m in mail.outbox if m.to == ["priya@oakfield.example"])

    # The hub lead signs in and places the school.
    sign_in(page, world["lead"].email, TEST_PASSWORD)
    page.get_by_role("link", name="Expressions of interest").click()
    page.get_by_role("link", name=eoi.reference).click()
    expect(page.get_by_role("heading", name="Eligibility: Eligible")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Work group*").select_option(str(group.pk))
    page.get_by_role("button", name="Place the school").click()
    expect(page.get_by_text("is placed in NCP27-D-01")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The invited lead teacher sets a password and sees the school's page with its new step.
    invitation = next(m for m in mail.outbox if m.to == ["liam@oakfield.example"])
    link = re.search(r"https?://[^/\s]+(/account/invitations/\S+/)", invitation.body).group(1)
    page.goto(link)
    page.get_by_label("New password*", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password*", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator("h1")).to_have_text("Oakfield Primary School")
    expect(page.get_by_text("Development")).not_to_have_count(0)
    expect(page.locator("main")).to_contain_text(group.title)
    assert_accessible(page)


def test_the_form_works_without_javascript(world, browser, live_server):
    school = world["school"]
    # (axe-core runs as JavaScript, so this journey is checked by the one above.)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/work-groups/{world['hub'].slug}/interest/")
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("#error-summary")).to_contain_text("Choose a phase.")
        page.get_by_label("Development").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.locator("h1")).to_contain_text("Express an interest in Development")

        # Typed, not chosen from a list: the text is searched on the server.
        page.get_by_role("combobox", name="Your school").fill("oakfield")
        page.get_by_role("button", name="Continue to check your answers").click()
        expect(page.locator("#error-summary")).to_contain_text("More than one school matches")
        page.get_by_label(re.compile(f"Oakfield Primary School, URN {school.urn}")).check()
        _fill(page, "Your name*", "Priya Patel")
        _fill(page, "Your role*", "Maths subject leader")
        _fill(page, "Your e-mail address*", "priya@oakfield.example")
        _fill(page, "Headteacher's name*", "Helen Hughes")
        _fill(page, "Headteacher's e-mail address*", "head@oakfield.example")
        _fill(page, "First lead teacher: name*", "Liam Lewis")
        _fill(page, "First lead teacher: e-mail address*", "liam@oakfield.example")
        _fill(page, "Second lead teacher: name*", "Maya Morris")
        _fill(page, "Second lead teacher: e-mail address*", "maya@oakfield.example")
        for box in page.locator("input[name^=commit_]").all():
            box.check()
        _fill(page, "The school's priorities for maths*", "Reasoning.")
        page.locator("#id_privacy_consent").check()
        page.get_by_role("button", name="Continue to check your answers").click()
        expect(page.locator("main")).to_contain_text(f"URN {school.urn}")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("[data-reference]")).to_have_text(
            ExpressionOfInterest.objects.get().reference
        )
    finally:
        context.close()
