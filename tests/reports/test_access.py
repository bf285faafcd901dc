"""Who may open each report page and export: a hub lead their hub, staff every hub, nobody else."""

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from schools.models import HubStaff
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, work_group_create

pytestmark = pytest.mark.django_db

HUB_PAGES = [
    ("reports:dashboard", {}),
    ("reports:year-on-year", {}),
    ("reports:participation-list", {}),
    ("reports:school-list", {}),
    ("reports:export-participations", {"fmt": "csv"}),
    ("reports:export-participations", {"fmt": "xlsx"}),
    ("reports:export-schools", {"fmt": "csv"}),
    ("reports:export-interests", {"fmt": "xlsx"}),
]
SEES_HUB = {"staff", "hub_lead"}


@pytest.fixture
def group(hub, specialist):
    return work_group_create(
        hub=hub,
        phase=Phase.SUSTAINING,
        academic_year=academic_year_get_or_create(start_year=2025),
        code="NCP25-01",
        title="Sustaining",
        lead=HubStaff.objects.get(user=specialist),
        acting_user=SYSTEM,
    )


def _get(client, user, path):
    if user is not None:
        client.force_login(user)
    return client.get(path)


@pytest.mark.parametrize(("name", "kwargs"), HUB_PAGES)
@pytest.mark.parametrize(
    "role", ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
)
def test_hub_reports(client, people, hub, name, kwargs, role):
    response = _get(client, people[role], reverse(name, kwargs=kwargs) + f"?hub={hub.slug}")
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == (200 if role in SEES_HUB else 404)


@pytest.mark.parametrize(
    "role", ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
)
def test_attendance_register(client, people, group, role):
    path = reverse("reports:export-register", kwargs={"pk": group.pk, "fmt": "csv"})
    response = _get(client, people[role], path)
    expected = 302 if role == "anonymous" else 200 if role in SEES_HUB else 404
    assert response.status_code == expected


@pytest.mark.parametrize(
    "role", ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
)
def test_national_view_is_for_staff_only(client, people, role):
    response = _get(client, people[role], reverse("reports:national"))
    expected = 302 if role == "anonymous" else 200 if role == "staff" else 404
    assert response.status_code == expected


@pytest.mark.parametrize(("name", "kwargs"), HUB_PAGES)
def test_a_hub_lead_cannot_open_another_hubs_reports(client, hub_lead, other_hub, name, kwargs):
    client.force_login(hub_lead)
    response = client.get(reverse(name, kwargs=kwargs) + f"?hub={other_hub.slug}")
    assert response.status_code == 404


def test_a_hub_lead_cannot_export_another_hubs_register(client, hub_lead, other_hub):
    lead = HubStaff.objects.create(
        user=hub_lead, hub=other_hub, role=HubStaff.Role.MASTERY_SPECIALIST
    )
    group = work_group_create(
        hub=other_hub,
        phase=Phase.SUSTAINING,
        academic_year=academic_year_get_or_create(start_year=2025),
        code="NCP25-99",
        title="Theirs",
        lead=lead,
        acting_user=SYSTEM,
    )
    client.force_login(hub_lead)
    path = reverse("reports:export-register", kwargs={"pk": group.pk, "fmt": "xlsx"})
    assert client.get(path).status_code == 404


def test_a_hub_leads_all_hubs_exports_hold_only_their_hubs(client, hub_lead, world):
    client.force_login(hub_lead)
    response = client.get(reverse("reports:export-participations", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content).decode()
    assert "Test Maths Hub" in body
    assert "Other Maths Hub" not in body


@pytest.mark.parametrize(
    "query",
    ["year=abc", "year=1999", "phase=nonsense", "show=everyone", "plan=lost", "visits=some"],
)
def test_bad_choices_are_refused_with_a_message(client, hub_lead, hub, query):
    client.force_login(hub_lead)
    response = client.get(reverse("reports:participation-list") + f"?{query}")
    assert response.status_code == 400
    assert "from the list" in response.content.decode()


def test_an_unknown_export_format_is_not_found(client, hub_lead, hub):
    client.force_login(hub_lead)
    path = reverse("reports:export-participations", kwargs={"fmt": "pdf"})
    assert client.get(path).status_code == 404


def test_the_national_view_refuses_an_unknown_sort_column(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("reports:national") + "?sort=password")
    assert response.status_code == 400
    assert "Choose a column to sort by." in response.content.decode()
