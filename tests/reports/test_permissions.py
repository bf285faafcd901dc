"""No personal data service trusts its caller: each refuses who may not act, changing nothing;
the screen answers 404 to anyone but national staff and hub leads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.roles import SYSTEM
from reports import erasure, retention, subject_access
from reports.models import Erasure, RetentionRun, SubjectAccessRequest
from schools.models import HubStaff
from tests.factories import HubStaffFactory, SchoolContactFactory
from tests.support.services import services_taking_acting_user

pytestmark = pytest.mark.django_db

MODULES = (erasure, retention, subject_access)


@pytest.fixture
def contact(hub_school):
    return SchoolContactFactory(school=hub_school, email="carla.contact@school.example")


@pytest.fixture
def own_request(hub, hub_lead, contact):
    return SubjectAccessRequest.objects.create(
        requested_by=hub_lead, hub=hub, subject_reference="x", status="ready"
    )


@pytest.fixture
def refusals(hub, other_hub, specialist, school_contact, contact, own_request):
    lead_elsewhere = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    return {
        "person_erase": lambda: erasure.person_erase(
            email=contact.email, reason="Asked", hub=hub, acting_user=lead_elsewhere
        ),
        "retention_apply": lambda: retention.retention_apply(acting_user=lead_elsewhere),
        "subject_access_request": lambda: subject_access.subject_access_request(
            email=contact.email, hub=hub, acting_user=specialist
        ),
        "subject_access_build": lambda: subject_access.subject_access_build(
            access_request=own_request, acting_user=lead_elsewhere
        ),
        # The export is for the hub lead who asked, not for another lead, nor national staff.
        "subject_access_download": lambda: subject_access.subject_access_download(
            access_request=own_request, acting_user=school_contact
        ),
    }


def _state():
    tables = (Erasure, RetentionRun, SubjectAccessRequest, HubStaff)
    return [list(model.objects.order_by("pk").values_list()) for model in tables]


def test_every_personal_data_service_has_a_refusal_case(refusals):
    assert set(refusals) == set().union(*map(services_taking_acting_user, MODULES))


@pytest.mark.parametrize(
    "name",
    [
        "person_erase",
        "retention_apply",
        "subject_access_request",
        "subject_access_build",
        "subject_access_download",
    ],
)
def test_each_personal_data_service_refuses_who_may_not_act(refusals, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        refusals[name]()
    assert _state() == before


def test_national_staff_may_not_take_a_hub_leads_export(own_request, staff_user):
    with pytest.raises(PermissionDenied):
        subject_access.subject_access_download(access_request=own_request, acting_user=staff_user)


def test_a_hub_lead_may_not_ask_about_everyone(hub_lead, contact):
    with pytest.raises(PermissionDenied):
        subject_access.subject_access_request(email=contact.email, acting_user=hub_lead)
    with pytest.raises(PermissionDenied):
        erasure.person_erase(email=contact.email, reason="Asked", acting_user=hub_lead)


@pytest.mark.parametrize("role", ["specialist", "school_contact", "outsider"])
def test_the_screen_is_a_404_to_everyone_else(client, request, role, contact, own_request):
    client.force_login(request.getfixturevalue(role))
    for name in ("reports:personal-data",):
        assert client.get(reverse(name)).status_code == 404
    for name in ("reports:subject-access-create", "reports:erasure-create"):
        response = client.post(reverse(name), {"access-email": contact.email})
        assert response.status_code == 404
    detail = reverse("reports:subject-access-detail", args=[own_request.pk])
    assert client.get(detail).status_code == 404
    assert not Erasure.objects.exists()
    assert SubjectAccessRequest.objects.count() == 1


def test_the_system_may_run_everything(contact):
    assert retention.retention_apply(acting_user=SYSTEM)
    erasure.person_erase(email=contact.email, reason="DPO", acting_user=SYSTEM)
