"""The personal data screen: a hub lead asks for an export, watches it, downloads it once, and
erases a person of their hub; forms refuse with clear messages and save nothing half-way."""

import io
import zipfile

import pytest
from django.urls import reverse

from reports.models import Erasure, SubjectAccessRequest
from schools.models import SchoolContact
from tests.factories import SchoolContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(hub_school):
    return SchoolContactFactory(
        school=hub_school, name="Carla Contact", email="carla.contact@school.example"
    )


def test_a_hub_lead_gathers_and_downloads_an_export_once(
    client, hub, hub_lead, contact, django_capture_on_commit_callbacks
):
    client.force_login(hub_lead)
    assert client.get(reverse("reports:personal-data")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:subject-access-create"),
            {"access-email": contact.email, "access-hub": hub.pk},
        )
    access_request = SubjectAccessRequest.objects.get()
    detail = reverse("reports:subject-access-detail", args=[access_request.pk])
    assert response.url == detail
    assert "Ready" in client.get(detail).content.decode()
    download = reverse("reports:subject-access-download", args=[access_request.pk])
    first = client.post(download)
    assert first["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(first.content)) as archive:
        assert "Carla Contact" in archive.read("schools_schoolcontact.csv").decode()
    again = client.post(download, follow=True)
    assert "downloaded already" in again.content.decode()


def test_the_status_is_polled_while_it_is_gathered(client, hub, hub_lead):
    client.force_login(hub_lead)
    access_request = SubjectAccessRequest.objects.create(
        requested_by=hub_lead, hub=hub, subject_reference="x", email="a@b.example"
    )
    detail = reverse("reports:subject-access-detail", args=[access_request.pk])
    html = client.get(detail, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Waiting to start" in html
    access_request.status = SubjectAccessRequest.Status.READY
    access_request.save()
    assert client.get(detail, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_erasure_asks_for_a_reason_and_a_confirmation(client, hub, hub_lead, contact):
    client.force_login(hub_lead)
    url = reverse("reports:erasure-create")
    response = client.post(url, {"erase-email": contact.email, "erase-hub": hub.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why this person" in html and "Tick the box to confirm" in html
    assert not Erasure.objects.exists()
    response = client.post(
        url,
        {
            "erase-email": contact.email,
            "erase-hub": hub.pk,
            "erase-reason": "Asked on 3 May",
            "erase-confirm": "on",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "School contacts" in html and "Asked on 3 May" in html
    assert not SchoolContact.objects.filter(name="Carla Contact").exists()


def test_a_hub_lead_is_told_when_national_staff_must_erase(
    client, hub, other_hub, hub_lead, contact
):
    SchoolContactFactory(
        school=SchoolContactFactory(school__local_authority__hub=other_hub).school,
        email=contact.email,
    )
    client.force_login(hub_lead)
    response = client.post(
        reverse("reports:erasure-create"),
        {
            "erase-email": contact.email,
            "erase-hub": hub.pk,
            "erase-reason": "Asked",
            "erase-confirm": "on",
        },
    )
    assert "national staff must erase them" in response.content.decode()
    assert SchoolContact.objects.filter(name="Carla Contact").exists()


def test_the_profile_links_the_screen(client, hub_lead, staff_user, school_contact):
    link = reverse("reports:personal-data")
    for person, shown in ((hub_lead, True), (staff_user, True), (school_contact, False)):
        client.force_login(person)
        assert (link in client.get(reverse("accounts:profile")).content.decode()) is shown
