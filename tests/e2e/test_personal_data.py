"""A hub lead gathers a person's data, watches it come, downloads it once, then erases them."""

import zipfile

import pytest
from django.urls import reverse

from schools.models import SchoolContact
from tests.factories import TEST_PASSWORD, SchoolContactFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "carla.contact@school.example"


def test_a_hub_lead_exports_then_erases_a_person(
    page, assert_accessible, hub, hub_school, hub_lead, tmp_path
):
    SchoolContactFactory(school=hub_school, name="Carla Contact", email=EMAIL)
    sign_in(page, hub_lead.email, TEST_PASSWORD)

    page.goto(reverse("accounts:profile"))
    page.get_by_role("link", name="A person's data").click()
    assert page.locator("h1").inner_text() == "Personal data"
    assert_accessible(page)

    page.locator("#id_access-email").fill(EMAIL)
    page.get_by_role("button", name="Gather their data").click()
    status = page.get_by_role("status")
    status.get_by_text("Ready").wait_for()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the ZIP").click()
    saved = tmp_path / "export.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "Carla Contact" in archive.read("schools_schoolcontact.csv").decode()
    page.reload()
    assert page.get_by_role("status").get_by_text("Downloaded on").is_visible()
    assert page.get_by_role("button", name="Download the ZIP").count() == 0

    page.goto(reverse("reports:personal-data"))
    page.locator("#id_erase-email").fill(EMAIL)
    page.get_by_role("button", name="Erase their data").click()
    assert page.get_by_text("Tick the box to confirm the erasure.").first.is_visible()
    assert_accessible(page)
    page.locator("#id_erase-reason").fill("Asked by the person on 3 May")
    page.locator("#id_erase-confirm").check()
    page.get_by_role("button", name="Erase their data").click()
    assert page.locator("h1").inner_text() == "Erasure"
    assert page.get_by_role("cell", name="School contacts").is_visible()
    assert_accessible(page)
    assert not SchoolContact.objects.filter(email=EMAIL).exists()
