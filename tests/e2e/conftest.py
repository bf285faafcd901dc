"""Browser journeys: Playwright drives Debian's Chromium against Django's live server."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from accounts.models import User
from core.roles import SYSTEM, roles_for
from schools.models import HubStaff, SchoolContact
from tests.support.sessions import authenticator_code, give_authenticator
from workgroups.models import AcademicYear
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place, work_group_create

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt-get.")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fail on any serious or critical axe-core violation on the page as it is now."""

    def check(page):
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)

    return check


def sign_in(page, email, password, *, second_factor=True):
    """Sign in through the portal's form; staff roles also type their authenticator's code
    (given the demo's authenticator first if they have none, unless `second_factor` is False)."""
    user = User.objects.get(email=email)
    has_one = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if second_factor and not has_one and roles_for(user).needs_second_factor:
        give_authenticator(user)
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if second_factor and "/2fa/authenticate/" in page.url:
        enter_code(page, user)


def enter_code(page, user):
    page.locator("input[name=code]").fill(authenticator_code(user))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def last_school_day():
    day = timezone.localdate() - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def running_group(hub, school, specialist, school_contact, *, code, title):
    """A running Development group led by `specialist`, whose second half-term includes the last
    school day (`group.day`), with `school` placed and its contact, Pat Participant, taking part."""
    day = last_school_day()
    year = academic_year_get_or_create(start_year=AcademicYear.start_year_for(day))
    half_term = year.half_terms.get(number=2)
    half_term.starts_on = min(half_term.starts_on, day)
    half_term.ends_on = max(half_term.ends_on, day)
    half_term.save()
    group = work_group_create(
        hub=hub,
        phase=Phase.DEVELOPMENT,
        academic_year=year,
        code=code,
        title=title,
        lead=HubStaff.objects.get(user=specialist),
        status="running",
        acting_user=SYSTEM,
    )
    participant = SchoolContact.objects.get(user=school_contact)
    participant.name = "Pat Participant"
    participant.save()
    participation_place(
        work_group=group, school=school, lead_participants=[participant], acting_user=SYSTEM
    )
    group.day = day
    return group
