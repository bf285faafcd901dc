"""Journeys that stumbled, tried in a real browser on the demo world: forms that say what is
wrong and where, pages that fit a phone, the hub lead's navigation and filters, the school
choice that says at once whether a school can take part, and the action plan editor that keeps
the person where they were."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from actionplans.models import ActionPlan
from schools.models import Hub, School
from tests.factories import SchoolFactory
from workgroups.models import SupportVisit, WorkGroup, Workshop
from workgroups.selectors import current_start_year

from .conftest import sign_in
from .test_sweep import PHONE, REFLOW

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def sign_in_as(page, role):
    _, email, _ = DEMO_LOGINS[role]
    sign_in(page, email, DEMO_PASSWORD)


# 8. Every form says what is wrong, where, and what to do -----------------------------------------


def test_a_taken_work_group_code_is_named_in_an_error_summary_linked_to_the_field(
    demo_data, page, assert_accessible
):
    this_year = current_start_year()
    taken = (
        WorkGroup.objects.filter(academic_year__start_year__in=[this_year, this_year + 1])
        .order_by("pk")
        .first()
    )
    sign_in_as(page, "hub_lead")
    page.goto(reverse("workgroups:work-group-create"))
    page.get_by_label("Academic year").select_option(str(taken.academic_year.start_year))
    page.get_by_label("Code").fill(taken.code.lower())
    page.get_by_label("Title").fill("Another group")
    page.get_by_role("button", name="Set up the group").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    message = f"A work group with code {taken.code} already exists this year: choose another code."
    link = summary.get_by_role("link", name=message)
    expect(link).to_be_visible()
    expect(page.locator("#div_id_code")).to_contain_text(message)
    link.click()
    expect(page.get_by_label("Code")).to_be_focused()
    assert_accessible(page)


def test_the_visit_form_is_prefilled_with_the_planned_day_and_names_what_is_missing(
    demo_data, page, assert_accessible
):
    visit = (
        SupportVisit.objects.filter(
            scheduled_for__isnull=False,
            visited_on__isnull=True,
            participation__work_group__lead__user__email=DEMO_LOGINS["specialist"][1],
        )
        .order_by("pk")
        .first()
    )
    sign_in_as(page, "specialist")
    page.goto(reverse("workgroups:visit-record", args=[visit.pk]))
    day = page.get_by_label("Day of the visit")
    expect(day).to_have_value(visit.scheduled_for.isoformat())
    day.fill("")
    page.get_by_role("button", name="Record the visit").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the day of the visit.")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the agreed next steps.")).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    assert_accessible(page)


# 5. Phones: no page scrolls sideways; a wide table scrolls in its own labelled area ---------------


def _fits_a_phone(page, path):
    page.goto(path)
    problems = page.evaluate(REFLOW)
    assert not problems, f"{path}: {problems}"
    regions = page.locator("main .table-scroll")
    for i in range(regions.count()):
        region = regions.nth(i)
        expect(region).to_have_attribute("role", "region")
        expect(region).to_have_attribute("tabindex", "0")
        assert region.get_attribute("aria-label")


def test_the_key_pages_fit_a_phone_with_wide_tables_in_their_own_scroll_area(demo_data, page):
    hub = Hub.objects.order_by("pk").first()
    specialist = DEMO_LOGINS["specialist"][1]
    group = WorkGroup.objects.filter(lead__user__email=specialist).order_by("pk").first()
    workshop = Workshop.objects.filter(work_group=group).order_by("number").first()
    page.set_viewport_size(PHONE)
    _fits_a_phone(page, reverse("enrolment:hub-catalogue", args=[hub.slug]))
    sign_in_as(page, "hub_lead")
    for name in ("workgroups:cohort", "enrolment:eoi-list", "reports:dashboard"):
        _fits_a_phone(page, reverse(name))
    page.context.clear_cookies()
    sign_in_as(page, "specialist")
    _fits_a_phone(page, reverse("workgroups:my-work-groups"))
    _fits_a_phone(page, reverse("workgroups:work-group-detail", args=[group.pk]))
    _fits_a_phone(page, reverse("workgroups:workshop-detail", args=[workshop.pk]))
    page.context.clear_cookies()
    sign_in_as(page, "school_contact")
    _fits_a_phone(page, reverse("workgroups:my-participation"))
    plan = ActionPlan.objects.filter(
        participation__school__contacts__user__email=DEMO_LOGINS["school_contact"][1]
    ).first()
    _fits_a_phone(page, reverse("actionplans:plan-detail", args=[plan.pk]))
    _fits_a_phone(page, reverse("actionplans:plan-edit", args=[plan.pk]))


# 9. The hub lead's screens: one line of navigation, styled filters, no invalid mark unexplained --

DESK = {"width": 1280, "height": 800}


def test_the_hub_leads_navigation_fits_one_line_and_more_opens_by_keyboard(
    demo_data, page, assert_accessible
):
    page.set_viewport_size(DESK)
    sign_in_as(page, "hub_lead")
    tops = page.eval_on_selector_all(
        "#main-nav > .navbar-nav > .nav-item",
        "items => items.map((item) => Math.round(item.getBoundingClientRect().top))",
    )
    assert len(set(tops)) == 1, f"the navigation wraps: {tops}"
    more = page.get_by_role("button", name="More")
    more.focus()
    page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="My hub")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/hubs/"))
    assert_accessible(page)


def test_every_roles_navigation_fits_one_line_on_a_desk(demo_data, browser, live_server):
    for role in ("staff", "specialist", "school_contact"):
        context = browser.new_context(base_url=live_server.url, viewport=DESK)
        page = context.new_page()
        try:
            sign_in_as(page, role)
            tops = page.eval_on_selector_all(
                "#main-nav > .navbar-nav > .nav-item",
                "items => items.map((item) => Math.round(item.getBoundingClientRect().top))",
            )
            assert len(set(tops)) == 1, f"{role}'s navigation wraps: {tops}"
        finally:
            context.close()


def test_the_review_filters_are_styled_aligned_and_say_why_a_year_is_refused(
    demo_data, page, assert_accessible
):
    page.set_viewport_size(DESK)
    sign_in_as(page, "hub_lead")
    page.goto(reverse("enrolment:eoi-list"))
    filters = page.get_by_role("form", name="Filter expressions of interest")
    selects = filters.locator("select")
    assert selects.count() == 4
    for i in range(4):
        expect(selects.nth(i)).to_have_class("form-select")
    tops = selects.evaluate_all("s => s.map((e) => Math.round(e.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, f"the filters are not in one row: {tops}"
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.goto(reverse("enrolment:eoi-list") + "?academic_year__start_year=1999")
    year = page.get_by_label("Year")
    expect(year).to_have_attribute("aria-invalid", "true")
    described_by = year.get_attribute("aria-describedby")
    message = page.locator(f"#{described_by}")
    expect(message).to_be_visible()
    expect(message).to_contain_text("No expressions of interest are for that year")
    assert_accessible(page)


# 3. A school that cannot take part is refused when chosen, with what to do instead ----------------


@pytest.mark.parametrize(
    ("name", "why", "instead"),
    [
        (
            "Zephyr High School",
            "Zephyr High School is not a primary school in the register",
            "secondary Teaching for Mastery programme instead",
        ),
        (
            "Zephyr Old Primary School",
            "Zephyr Old Primary School is closed in the register of schools.",
            "it has a new URN: search for it by its new name or URN",
        ),
    ],
)
def test_a_school_that_cannot_take_part_is_refused_as_soon_as_it_is_chosen(
    demo_data, page, assert_accessible, name, why, instead
):
    hub = Hub.objects.order_by("pk").first()
    local_authority = hub.local_authorities.first()
    SchoolFactory(
        urn=990001,
        name="Zephyr High School",
        local_authority=local_authority,
        phase_of_education="Secondary",
    )
    SchoolFactory(
        urn=990002,
        name="Zephyr Old Primary School",
        local_authority=local_authority,
        status=School.Status.CLOSED,
    )
    page.goto(reverse("enrolment:eoi-create", args=[hub.slug, "development"]))
    box = page.get_by_role("combobox", name="Your school")
    box.press_sequentially("zephyr", delay=20)
    option = page.get_by_role("option", name=re.compile(name))
    expect(option).to_contain_text("cannot take part")
    option.click()
    refusal = page.locator("#id_school_query_refusal")
    expect(refusal).to_contain_text(why)
    expect(refusal).to_contain_text(instead)
    expect(refusal).to_contain_text(hub.name)
    expect(box).to_have_attribute("aria-invalid", "true")
    assert "id_school_query_refusal" in box.get_attribute("aria-describedby")
    assert_accessible(page)
    # Typing again takes the refusal away; the form still checks the school when sent.
    box.press_sequentially(" ", delay=20)
    expect(refusal).to_be_empty()


# 2. The action plan editor keeps the person where they were after a save -------------------------


def school_contacts_plan(status=None):
    plan = (
        ActionPlan.objects.filter(
            participation__school__contacts__user__email=DEMO_LOGINS["school_contact"][1],
            participation__status__in=["placed", "active"],
        )
        .order_by("pk")
        .first()
    )
    if status:
        ActionPlan.objects.filter(pk=plan.pk).update(status=status)
    return plan


def test_saving_the_plans_context_keeps_the_place_focuses_the_saved_status_and_updates_the_badge(
    demo_data, page, assert_accessible
):
    plan = school_contacts_plan(status="reviewed")
    sign_in_as(page, "school_contact")
    page.goto(reverse("actionplans:plan-edit", args=[plan.pk]))
    expect(page.locator("#plan-state")).to_contain_text("Reviewed")
    share = page.get_by_role("button", name="Share the plan with the specialist")
    expect(share).to_have_count(0)
    context = page.locator("#plan-form-part textarea").first
    context.fill("We are a two-form entry school; maths is a priority this year.")
    save = page.get_by_role("button", name="Save context and outcomes")
    save.scroll_into_view_if_needed()
    before = save.evaluate("b => b.getBoundingClientRect().top")
    save.click()
    status = page.locator("#plan-form-part [data-part-state]")
    expect(status).to_contain_text("Saved at")
    expect(status).to_be_focused()
    after = page.get_by_role("button", name="Save context and outcomes").evaluate(
        "b => b.getBoundingClientRect().top"
    )
    assert abs(after - before) < 40, f"the page moved {after - before}px"
    assert status.evaluate("s => s.getBoundingClientRect().bottom <= window.innerHeight")
    expect(page.locator("#plan-state")).to_contain_text("Revised since the review")
    expect(share).to_be_visible()
    assert_accessible(page)
