"""No enrolment service trusts its caller: each refuses a person who may not act, changing
nothing; the public may send an expression of interest, and only the system checks one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.roles import SYSTEM
from enrolment import services
from enrolment.models import ExpressionOfInterest
from schools.models import HubStaff, SchoolContact
from tests.factories import (
    ExpressionOfInterestFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
)
from tests.support.services import services_taking_acting_user
from workgroups.models import Participation

from .conftest import answers, make_group

pytestmark = pytest.mark.django_db


# Each state-changing service, refused to someone who may not act.
REFUSED = [
    "eoi_check",
    "eoi_checks_sweep",
    "eoi_override",
    "eoi_waitlist",
    "eoi_decline",
    "eoi_place",
    "eoi_place_many",
    "eoi_place_suggested",
    "eoi_unplace",
    "school_contact_give",
    "suggested_group_accept",
]


@pytest.fixture
def refusals(hub, other_hub, hub_lead, staff_user, school_contact, year):
    """Each act by a hub lead of another hub, national staff (who read every hub's but decide
    none) or a school; the check and its sweep are the system's, and the hub's own lead's."""
    other_lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    school = SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    eoi = ExpressionOfInterestFactory(school=school, hub=hub)
    group = make_group(hub=hub, year=year)
    received = ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=school.local_authority), status="received"
    )
    contact = SchoolContactFactory(school=school, email="head@school.example", user=None)
    placed = ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=school.local_authority), hub=hub
    )
    services.eoi_place(eoi=placed, work_group=group, acting_user=SYSTEM)
    return {
        "eoi_check": lambda: services.eoi_check(eoi_id=received.pk, acting_user=other_lead),
        "eoi_checks_sweep": lambda: services.eoi_checks_sweep(acting_user=hub_lead),
        "eoi_override": lambda: services.eoi_override(eoi=eoi, note="Go.", acting_user=staff_user),
        "eoi_waitlist": lambda: services.eoi_waitlist(eoi=eoi, acting_user=school_contact),
        "eoi_decline": lambda: services.eoi_decline(eoi=eoi, note="No.", acting_user=other_lead),
        "eoi_place": lambda: services.eoi_place(eoi=eoi, work_group=group, acting_user=staff_user),
        "eoi_place_many": lambda: services.eoi_place_many(
            eois=[eoi], work_group=group, acting_user=school_contact
        ),
        # Another hub's lead may place in bulk, but not this hub's schools.
        "eoi_place_suggested": lambda: services.eoi_place_suggested(
            eois=[eoi], acting_user=other_lead
        ),
        # Undoing a placement: national staff, who may not place, may not undo one either.
        "eoi_unplace": lambda: services.eoi_unplace(eoi=placed, acting_user=staff_user),
        # Setting up a suggested group of this hub's schools: not another hub's lead.
        "suggested_group_accept": lambda: services.suggested_group_accept(
            hub=hub,
            phase="development",
            academic_year=year,
            code="NCP-SUGGESTED",
            title="Suggested",
            host=school,
            eois=[eoi],
            size=7,
            acting_user=other_lead,
        ),
        # An invitation's school contact grant, given as its sender: another hub's lead may not.
        "school_contact_give": lambda: services.school_contact_give(
            school_contact, {"contact": contact.pk, "eoi": eoi.pk}, acting_user=other_lead
        ),
    }


def _state():
    return (
        list(ExpressionOfInterest.objects.order_by("pk").values_list("pk", "status", "outcome")),
        Participation.objects.count(),
        list(SchoolContact.objects.order_by("pk").values_list("pk", "user_id")),
    )


def test_every_enrolment_service_has_a_case(refusals):
    # eoi_submit is the public's: every actor may send one (below).
    assert set(refusals) == set(REFUSED)
    assert set(REFUSED) | {"eoi_submit"} == services_taking_acting_user(services)


@pytest.mark.parametrize("name", REFUSED)
def test_each_enrolment_service_refuses_who_may_not_act(refusals, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        refusals[name]()
    assert _state() == before


def test_the_public_sends_an_expression_of_interest_and_the_system_checks_it(hub_school):
    eoi, created = services.eoi_submit(**{**answers(hub_school), "acting_user": AnonymousUser()})
    assert created and eoi.events.get().actor is None
    checked = services.eoi_check(eoi_id=eoi.pk, acting_user=SYSTEM)
    assert checked.status != ExpressionOfInterest.Status.RECEIVED
