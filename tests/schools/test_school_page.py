import pytest
from django.urls import reverse

from schools.models import HubStaff
from schools.selectors import PATHWAY_PROVIDERS, PathwayEntry, register_pathway_provider

from ..factories import (
    HubStaffFactory,
    ParticipationFactory,
    SchoolContactFactory,
    UserFactory,
    WorkGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_school_page_shows_the_register_details(client, hub_lead, hub_school):
    hub_school.head_name = "Mrs Ann Head"
    hub_school.trust_name = "Bright Futures Trust"
    hub_school.is_mastery_specialist_school = True
    hub_school.save()
    client.force_login(hub_lead)
    body = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    assert body.count("<h1") == 1
    for text in (
        str(hub_school.urn),
        hub_school.local_authority.name,
        "Test Maths Hub",
        "Mrs Ann Head",
        "Bright Futures Trust",
        "Mastery Specialist school",
        hub_school.postcode,
    ):
        assert text in body


def test_school_page_pathway_says_when_there_is_none(client, hub_lead, hub_school):
    client.force_login(hub_lead)
    body = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    assert "Pathway so far" in body
    assert "No participation yet." in body


@pytest.fixture
def pathway_provider(hub):
    def provider(school, user=None):
        return [
            PathwayEntry("2025/26", "Sustaining", "Sustaining group B", hub_id=hub.pk),
            PathwayEntry(
                "2024/25", "Development", "Development group A", status="Completed", hub_id=hub.pk
            ),
        ]

    register_pathway_provider(provider)
    yield provider
    PATHWAY_PROVIDERS.remove(provider)


def test_school_page_pathway_shows_what_providers_give_as_a_timeline(
    client, hub_lead, hub_school, pathway_provider
):
    client.force_login(hub_lead)
    body = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    assert "No participation yet." not in body
    assert body.index("2024/25") < body.index("2025/26")
    assert "Development group A" in body and "(Completed)" in body


def test_another_hubs_staff_see_a_schools_pathway_without_its_hubs_codes_and_names(
    client, hub, other_hub, hub_school, hub_lead
):
    group = WorkGroupFactory(
        hub=hub,
        code="NCP26-SECRET",
        lead=HubStaffFactory(
            hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST, user__full_name="Sian Specialist"
        ),
    )
    ParticipationFactory(work_group=group, school=hub_school)
    url = reverse("schools:school-detail", args=[hub_school.urn])
    client.force_login(hub_lead)
    own = client.get(url).content.decode()
    assert "NCP26-SECRET" in own and "Sian Specialist" in own

    for role in (HubStaff.Role.MASTERY_SPECIALIST, HubStaff.Role.HUB_LEAD):
        client.force_login(HubStaffFactory(hub=other_hub, role=role).user)
        page = client.get(url).content.decode()
        assert "Development" in page and "2026/27" in page  # the phase and the year
        assert "NCP26-SECRET" not in page
        assert "Sian Specialist" not in page
        assert "a work group of another hub" in page
    contact = SchoolContactFactory(school=hub_school, user=UserFactory()).user
    client.force_login(contact)
    theirs = client.get(url).content.decode()
    assert "NCP26-SECRET" in theirs and "Sian Specialist" in theirs  # the school's own


def test_a_school_contact_sees_their_school_without_the_contacts_list(
    client, school_contact, hub_school
):
    client.force_login(school_contact)
    body = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    assert hub_school.name in body
    assert "contacts-heading" not in body
    assert "Save hub" not in body


def test_school_page_takes_the_same_queries_with_more_contacts(
    client, hub_lead, hub_school, django_assert_max_num_queries
):
    client.force_login(hub_lead)
    url = reverse("schools:school-detail", args=[hub_school.urn])
    # Session, user, roles; the school, its pathway (and the groups whose pages the person may
    # open, when it has any), the hubs to choose from, its contacts.
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    SchoolContactFactory.create_batch(12, school=hub_school)
    with django_assert_max_num_queries(8) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(response.context["contacts"]) >= 12
