import pytest
from django.urls import reverse

from schools.selectors import PATHWAY_PROVIDERS, PathwayEntry, register_pathway_provider

from ..factories import SchoolContactFactory

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
def pathway_provider():
    def provider(school):
        return [
            PathwayEntry("2025/26", "Sustaining", "Sustaining group B"),
            PathwayEntry("2024/25", "Development", "Development group A", status="Completed"),
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
    # Session, user, roles; the school, its pathway, the hubs to choose from, its contacts.
    with django_assert_max_num_queries(7) as few:
        client.get(url)
    SchoolContactFactory.create_batch(12, school=hub_school)
    with django_assert_max_num_queries(7) as many:
        response = client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(response.context["contacts"]) >= 12
