"""The page a school sees after sending, and again when it sends the same interest twice: what
happens next follows where the expression of interest now is."""

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from enrolment.services import eoi_decline, eoi_place, eoi_submit, eoi_waitlist
from enrolment.views import REFERENCES
from tests.factories import SchoolFactory
from workgroups.services import participation_withdraw

from .conftest import answers

pytestmark = pytest.mark.django_db


def _sent_page(client, eoi) -> str:
    """The page as the browser that sent `eoi` sees it when it sends it again."""
    session = client.session
    session[REFERENCES] = {eoi.reference: False}
    session.save()
    response = client.get(reverse("enrolment:eoi-sent", args=[eoi.reference]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We already have this expression of interest" in body
    return body


def _submitted(school, capture) -> ExpressionOfInterest:
    with capture(execute=True):
        eoi, _ = eoi_submit(**answers(school))
    eoi.refresh_from_db()
    return eoi


def test_what_happens_next_follows_the_interests_state(
    client, hub_school, open_group, django_capture_on_commit_callbacks
):
    eoi = _submitted(hub_school, django_capture_on_commit_callbacks)
    assert eoi.status == ExpressionOfInterest.Status.TO_REVIEW
    body = _sent_page(client, eoi)
    assert "will look at it and decide" in body
    assert "when there is a place" not in body.lower()

    eoi_waitlist(eoi=eoi, note="Our groups near you are full.", acting_user=SYSTEM)
    body = _sent_page(client, eoi)
    assert "waiting list" in body and "Our groups near you are full." in body
    assert "When there is a place" in body

    with django_capture_on_commit_callbacks(execute=True):
        eoi_place(eoi=eoi, work_group=open_group, acting_user=SYSTEM)
    body = _sent_page(client, eoi)
    assert f"has a place in {open_group.code} {open_group.title}" in body
    assert "have each been sent an invitation" in body
    assert "when there is a place" not in body.lower()

    eoi.refresh_from_db()
    participation_withdraw(
        participation=eoi.participation, reason="New headteacher.", acting_user=SYSTEM
    )
    body = _sent_page(client, eoi)
    assert "no longer takes part" in body and "To take part again this year" in body


def test_a_declined_or_ineligible_interest_says_what_to_do(
    client, hub, hub_school, django_capture_on_commit_callbacks
):
    hub.contact_email = "hub@abacus.example"
    hub.save()
    eoi = _submitted(hub_school, django_capture_on_commit_callbacks)
    eoi_decline(eoi=eoi, note="We run no group near you this year.", acting_user=SYSTEM)
    body = _sent_page(client, eoi)
    assert "could not offer" in body and "We run no group near you this year." in body
    assert 'href="mailto:hub@abacus.example"' in body
    assert "when there is a place" not in body.lower()

    other = _submitted(
        SchoolFactory(local_authority=hub_school.local_authority),
        django_capture_on_commit_callbacks,
    )
    ExpressionOfInterest.objects.filter(pk=other.pk).update(
        status=ExpressionOfInterest.Status.NOT_ELIGIBLE,
        reasons=["The school has already completed Development."],
        instead_phase="embedding",
    )
    body = _sent_page(client, other)
    assert "The school has already completed Development." in body
    assert "Express an interest in Embedding instead" in body
    assert "when there is a place" not in body.lower()
