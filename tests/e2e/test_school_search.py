import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from schools.models import Hub, School

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_data(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    hub = Hub.objects.get(staff__user__email=DEMO_LOGINS["hub_lead"][1])
    return School.objects.in_hub(hub).primary().open().order_by("urn").first()


def test_hub_lead_finds_a_school_with_the_autocomplete_and_opens_it(
    demo_data, page, assert_accessible
):
    school = demo_data
    sign_in(page, DEMO_LOGINS["hub_lead"][1], DEMO_PASSWORD)
    page.get_by_role("link", name="Schools").click()
    expect(page.locator("h1")).to_have_text("Find a school")
    assert_accessible(page)

    box = page.get_by_role("combobox", name="Name, URN or postcode")
    box.press_sequentially(str(school.urn), delay=20)
    listbox = page.get_by_role("listbox", name="Matching schools")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text(school.name)
    assert_accessible(page)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(rf"-{school.urn}$"))
    box.press("Enter")
    page.wait_for_url(f"**/schools/{school.urn}/")
    expect(page.locator("h1")).to_have_text(school.name)
    expect(page.get_by_role("heading", name="Pathway so far")).to_be_visible()
    assert_accessible(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_search_works_as_a_plain_form(demo_data, page, assert_accessible):
    sign_in(page, DEMO_LOGINS["hub_lead"][1], DEMO_PASSWORD)
    page.goto("/schools/")
    page.get_by_role("combobox", name="Name, URN or postcode").fill("st marys")
    page.get_by_label("Phase").select_option("primary")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"schools? found"))).to_be_visible()
    first = page.get_by_role("table").get_by_role("link").first
    expect(first).to_contain_text("St Mary’s")
    assert_accessible(page)
    first.click()
    expect(page.locator("h1")).to_contain_text("St Mary’s")


def test_hub_lead_invites_a_specialist_choosing_their_school(demo_data, page, assert_accessible):
    from schools.models import HubStaff

    school = demo_data
    sign_in(page, DEMO_LOGINS["hub_lead"][1], DEMO_PASSWORD)
    page.goto("/hubs/mine/")
    page.get_by_role("link", name="Invite a Mastery Specialist or hub lead").click()
    page.get_by_label("Full name").fill("Nell Newcomer")
    page.get_by_label("E-mail address").fill("nell@school.example")
    page.get_by_label("Mastery Specialist").check()
    box = page.get_by_role("combobox", name="Their school (optional)")
    box.press_sequentially(str(school.urn), delay=20)
    option = page.get_by_role("option").first
    expect(option).to_contain_text(school.name)
    assert_accessible(page)
    option.click()
    expect(box).to_have_value(f"{school.name} ({school.urn})")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("nell@school.example is now Mastery Specialist")).to_be_visible()
    staff = HubStaff.objects.get(user__email="nell@school.example")
    assert staff.school == school
    assert_accessible(page)
