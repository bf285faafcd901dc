"""Undoing a placement made by a slip of the hand: the place is freed, the expression of
interest is as it was, the school's welcome is withdrawn or corrected; only while nothing has
happened since."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from actionplans.models import ActionPlan
from enrolment.models import ExpressionOfInterest, ExpressionOfInterestEvent
from enrolment.services import eoi_place, eoi_unplace, eoi_waitlist
from notifications.models import Notification
from tests.factories import ExpressionOfInterestFactory, LocalAuthorityFactory, SchoolFactory
from workgroups.models import Attendance, Participation, SupportVisit

from .conftest import make_group

pytestmark = pytest.mark.django_db

Status = ExpressionOfInterest.Status


@pytest.fixture
def group(hub, year):
    return make_group(hub=hub, year=year, capacity=1)


@pytest.fixture
def eoi(hub, year):
    return ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)), academic_year=year
    )


def _placed_mails(eoi):
    return Notification.objects.filter(kind="eoi_placed", recipient=eoi.submitter_email)


def test_undoing_frees_the_place_and_puts_the_interest_back(eoi, group, hub_lead):
    participation = eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    assert ActionPlan.objects.filter(participation=participation).exists()
    # The worker has sent the welcome (here nothing is sent: these tests never commit).
    _placed_mails(eoi).update(status=Notification.Status.SENT)

    undone = eoi_unplace(eoi=eoi, acting_user=hub_lead)

    assert undone.status == Status.TO_REVIEW and undone.participation is None
    assert undone.decided_by is None and undone.decided_at is None
    assert not Participation.objects.filter(pk=participation.pk).exists()
    assert not ActionPlan.objects.exists() and not SupportVisit.objects.exists()
    last = undone.events.last()
    assert (last.action, last.actor, last.note) == (
        ExpressionOfInterestEvent.Action.UNPLACED,
        hub_lead,
        group.code,
    )
    # The welcome had gone: the school is sent a correction, and the invitations' links stop
    # working.
    assert _placed_mails(eoi).get().status == Notification.Status.SENT
    correction = Notification.objects.get(kind="eoi_unplaced", recipient=eoi.submitter_email)
    assert "correction" in correction.subject.lower()
    assert not Invitation.objects.unanswered().filter(grant__eoi=eoi.pk).exists()
    # The one place is free again: another school, or this one, can take it.
    again = eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    assert again.pk != participation.pk
    assert _placed_mails(eoi).count() == 2


def test_an_unsent_welcome_is_withdrawn_instead(eoi, group, hub_lead):
    eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    assert _placed_mails(eoi).get().status == Notification.Status.QUEUED
    assert Notification.objects.filter(kind="invitation").exists()

    eoi_unplace(eoi=eoi, acting_user=hub_lead)

    assert not _placed_mails(eoi).exists()
    assert not Notification.objects.filter(kind="invitation").exists()
    assert not Notification.objects.filter(kind="eoi_unplaced").exists()


def test_a_waitlisted_school_goes_back_on_the_waiting_list(eoi, group, hub_lead):
    eoi_waitlist(eoi=eoi, note="Next in line.", acting_user=hub_lead)
    eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    undone = eoi_unplace(eoi=eoi, acting_user=hub_lead)
    assert undone.status == Status.WAITLISTED
    assert undone.decision_note == "Next in line." and undone.decided_by == hub_lead


def _attendance_recorded(participation):
    workshop = participation.work_group.workshops.get(number=1)
    contact = participation.lead_participants.first()
    Attendance.objects.create(
        workshop=workshop, participation=participation, contact=contact, status="present"
    )


def _visit_arranged(participation):
    participation.support_visits.filter(term="autumn").update(status="scheduled")


def _plan_written(participation):
    ActionPlan.objects.filter(participation=participation).update(
        context="We start from fluency.", updated_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("happened", "said"),
    [
        (_attendance_recorded, "Attendance has been recorded"),
        (_visit_arranged, "support visit"),
        (_plan_written, "action plan"),
    ],
)
def test_once_something_has_happened_it_cannot_be_undone(eoi, group, hub_lead, happened, said):
    participation = eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    happened(participation)
    with pytest.raises(ValidationError, match=said):
        eoi_unplace(eoi=eoi, acting_user=hub_lead)
    eoi.refresh_from_db()
    assert eoi.status == Status.PLACED
    assert Participation.objects.filter(pk=participation.pk).exists()


def test_an_interest_not_placed_cannot_be_unplaced(eoi, hub_lead):
    with pytest.raises(ValidationError, match="not placed"):
        eoi_unplace(eoi=eoi, acting_user=hub_lead)


def test_the_review_page_links_the_placement_and_offers_the_undo(client, eoi, group, hub_lead):
    eoi_place(eoi=eoi, work_group=group, acting_user=hub_lead)
    client.force_login(hub_lead)
    url = reverse("enrolment:eoi-detail", args=[eoi.reference])
    page = client.get(url).content.decode()
    assert reverse("workgroups:work-group-detail", args=[group.pk]) in page
    assert reverse("schools:school-detail", args=[eoi.school.urn]) in page
    assert "Undo the placement" in page
    response = client.post(reverse("enrolment:eoi-unplace", args=[eoi.reference]))
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.status == Status.TO_REVIEW
    page = client.get(url).content.decode()
    assert "Placement undone" in page and "Undo the placement" not in page
