"""Staff roles sign in with a second factor, the admin's door included."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from schools.models import HubStaff
from tests.factories import TEST_PASSWORD, HubStaffFactory, StaffUserFactory
from tests.support.sessions import give_authenticator

from .conftest import enter_code, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hub_lead_without_one_sets_up_an_authenticator_before_anything_else(
    page, assert_accessible
):
    lead = HubStaffFactory(role=HubStaff.Role.HUB_LEAD).user
    sign_in(page, lead.email, TEST_PASSWORD, second_factor=False)
    expect(page).to_have_url(re.compile(r"/account/2fa/totp/activate/$"))
    expect(page.get_by_text("Your role at the hub needs a second factor")).to_be_visible()
    assert_accessible(page)
    for path in ("/groups/", "/reports/", "/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/account/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    page.get_by_label("Authenticator code").fill(format_hotp_value(hotp_value(secret, counter)))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/recovery-codes/$"))
    page.goto("/groups/")
    expect(page).to_have_url(re.compile(r"/groups/$"))
    expect(page.locator("h1")).to_contain_text("Maths Hub")


def _password(page, email, password=TEST_PASSWORD):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_with_an_authenticator_signing_in_asks_for_its_code(page, assert_accessible):
    lead = HubStaffFactory(role=HubStaff.Role.HUB_LEAD).user
    give_authenticator(lead)
    page.goto("/account/login/")
    _password(page, lead.email)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    assert_accessible(page)
    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#error-summary")).to_contain_text("Incorrect code")
    page.goto("/groups/")
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))  # not signed in yet
    enter_code(page, lead)
    expect(page).to_have_url(re.compile(r"/groups/$"))


def test_the_admin_signs_in_with_the_code_and_is_rate_limited(page):
    staff = StaffUserFactory()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next="))
    for _ in range(5):
        _password(page, staff.email, "not the password")
    _password(page, staff.email)  # the right one, too late
    expect(page.locator("#error-summary")).to_contain_text("Too many failed login attempts")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next="))

    other = StaffUserFactory()
    give_authenticator(other)
    _password(page, other.email)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    enter_code(page, other)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
