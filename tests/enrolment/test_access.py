"""Who may open which enrolment page: every role against every URL."""

import pytest
from django.urls import reverse

from enrolment.models import ExpressionOfInterest
from tests.factories import ExpressionOfInterestFactory, LocalAuthorityFactory, SchoolFactory

from .conftest import make_group

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
EVERYONE = set(ROLES)

# Public pages: everyone, signed in or not, gets them.
PUBLIC = ["catalogue", "hub-catalogue", "phase-choose", "eoi-form", "school-lookup"]

# Signed-in pages → who gets a 200 (anyone else signed in gets a 404; anonymous goes to sign in).
GET_MATRIX = {
    "queue": {"staff", "hub_lead"},
    "detail": {"staff", "hub_lead"},
    "other-hub-detail": {"staff"},
}

# Decisions (POST) → who may make them. Anyone else gets a 404, national staff too, though they
# see the submission.
POST_MATRIX = {
    "place": {"hub_lead"},
    "waitlist": {"hub_lead"},
    "decline": {"hub_lead"},
    "override": {"hub_lead"},
    "other-hub-place": set(),
}


@pytest.fixture
def eois(hub, other_hub):
    mine = ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    )
    theirs = ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=other_hub))
    )
    return mine, theirs


@pytest.fixture
def urls(hub, eois):
    mine, theirs = eois
    return {
        "catalogue": reverse("enrolment:catalogue-index"),
        "hub-catalogue": reverse("enrolment:hub-catalogue", args=[hub.slug]),
        "phase-choose": reverse("enrolment:phase-choose", args=[hub.slug]),
        "eoi-form": reverse("enrolment:eoi-create", args=[hub.slug, "sustaining"]),
        "school-lookup": reverse("enrolment:school-lookup") + "?q=school",
        "queue": reverse("enrolment:eoi-list"),
        "detail": reverse("enrolment:eoi-detail", args=[mine.reference]),
        "other-hub-detail": reverse("enrolment:eoi-detail", args=[theirs.reference]),
        "place": reverse("enrolment:eoi-place", args=[mine.reference]),
        "waitlist": reverse("enrolment:eoi-waitlist", args=[mine.reference]),
        "decline": reverse("enrolment:eoi-decline", args=[mine.reference]),
        "override": reverse("enrolment:eoi-override", args=[mine.reference]),
        "other-hub-place": reverse("enrolment:eoi-place", args=[theirs.reference]),
    }


def _sign_in(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_everyone(client, people, urls, role, name):
    _sign_in(client, people, role)
    assert client.get(urls[name]).status_code == 200


@pytest.mark.parametrize("name", list(GET_MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_review_pages(client, people, urls, role, name):
    _sign_in(client, people, role)
    response = client.get(urls[name])
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    elif role in GET_MATRIX[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", list(POST_MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_decisions(client, people, urls, eois, role, name):
    _sign_in(client, people, role)
    response = client.post(urls[name], {"decline-note": "No", "override-note": "Yes"})
    mine, theirs = eois
    target = theirs if name.startswith("other-hub") else mine
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    elif role in POST_MATRIX[name]:
        assert response.status_code in (200, 302, 400, 409)
    else:
        # National staff, who read every hub's, too: one answer, not a 403 of their own.
        assert response.status_code == 404
    if role not in POST_MATRIX[name]:
        target.refresh_from_db()
        assert target.status == ExpressionOfInterest.Status.TO_REVIEW
        assert not target.events.exists()


@pytest.mark.parametrize("decision", ["place", "waitlist", "decline", "override"])
def test_national_staff_deciding_get_the_page_of_a_missing_one(client, staff_user, eois, decision):
    # National staff read every hub's submissions but decide none; the answer to their decision
    # is the one answer to "you may not", not a 403 of its own.
    mine, _ = eois
    client.force_login(staff_user)
    form = {"decline-note": "No", "override-note": "Yes"}
    refused = client.post(reverse(f"enrolment:eoi-{decision}", args=[mine.reference]), form)
    missing = client.post(reverse(f"enrolment:eoi-{decision}", args=["EOI-1999-99999"]), form)
    assert refused.status_code == missing.status_code == 404
    assert [t.name for t in refused.templates] == [t.name for t in missing.templates]
    assert "404.html" in [t.name for t in refused.templates]
    mine.refresh_from_db()
    assert mine.status == ExpressionOfInterest.Status.TO_REVIEW
    assert not mine.events.exists()


@pytest.mark.parametrize("role", ROLES)
def test_bulk_placement_is_for_hub_leads_only(client, people, role):
    _sign_in(client, people, role)
    response = client.post(reverse("enrolment:eoi-place-many"), {})
    if role == "anonymous":
        assert "/account/login/" in response["Location"]
    elif role == "hub_lead":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


def test_a_hub_lead_cannot_bulk_place_another_hubs_submissions(client, hub_lead, eois, hub, year):
    group = make_group(hub=hub, year=year)
    _, theirs = eois
    client.force_login(hub_lead)
    response = client.post(
        reverse("enrolment:eoi-place-many"),
        {"work_group": group.pk, "selected": [theirs.pk]},
        follow=True,
    )
    assert "can no longer be placed" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == ExpressionOfInterest.Status.TO_REVIEW


@pytest.mark.parametrize("role", ROLES)
def test_the_acknowledgement_page_needs_the_sending_browser(client, people, eois, role):
    _sign_in(client, people, role)
    mine, _ = eois
    assert client.get(reverse("enrolment:eoi-sent", args=[mine.reference])).status_code == 404
