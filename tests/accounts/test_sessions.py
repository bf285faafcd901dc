"""Signing in and staying signed in: a second factor for staff roles, time limits, a new session
key when roles change, and authenticator secrets that are not readable at rest."""

import io
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from accounts.models import User
from accounts.sessions import SECOND_FACTORS
from schools.models import HubStaff
from tests.factories import TEST_PASSWORD, HubStaffFactory
from tests.support.sessions import authenticator_code, give_authenticator

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
GROUPS = reverse("workgroups:cohort")
MY_SCHOOL = reverse("schools:my-school")


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _sign_in(client, user, remember=False):
    data = {"login": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "on"
    return client.post(LOGIN, data)


@pytest.fixture
def browser_client():
    """A client whose sign-in is only the real form (no second factor given for free)."""
    from django.test import Client

    return Client()


# A second factor for staff roles -----------------------------------------------------------------


def test_a_hub_lead_without_an_authenticator_is_sent_to_set_one_up(browser_client, hub_lead):
    assert _sign_in(browser_client, hub_lead).status_code == 302
    for url in (GROUPS, reverse("reports:dashboard"), reverse("home")):
        response = browser_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url
    # htmx asks are sent there as a whole page.
    response = browser_client.get(GROUPS, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")
    # The pages to set one up, and to sign out, stay open.
    assert browser_client.get(reverse("mfa_activate_totp")).status_code == 200
    assert browser_client.get(reverse("mfa_index")).status_code == 200
    assert browser_client.get(reverse("privacy")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth tells of the new authenticator on commit
def test_setting_up_an_authenticator_opens_the_portal(browser_client, hub_lead):
    _sign_in(browser_client, hub_lead)
    page = browser_client.get(reverse("mfa_activate_totp"))
    secret = browser_client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown to type into the app when no QR code can be
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    response = browser_client.post(
        reverse("mfa_activate_totp"), {"code": format_hotp_value(hotp_value(secret, counter))}
    )
    assert response.status_code == 302
    assert browser_client.get(GROUPS).status_code == 200
    authenticator = Authenticator.objects.get(user=hub_lead, type=Authenticator.Type.TOTP)
    # The secret is stored encrypted: not readable from the database.
    assert secret not in str(authenticator.data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        assert secret not in str(cursor.fetchone())


def test_with_an_authenticator_signing_in_asks_for_its_code(browser_client, hub_lead):
    give_authenticator(hub_lead)
    response = _sign_in(browser_client, hub_lead)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in browser_client.session
    assert browser_client.get(GROUPS)["Location"].startswith(LOGIN)

    wrong = browser_client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in browser_client.session
    response = browser_client.post(
        reverse("mfa_authenticate"), {"code": authenticator_code(hub_lead)}
    )
    assert response.status_code == 302
    assert browser_client.get(GROUPS).status_code == 200


def test_a_school_contact_signs_in_with_a_password_alone(browser_client, school_contact):
    _sign_in(browser_client, school_contact)
    assert browser_client.get(MY_SCHOOL, follow=True).status_code == 200
    assert _signed_in(browser_client)


def test_a_school_contact_who_chose_a_second_factor_is_asked_for_it(browser_client, school_contact):
    give_authenticator(school_contact)
    assert _sign_in(browser_client, school_contact)["Location"] == reverse("mfa_authenticate")


def test_a_session_made_without_the_second_factor_must_prove_it(browser_client, hub_lead):
    """A session signed in some other way than the portal's sign-in (here, directly)."""
    give_authenticator(hub_lead)
    browser_client.force_login(hub_lead)
    response = browser_client.get(GROUPS)
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_staff_keep_a_second_factor(browser_client, hub_lead, school_contact):
    authenticator = give_authenticator(hub_lead)
    _sign_in(browser_client, hub_lead)
    browser_client.post(reverse("mfa_authenticate"), {"code": authenticator_code(hub_lead)})
    response = browser_client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
    # A school contact's is theirs to turn off.
    browser_client.logout()
    give_authenticator(school_contact)
    _sign_in(browser_client, school_contact)
    browser_client.post(reverse("mfa_authenticate"), {"code": authenticator_code(school_contact)})
    assert browser_client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(
        user=school_contact, type=Authenticator.Type.TOTP
    ).exists()


def test_the_demo_staff_logins_sign_in_with_the_published_secret(browser_client):
    out = io.StringIO()
    call_command("seed_demo", scale="small", stdout=out)
    assert "make code" in out.getvalue()
    for key, (_, email, _) in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        has = Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()
        assert has == (key != "school_contact"), key
    lead = User.objects.get(email=DEMO_LOGINS["hub_lead"][1])
    browser_client.post(LOGIN, {"login": lead.email, "password": DEMO_PASSWORD})
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    browser_client.post(reverse("mfa_authenticate"), {"code": code.getvalue().split()[0]})
    assert browser_client.get(GROUPS).status_code == 200


# Time limits -------------------------------------------------------------------------------------


def test_staff_are_signed_out_after_thirty_minutes_idle(client, hub_lead):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(hub_lead)
        clock.shift(timedelta(minutes=29))
        assert client.get(GROUPS).status_code == 200
        clock.shift(timedelta(minutes=29))  # each request starts the idle time again
        assert client.get(GROUPS).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(GROUPS)
    assert response["Location"] == f"{LOGIN}?{urlencode({'next': GROUPS})}"
    assert not _signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in page


def test_staff_are_signed_out_twelve_hours_after_signing_in(client, hub_lead):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(hub_lead)
        for _ in range(12 * 3):  # busy all day: a request every 20 minutes
            clock.shift(timedelta(minutes=20))
            assert client.get(GROUPS).status_code == 200
        clock.shift(timedelta(minutes=1))
        assert client.get(GROUPS).status_code == 302
        assert not _signed_in(client)


def test_staff_are_not_remembered_past_the_browser(browser_client, hub_lead):
    give_authenticator(hub_lead)
    _sign_in(browser_client, hub_lead, remember=True)
    browser_client.post(reverse("mfa_authenticate"), {"code": authenticator_code(hub_lead)})
    assert browser_client.session.get_expire_at_browser_close()


@pytest.mark.parametrize(
    "remember, idle_hours, signed_in",
    [(False, 23, True), (False, 25, False), (True, 24 * 13, True), (True, 24 * 15, False)],
)
def test_everyone_else_has_a_longer_idle_time_and_may_be_remembered(
    browser_client, school_contact, remember, idle_hours, signed_in
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _sign_in(browser_client, school_contact, remember=remember)
        clock.shift(timedelta(hours=idle_hours))
        browser_client.get(MY_SCHOOL)
    assert _signed_in(browser_client) == signed_in


def test_a_request_within_a_minute_writes_no_session(client, hub_lead):
    client.force_login(hub_lead)
    client.get(GROUPS)
    before = Session.objects.get().expire_date
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        client.get(GROUPS)
    assert Session.objects.get().expire_date == before


# A change of roles -------------------------------------------------------------------------------


def test_a_change_of_roles_gives_the_session_a_new_key(client, specialist, hub):
    client.force_login(specialist)
    client.get(GROUPS)
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    HubStaffFactory(user=specialist, hub=hub, role=HubStaff.Role.HUB_LEAD)
    assert client.get(GROUPS).status_code == 200
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    # Still signed in, with the new roles.
    assert client.get(reverse("reports:dashboard")).status_code == 200
