"""Keyboard only: the expression of interest form (choose a school from the suggestions, fill
it in, send it, reach the error summary's links) and the action plan editor (edit, save, and the
focus stays where it makes sense)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from actionplans.models import ActionPlan
from schools.models import Hub, School

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 60


@pytest.fixture
def demo_data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
          return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
                  role: e.getAttribute("role") || "", text: e.textContent.trim()}; }"""
    )


def tab_to(page, matches) -> dict:
    """Press Tab until the focused element matches; fail after MAX_TABS."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError(f"Tab never reached the element; last was {element}")


ANSWERS = {
    "submitter_name": "Priya Patel",
    "submitter_role": "Maths subject leader",
    "submitter_email": "priya@school.example",
    "headteacher_name": "Helen Hughes",
    "headteacher_email": "head@school.example",
    "lead_1_name": "Liam Lewis",
    "lead_1_email": "liam@school.example",
    "lead_2_name": "Maya Morris",
    "lead_2_email": "maya@school.example",
}


def test_the_expression_of_interest_form_by_keyboard_alone(demo_data, page, assert_accessible):
    hub = Hub.objects.order_by("pk").first()
    school = (
        School.objects.filter(local_authority__hub=hub, status="open", phase_of_education="Primary")
        .order_by("urn")
        .first()
    )
    page.goto(reverse("enrolment:eoi-create", args=[hub.slug, "development"]))
    tab_to(page, lambda e: e["role"] == "combobox")
    page.keyboard.type(str(school.urn), delay=20)
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    combobox = page.get_by_role("combobox", name="Your school")
    expect(combobox).to_have_value(f"{school.name} ({school.urn})")
    expect(combobox).to_be_focused()

    # Every answer but the priorities, moving on with Tab; boxes ticked with Space.
    while True:
        element = tab_to(
            page,
            lambda e: (
                e["name"] in ANSWERS
                or e["type"] == "checkbox"
                or e["text"] == "Continue to check your answers"
            ),
        )
        if element["type"] == "checkbox":
            page.keyboard.press("Space")
        elif element["name"] in ANSWERS:
            page.keyboard.type(ANSWERS[element["name"]])
        else:
            break
    page.keyboard.press("Enter")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    link = summary.get_by_role("link", name="Tell us the school's priorities for maths.")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    priorities = page.get_by_label("The school's priorities for maths")
    expect(priorities).to_be_focused()
    page.keyboard.type("Fluency in number facts.")
    tab_to(page, lambda e: e["text"] == "Continue to check your answers")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your answers before sending")
    tab_to(page, lambda e: e["text"] == "Send")
    page.keyboard.press("Enter")
    # Sent (the demo school may already have asked: then its earlier reference is shown).
    expect(page).to_have_url(re.compile(r"/interest/sent/"))
    assert_accessible(page)


def test_the_action_plan_editor_by_keyboard_alone(demo_data, page, assert_accessible):
    plan = (
        ActionPlan.objects.filter(
            participation__school__contacts__user__email=DEMO_LOGINS["school_contact"][1],
            participation__status__in=["placed", "active"],
        )
        .order_by("pk")
        .first()
    )
    sign_in(page, DEMO_LOGINS["school_contact"][1], DEMO_PASSWORD)
    page.goto(reverse("actionplans:plan-edit", args=[plan.pk]))
    tab_to(page, lambda e: e["tag"] == "textarea" and e["name"] == "plan-context")
    page.keyboard.press("Control+A")
    page.keyboard.type("A one-form entry school; reasoning is this year's focus.")
    tab_to(page, lambda e: e["text"] == "Save context and outcomes")
    page.keyboard.press("Enter")
    status = page.locator("#plan-form-part [data-part-state]")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Saved at")
    # From the status, the next Tab goes on through the page, not back to its top.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.activeElement.compareDocumentPosition(document.querySelector('#plan-form-part'))"
        " & Node.DOCUMENT_POSITION_PRECEDING"
    )
    plan.refresh_from_db()
    assert plan.context == "A one-form entry school; reasoning is this year's focus."
    assert_accessible(page)
