import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# The heading each role's start page shows after signing in.
START_PAGES = {
    "staff": "Maths Hubs",
    "hub_lead": "Maths Hub",
    "specialist": "Maths Hub",
    "readiness_lead": "Maths Hub",
    "school_contact": "School",
}


@pytest.fixture
def demo_data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def test_home_page_is_accessible(page, assert_accessible):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"


@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_each_demo_role_signs_in_to_its_start_page(demo_data, page, assert_accessible, role):
    _, email, full_name = DEMO_LOGINS[role]
    sign_in(page, email, DEMO_PASSWORD)
    assert page.get_by_role("link", name=full_name).is_visible()
    heading = page.locator("h1")
    assert heading.count() == 1
    assert START_PAGES[role] in heading.inner_text()
    assert_accessible(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_sign_in_page_is_accessible(page, assert_accessible):
    page.goto("/account/login/")
    assert_accessible(page)


def test_the_sign_in_page_says_accounts_are_by_invitation_and_whom_to_ask(page, assert_accessible):
    page.goto("/account/login/")
    expect(page.get_by_text("please sign up first")).to_have_count(0)
    expect(page.get_by_role("link", name="sign up")).to_have_count(0)
    expect(page.get_by_text("Accounts are by invitation")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Find a work group").click()
    expect(page).to_have_url(re.compile(r"/work-groups/$"))
    page.goto("/account/signup/")
    expect(page.get_by_role("heading", name="Accounts are by invitation")).to_be_visible()
