import pytest
from django.urls import reverse

from schools.models import RegisterImport

from ..factories import SchoolContactFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]

# URL → who gets the page (everyone else signed in gets a 404; anonymous goes to sign in).
MATRIX = {
    "school-search": {"staff", "hub_lead", "specialist"},
    "school-autocomplete": {"staff", "hub_lead", "specialist"},
    "own-school": {"staff", "hub_lead", "specialist", "school_contact"},
    "other-school": {"staff", "hub_lead", "specialist"},
    "hub": {"staff", "hub_lead", "specialist"},
    "other-hub": {"staff"},
    "hub-area": {"staff"},
    "hubstaff-invite": {"staff", "hub_lead"},
    "other-hubstaff-invite": {"staff"},
    "hubstaff-remove": {"staff", "hub_lead"},
    "register-imports": {"staff", "hub_lead"},
    "register-import": {"staff", "hub_lead"},
}


@pytest.fixture
def urls(hub, other_hub, hub_school, other_school, specialist):
    register_import = RegisterImport.objects.create(file_name="gias.csv")
    member = hub.staff.get(user=specialist)
    return {
        "school-search": reverse("schools:school-search") + "?q=school",
        "school-autocomplete": reverse("schools:school-autocomplete") + "?q=school",
        "own-school": reverse("schools:school-detail", args=[hub_school.urn]),
        "other-school": reverse("schools:school-detail", args=[other_school.urn]),
        "hub": reverse("schools:hub-detail", args=[hub.slug]),
        "other-hub": reverse("schools:hub-detail", args=[other_hub.slug]),
        "hub-area": reverse("schools:hub-area", args=[hub.slug]),
        "hubstaff-invite": reverse("schools:hubstaff-invite", args=[hub.slug]),
        "other-hubstaff-invite": reverse("schools:hubstaff-invite", args=[other_hub.slug]),
        "hubstaff-remove": reverse("schools:hubstaff-remove", args=[hub.slug, member.pk]),
        "register-imports": reverse("schools:register-import-list"),
        "register-import": reverse("schools:register-import-detail", args=[register_import.pk]),
    }


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, people, urls, role, name):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(urls[name])
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    elif role in MATRIX[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_a_school_contact_sees_no_contacts_of_other_schools(
    client, school_contact, hub_school, other_school
):
    SchoolContactFactory(school=other_school, name="Olive Elsewhere", email="olive@else.example")
    client.force_login(school_contact)
    assert client.get(reverse("schools:school-detail", args=[other_school.urn])).status_code == 404
    assert client.get(reverse("schools:school-autocomplete"), {"q": "school"}).status_code == 404
    body = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    assert "olive@else.example" not in body


def test_hub_staff_see_contacts_of_their_own_hubs_schools_only(
    client, hub_lead, hub_school, other_school
):
    SchoolContactFactory(school=hub_school, name="Hana Ours", email="hana@ours.example")
    SchoolContactFactory(school=other_school, name="Olive Theirs", email="olive@theirs.example")
    client.force_login(hub_lead)
    ours = client.get(reverse("schools:school-detail", args=[hub_school.urn])).content.decode()
    theirs = client.get(reverse("schools:school-detail", args=[other_school.urn])).content.decode()
    assert "hana@ours.example" in ours
    assert "olive@theirs.example" not in theirs
    assert "Contacts are shown to the staff of the school's hub" in theirs


def test_navigation_offers_the_register_to_leads_and_staff_only(client, people):
    url = reverse("schools:register-import-list")
    for role, shown in [("staff", True), ("hub_lead", True), ("specialist", False)]:
        client.force_login(people[role])
        nav = client.get(reverse("privacy")).context["nav_items"]
        assert (url in [item["url"] for item in nav]) is shown
