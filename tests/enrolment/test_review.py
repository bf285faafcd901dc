"""The hub lead's review: the queue, and accept-and-place, waitlist, decline and override."""

import re

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import Invitation, User
from core.roles import SYSTEM, roles_for
from enrolment.models import ExpressionOfInterest
from enrolment.services import eoi_check, eoi_place, eoi_submit
from schools.models import SchoolContact
from tests.factories import (
    TEST_PASSWORD,
    ExpressionOfInterestFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    UserFactory,
)
from workgroups.models import Participation
from workgroups.programme import Phase
from workgroups.services import PlacementError

from .conftest import answers, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_school(hub):
    def make(**fields):
        return SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub), **fields)

    return make


def submitted(school, phase=Phase.DEVELOPMENT, **overrides):
    eoi, _ = eoi_submit(**answers(school, phase, **overrides))
    return eoi_check(eoi_id=eoi.pk, acting_user=SYSTEM)


def _detail(eoi):
    return reverse("enrolment:eoi-detail", args=[eoi.reference])


def _action(eoi, name):
    return reverse(f"enrolment:eoi-{name}", args=[eoi.reference])


# The queue ----------------------------------------------------------------------------------------


def test_the_queue_lists_the_hubs_submissions_with_filters(client, hub, hub_lead, new_school, year):
    eligible = ExpressionOfInterestFactory(school=new_school())
    review = ExpressionOfInterestFactory(
        school=new_school(), phase=Phase.SUSTAINING, outcome="needs_review"
    )
    declined = ExpressionOfInterestFactory(school=new_school(), status="declined")
    elsewhere = ExpressionOfInterestFactory()
    client.force_login(hub_lead)
    url = reverse("enrolment:eoi-list")

    def listed(**filters):
        page = client.get(url, filters).content.decode()
        return {e.reference for e in (eligible, review, declined, elsewhere) if e.reference in page}

    assert listed() == {eligible.reference, review.reference, declined.reference}
    assert listed(phase=Phase.SUSTAINING) == {review.reference}
    assert listed(outcome="needs_review") == {review.reference}
    assert listed(status="declined") == {declined.reference}
    assert listed(academic_year__start_year=year.start_year) == {
        eligible.reference,
        review.reference,
        declined.reference,
    }
    # A year the queue does not know lists nothing and says so: its filter is not dropped.
    assert listed(academic_year__start_year=1999) == set()
    assert (
        "These filters cannot be used"
        in client.get(url, {"academic_year__start_year": 1999}).content.decode()
    )
    page = client.get(url).content.decode()
    # Only eligible ones waiting for a decision can be ticked for bulk placement.
    assert f'value="{eligible.pk}" id="select-{eligible.pk}"' in page
    assert f'id="select-{review.pk}"' not in page


def test_the_queue_shows_a_change_at_once(client, hub, hub_lead, new_school, year):
    group = make_group(hub=hub, year=year, capacity=2)
    first = submitted(new_school())
    client.force_login(hub_lead)
    url = reverse("enrolment:eoi-list")
    page = client.get(url).content.decode()
    assert first.reference in page and f'id="select-{first.pk}"' in page
    assert "(0 of 2 places taken)" in page
    assert "(0 of 2 places taken)" in client.get(url).content.decode()
    second = submitted(new_school())
    eoi_place(eoi=first, work_group=group, acting_user=hub_lead)
    page = client.get(url).content.decode()
    assert second.reference in page
    assert f'id="select-{first.pk}"' not in page  # placed: no longer to be ticked
    assert "(1 of 2 places taken)" in page


def test_each_queue_row_says_what_the_school_asked_for_and_what_became_of_it(
    client, hub, hub_lead, new_school, open_group, year
):
    asked = ExpressionOfInterestFactory(school=new_school(name="Ash & Elm"), work_group=open_group)
    unchecked = ExpressionOfInterestFactory(school=new_school(), status="received", outcome="")
    placed = submitted(new_school())
    eoi_place(eoi=placed, work_group=open_group, acting_user=hub_lead)
    client.force_login(hub_lead)
    page = client.get(reverse("enrolment:eoi-list")).content.decode()

    def row(eoi):
        """The text of each cell of the submission's row, after the tick box."""
        html = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if eoi.reference in r)
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)[1:]
        return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]

    received = dateformat.format(timezone.localtime(asked.created_at), "j M Y")
    assert f'<a href="{_detail(asked)}">{asked.reference}</a>' in page
    assert row(asked) == [
        asked.reference,
        f"Ash &amp; Elm {asked.school.urn}",
        "Development",
        year.name,
        open_group.code,
        # The suggested group: the only one, whose hosts' distance the register cannot give.
        f"{open_group.code}: distance unknown, {open_group.capacity - 1} places left",
        "Eligible",
        "Waiting for the hub&#x27;s decision",
        received,
    ]
    assert row(unchecked)[4:8] == [
        "No preference",
        "",
        "Not checked yet",
        "Received, being checked",
    ]
    assert row(placed)[7] == f"Placed ({open_group.code})"
    assert (
        f'<option value="{open_group.pk}">{open_group.code} {open_group.title}, {year.name} '
        f"(1 of {open_group.capacity} places taken)</option>"
    ) in page


def test_the_detail_shows_reasons_answers_pathway_and_who_did_what(
    client, hub, hub_lead, other_hub, new_school
):
    school = new_school()
    eoi = submitted(school, hub=other_hub)
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(hub=hub)
    eoi = submitted(new_school(), Phase.EMBEDDING)
    client.force_login(hub_lead)
    page = client.get(_detail(eoi)).content.decode()
    assert "Eligibility: Not eligible" in page
    assert "Embedding is for schools that have completed Development" in page
    assert "Fits instead: Development." in page
    assert "Hana Head" in page and "Lee Lead 1" in page
    assert "Eligibility checked" in page and "Submitted" in page
    assert f"Expression of interest {eoi.reference}: not eligible" in page


# Accept and place ---------------------------------------------------------------------------------


def test_placing_creates_the_place_contacts_and_invitations(
    client, hub, hub_lead, new_school, open_group, django_capture_on_commit_callbacks, mailoutbox
):
    school = new_school()
    eoi = submitted(school)
    client.force_login(hub_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_action(eoi, "place"), {"work_group": open_group.pk})
    assert response.status_code == 302
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.PLACED
    assert eoi.decided_by == hub_lead and eoi.decided_at is not None
    participation = eoi.participation
    assert participation.work_group == open_group and participation.school == school
    assert participation.action_plan.status == "draft"

    contacts = {c.email: c for c in SchoolContact.objects.filter(school=school)}
    head = contacts[f"head.{school.urn}@school.example"]
    assert head.role == SchoolContact.Role.HEADTEACHER
    leads = [contacts[f"lead{n}.{school.urn}@school.example"] for n in (1, 2)]
    assert {c.role for c in leads} == {SchoolContact.Role.LEAD_TEACHER}
    assert set(participation.lead_participants.all()) == set(leads)
    for contact in (head, *leads):
        assert contact.user is not None
        assert school.pk in roles_for(User.objects.get(pk=contact.user_id)).contact_school_ids
        assert Invitation.objects.filter(user=contact.user, invited_by=hub_lead).exists()
    invited = sorted(m.to[0] for m in mailoutbox if "invited" in m.subject)
    assert invited == sorted(contacts)
    assert open_group.code in next(m for m in mailoutbox if "has a place" in m.subject).body
    assert eoi.events.filter(action="placed", actor=hub_lead, note=open_group.code).exists()


def test_a_contact_who_already_has_an_account_is_asked_to_accept(
    client, hub, hub_lead, new_school, open_group, mailoutbox, django_capture_on_commit_callbacks
):
    """Their account is theirs: it becomes the school's contact only when they accept, signed
    in, and no mail holds a link that sets its password."""
    school = new_school()
    existing = UserFactory(email=f"head.{school.urn}@school.example")
    eoi = submitted(school)
    with django_capture_on_commit_callbacks(execute=True):
        eoi_place(eoi=eoi, work_group=open_group, acting_user=hub_lead)
    head = SchoolContact.objects.get(school=school, email=existing.email)
    assert head.user is None
    assert school.pk not in roles_for(existing).contact_school_ids
    invitation = Invitation.objects.get(user=existing)
    assert invitation.for_existing_account and invitation.invited_by == hub_lead
    [mail] = [m for m in mailoutbox if m.to == [existing.email] and "invited" in m.subject]
    assert school.name in mail.body
    link = re.search(r"http\S+(/account/invitations/\S+/)", mail.body).group(1)
    answer = client.get(link)
    assert answer.status_code == 302 and "/account/login/" in answer.url
    existing.refresh_from_db()
    assert existing.check_password(TEST_PASSWORD)

    client.force_login(existing)
    assert school.name in client.get(link).content.decode()
    client.post(link, {"answer": "accept"})
    head.refresh_from_db()
    assert head.user == existing
    assert school.pk in roles_for(User.objects.get(pk=existing.pk)).contact_school_ids


def test_a_full_group_refuses_clearly_and_nothing_changes(client, hub, hub_lead, new_school, year):
    group = make_group(hub=hub, year=year, capacity=1)
    first, second = submitted(new_school()), submitted(new_school())
    eoi_place(eoi=first, work_group=group, acting_user=hub_lead)
    client.force_login(hub_lead)
    response = client.post(_action(second, "place"), {"work_group": group.pk})
    assert response.status_code == 409
    assert f"{group.code} is full: all 1 places are taken." in response.content.decode()
    second.refresh_from_db()
    assert second.status == ExpressionOfInterest.Status.TO_REVIEW
    assert not SchoolContact.objects.filter(school=second.school).exists()
    assert Participation.objects.count() == 1


def test_only_a_group_of_the_same_hub_phase_and_year_can_take_the_school(
    hub, hub_lead, new_school, year
):
    eoi = submitted(new_school())
    sustaining = make_group(hub=hub, year=year, phase=Phase.SUSTAINING)
    with pytest.raises(PlacementError, match="is not a Development group of this hub"):
        eoi_place(eoi=eoi, work_group=sustaining, acting_user=hub_lead)


def test_a_placed_school_cannot_be_placed_twice(hub, hub_lead, new_school, open_group):
    eoi = submitted(new_school())
    eoi_place(eoi=eoi, work_group=open_group, acting_user=hub_lead)
    with pytest.raises(PlacementError, match="is already placed"):
        eoi_place(eoi=eoi, work_group=open_group, acting_user=hub_lead)


# Needs review, waitlist, decline ------------------------------------------------------------------


def test_needs_review_must_be_overridden_with_a_note_before_placing(
    client, hub, hub_lead, other_school, open_group
):
    eoi = submitted(other_school, hub=hub)
    assert eoi.outcome == "needs_review"
    client.force_login(hub_lead)
    refused = client.post(_action(eoi, "place"), {"work_group": open_group.pk})
    assert "needs review: override it with a note before placing" in refused.content.decode()

    no_note = client.post(_action(eoi, "override"), {"override-note": ""})
    assert no_note.status_code == 400
    assert "Say why the school can go ahead." in no_note.content.decode()

    client.post(_action(eoi, "override"), {"override-note": "Agreed with the other hub by phone."})
    eoi.refresh_from_db()
    assert eoi.outcome == "eligible"
    assert eoi.overridden_by == hub_lead and eoi.overridden_at is not None
    assert eoi.override_note == "Agreed with the other hub by phone."
    assert client.post(_action(eoi, "place"), {"work_group": open_group.pk}).status_code == 302


def test_waitlisting_then_placing(
    client, hub, hub_lead, new_school, open_group, django_capture_on_commit_callbacks, mailoutbox
):
    eoi = submitted(new_school())
    client.force_login(hub_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_action(eoi, "waitlist"), {"waitlist-note": "We hope to open a second group."})
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.WAITLISTED
    assert eoi.decided_by == hub_lead
    mail = next(m for m in mailoutbox if "waiting list" in m.subject)
    assert "We hope to open a second group." in mail.body
    client.post(_action(eoi, "place"), {"work_group": open_group.pk})
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.PLACED
    assert list(eoi.events.values_list("action", flat=True)) == [
        "submitted",
        "checked",
        "waitlisted",
        "placed",
    ]


def test_declining_needs_a_reason_and_tells_the_school(
    client, hub, hub_lead, new_school, django_capture_on_commit_callbacks, mailoutbox
):
    eoi = submitted(new_school())
    client.force_login(hub_lead)
    response = client.post(_action(eoi, "decline"), {"decline-note": ""})
    assert response.status_code == 400
    assert "Enter the reason for declining." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_action(eoi, "decline"), {"decline-note": "All our groups are full this year."})
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.DECLINED
    assert eoi.decision_note == "All our groups are full this year."
    assert eoi.decided_by == hub_lead
    mail = next(m for m in mailoutbox if "cannot offer" in m.body)
    assert mail.to == [eoi.submitter_email]
    assert "All our groups are full this year." in mail.body


def test_a_decided_submission_cannot_be_decided_again(client, hub, hub_lead, new_school):
    eoi = submitted(new_school())
    client.force_login(hub_lead)
    client.post(_action(eoi, "decline"), {"decline-note": "No."})
    response = client.post(_action(eoi, "waitlist"), {"waitlist-note": ""})
    assert response.status_code == 400
    assert "only one waiting for a decision can be waitlisted" in response.content.decode()


# Bulk placement -----------------------------------------------------------------------------------


def test_bulk_placement_places_until_full_and_says_who_was_refused(
    client, hub, hub_lead, new_school, year
):
    group = make_group(hub=hub, year=year, capacity=2)
    eois = [submitted(new_school()) for _ in range(3)]
    client.force_login(hub_lead)
    response = client.post(
        reverse("enrolment:eoi-place-many"),
        {"work_group": group.pk, "selected": [e.pk for e in eois]},
        follow=True,
    )
    page = response.content.decode()
    statuses = [ExpressionOfInterest.objects.get(pk=e.pk).status for e in eois]
    assert statuses.count("placed") == 2
    assert statuses.count("to_review") == 1
    assert f"Placed in {group.code}:" in page
    assert "is full: all 2 places are taken" in page


def test_bulk_placement_needs_a_group_and_a_tick(client, hub_lead):
    client.force_login(hub_lead)
    page = client.post(reverse("enrolment:eoi-place-many"), {}, follow=True).content.decode()
    assert "Choose the work group to place the school in." in page
    assert "Tick at least one expression of interest to place." in page


# Who may decide ----------------------------------------------------------------------------------


def test_national_staff_see_but_do_not_decide(client, staff_user, new_school, open_group):
    eoi = submitted(new_school())
    client.force_login(staff_user)
    page = client.get(_detail(eoi)).content.decode()
    assert "Only the hub's lead decides" in page
    assert client.post(_action(eoi, "place"), {"work_group": open_group.pk}).status_code == 404
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.TO_REVIEW
