"""No schools service trusts its caller: each refuses a person who may not act, changing
nothing; the system and national staff may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import SYSTEM
from schools import services
from schools.models import HubStaff, LocalAuthority, RegisterImport, School
from tests.factories import HubStaffFactory
from tests.support.services import services_taking_acting_user

from .gias_csv import gias_csv, gias_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusals(hub, other_hub, hub_school, people):
    """A call of each service by someone it must refuse: a lead of another hub, mostly."""
    outsider_lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    specialist_role = HubStaff.objects.get(user=people["specialist"])
    pending = RegisterImport.objects.create(file_name="gias.csv")
    register = SimpleUploadedFile("gias.csv", gias_csv([gias_row(100001, "New School")]))
    return {
        "hub_staff_invite": lambda: services.hub_staff_invite(
            hub=hub,
            email="new@hub.example",
            full_name="New Person",
            role=HubStaff.Role.MASTERY_SPECIALIST,
            acting_user=outsider_lead,
        ),
        # The role an invitation offered, given as its sender: refused once they may not.
        "hub_staff_give": lambda: services.hub_staff_give(
            people["outsider"],
            {"hub": hub.pk, "role": HubStaff.Role.MASTERY_SPECIALIST, "school": None},
            acting_user=outsider_lead,
        ),
        "hub_staff_remove": lambda: services.hub_staff_remove(
            staff=specialist_role, acting_user=outsider_lead
        ),
        # Hub areas are national staff's to draw, even for the hub's own lead.
        "hub_area_set": lambda: services.hub_area_set(
            hub=hub, local_authorities=[], acting_user=people["hub_lead"]
        ),
        "school_hub_set": lambda: services.school_hub_set(
            school=hub_school, hub=other_hub, acting_user=outsider_lead
        ),
        # The register is national staff's to load, even for a hub lead.
        "register_import_create": lambda: services.register_import_create(
            file=register, acting_user=people["hub_lead"]
        ),
        "register_import_run": lambda: services.register_import_run(
            register_import=pending, acting_user=people["hub_lead"]
        ),
    }


def _state():
    return (
        list(HubStaff.objects.order_by("pk").values_list("pk", "user_id", "hub_id", "role")),
        list(LocalAuthority.objects.order_by("pk").values_list("pk", "hub_id")),
        list(School.objects.order_by("pk").values_list("pk", "name", "hub_override_id")),
        list(RegisterImport.objects.order_by("pk").values_list("pk", "status")),
    )


def test_every_schools_service_has_a_refusal_case(refusals):
    assert set(refusals) == services_taking_acting_user(services)


@pytest.mark.parametrize(
    "name",
    [
        "hub_staff_invite",
        "hub_staff_give",
        "hub_staff_remove",
        "hub_area_set",
        "school_hub_set",
        "register_import_create",
        "register_import_run",
    ],
)
def test_each_schools_service_refuses_who_may_not_act(refusals, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        refusals[name]()
    assert _state() == before


def test_the_system_runs_a_register_import(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pending = RegisterImport.objects.create(file_name="gias.csv")
    source = SimpleUploadedFile("gias.csv", gias_csv([gias_row(100001, "New School")]))
    services.register_import_run(register_import=pending, acting_user=SYSTEM, source=source)
    assert School.objects.get(urn=100001).name == "New School"
