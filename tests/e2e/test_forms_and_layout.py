"""Journeys that stumbled, tried in a real browser on the demo world: forms that say what is
wrong and where, pages that fit a phone, the hub lead's navigation and filters, the school
choice that says at once whether a school can take part, and the action plan editor that keeps
the person where they were."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from workgroups.models import SupportVisit, WorkGroup
from workgroups.selectors import current_start_year

from .conftest import sign_in

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
