"""No accounts service trusts its caller: each refuses a person who may not act, changing
nothing. An invitation to an existing account is answered only by that account, signed in; its
link is no key to set a password."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from tests.support.services import services_taking_acting_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(staff_user, specialist):
    """National staff offer the national staff role to a specialist's existing account."""
    token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        user=specialist,
        token_hash=token_hash,
        invited_by=staff_user,
        grant_kind=services.NATIONAL_STAFF,
        for_existing_account=True,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return token


@pytest.fixture
def refusals(offer, hub_lead, school_contact):
    return {
        "invitation_send": lambda: services.invitation_send(
            email="x@school.example", acting_user=school_contact
        ),
        # The link of an invitation to an existing account sets no password, whoever holds it.
        "invitation_accept": lambda: services.invitation_accept(
            token=offer, password="Numbers-and-shapes-2026", acting_user=AnonymousUser()
        ),
        "invitation_offer_accept": lambda: services.invitation_offer_accept(
            token=offer, acting_user=hub_lead
        ),
        "invitation_offer_decline": lambda: services.invitation_offer_decline(
            token=offer, acting_user=AnonymousUser()
        ),
    }


def _state():
    return (
        list(
            User.objects.order_by("pk").values_list(
                "pk", "email", "password", "is_national_staff", "is_staff"
            )
        ),
        list(Invitation.objects.order_by("pk").values_list("pk", "accepted_at", "declined_at")),
    )


def test_every_account_service_has_a_refusal_case(refusals):
    assert set(refusals) == services_taking_acting_user(services)


@pytest.mark.parametrize(
    "name",
    ["invitation_send", "invitation_accept", "invitation_offer_accept", "invitation_offer_decline"],
)
def test_each_account_service_refuses_who_may_not_act(refusals, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        refusals[name]()
    assert _state() == before


def test_the_invited_account_answers_its_own_invitation(offer, specialist):
    services.invitation_offer_accept(token=offer, acting_user=specialist)
    specialist.refresh_from_db()
    assert specialist.is_national_staff
