"""Submitting an expression of interest: the service, the form, check your answers, bad input."""

import html
import re

import pytest
from django.urls import reverse

from enrolment import ratelimit
from enrolment.models import ExpressionOfInterest, ExpressionOfInterestEvent
from enrolment.services import eoi_submit
from enrolment.tasks import check_eligibility
from notifications.models import Notification
from schools.models import School
from tests.factories import LocalAuthorityFactory, SchoolFactory
from workgroups.models import AcademicYear
from workgroups.programme import Phase

from .conftest import answers, form_data

pytestmark = pytest.mark.django_db


def _form_url(hub, phase=Phase.DEVELOPMENT):
    return reverse("enrolment:eoi-create", args=[hub.slug, phase])


def _fill_in(client, hub, data, phase=Phase.DEVELOPMENT):
    """Post the form; return the check page's URL (or the response, when the form is refused)."""
    response = client.post(_form_url(hub, phase), data)
    if response.status_code == 302:
        return response.url
    return response


def _send(client, check_url, capture):
    with capture(execute=True):
        return client.post(check_url)


# The service ------------------------------------------------------------------------------------


def test_a_submission_is_saved_with_a_reference_acknowledged_and_checked(
    hub, hub_school, hub_lead, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        eoi, created = eoi_submit(**answers(hub_school))
    assert created
    assert re.fullmatch(rf"EOI-{eoi.academic_year.start_year}-\d{{5}}", eoi.reference)
    assert eoi.reference.endswith(f"{eoi.pk:05d}")
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.TO_REVIEW
    assert eoi.outcome == "eligible"
    assert eoi.reasons == [
        f"{hub_school.name} meets every condition for Development in {eoi.academic_year}."
    ]
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == sorted(
        [
            f"We have your expression of interest ({eoi.reference})",
            f"Your expression of interest: eligible ({eoi.reference})",
            f"New expression of interest: {hub_school.name}, Development (eligible)",
        ]
    )
    school_mails = [m for m in mailoutbox if m.to == [eoi.submitter_email]]
    assert len(school_mails) == 2
    assert (
        "What happens next" in school_mails[1].body or "What happens next" in school_mails[0].body
    )
    hub_mail = next(m for m in mailoutbox if m.to == [hub_lead.email])
    assert reverse("enrolment:eoi-detail", args=[eoi.reference]) in hub_mail.body
    actions = list(eoi.events.values_list("action", flat=True))
    assert actions == ["submitted", "checked"]


def test_running_the_check_again_changes_and_sends_nothing(
    hub, hub_school, hub_lead, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        eoi, _ = eoi_submit(**answers(hub_school))
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        check_eligibility.delay(eoi.pk)
        check_eligibility.delay(eoi.pk)
    assert len(mailoutbox) == sent
    assert Notification.objects.filter(kind="eoi_outcome").count() == 1
    assert eoi.events.filter(action="checked").count() == 1


def test_a_not_eligible_school_is_told_why_and_what_fits_instead(
    hub, hub_school, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        eoi, _ = eoi_submit(**answers(hub_school, Phase.EMBEDDING))
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.NOT_ELIGIBLE
    assert eoi.instead_phase == Phase.DEVELOPMENT
    outcome = next(m for m in mailoutbox if "not eligible" in m.subject)
    assert "Embedding is for schools that have completed Development" in outcome.body
    assert "What fits instead: Development." in outcome.body
    assert reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT]) in outcome.body


def test_a_school_outside_the_hub_needs_review_naming_its_own_hub(
    hub, other_hub, other_school, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        eoi, _ = eoi_submit(**answers(other_school, hub=hub))
    eoi.refresh_from_db()
    assert eoi.outcome == "needs_review"
    assert eoi.status == ExpressionOfInterest.Status.TO_REVIEW
    assert eoi.instead_hub == other_hub.name
    outcome = next(m for m in mailoutbox if "needs review" in m.subject)
    assert f"{other_hub.name} is the hub for the school's area" in outcome.body


def test_a_second_submission_for_the_same_school_phase_and_year_finds_the_first(
    hub, hub_school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = eoi_submit(**answers(hub_school))
        again, created = eoi_submit(**answers(hub_school, submitter_email="other@school.example"))
    assert not created
    assert again.pk == first.pk
    assert ExpressionOfInterest.objects.count() == 1


def test_a_declined_school_may_express_interest_again(hub, hub_school):
    first, _ = eoi_submit(**answers(hub_school))
    ExpressionOfInterest.objects.filter(pk=first.pk).update(status="declined")
    second, created = eoi_submit(**answers(hub_school))
    assert created and second.pk != first.pk


def test_an_invalid_submission_saves_nothing(hub, hub_school):
    bad = answers(
        hub_school,
        lead_participants=[{"name": "Lee", "email": "not-an-address"}],
        commitments=["made-up"],
    )
    with pytest.raises(Exception) as error:
        eoi_submit(**bad)
    assert "not a valid e-mail address" in str(error.value)
    assert "Only the commitments this phase asks for" in str(error.value)
    assert not ExpressionOfInterest.objects.exists()
    assert not ExpressionOfInterestEvent.objects.exists()
    assert not Notification.objects.exists()
    assert not AcademicYear.objects.exists()


# The form and check your answers ----------------------------------------------------------------


def test_the_whole_journey_without_javascript(
    client, hub, hub_school, open_group, django_capture_on_commit_callbacks, mailoutbox
):
    page = client.get(reverse("enrolment:hub-catalogue", args=[hub.slug]))
    assert open_group.title in page.content.decode()
    form_url = f"{_form_url(hub)}?group={open_group.pk}"
    form_page = client.get(form_url).content.decode()
    assert f'<option value="{open_group.pk}" selected>' in form_page

    data = form_data(hub_school, urn=None, school_query=str(hub_school.urn))
    data["work_group"] = str(open_group.pk)
    check_url = _fill_in(client, hub, data)
    check = client.get(check_url).content.decode()
    assert "Check your answers before sending" in check
    assert hub_school.name in check
    assert "Lee Lead 2" in check
    assert check.count(">Change<") >= 10
    assert f"?draft={check_url.rstrip('/').split('/')[-1]}#id_submitter_email" in check
    assert not ExpressionOfInterest.objects.exists()

    response = _send(client, check_url, django_capture_on_commit_callbacks)
    eoi = ExpressionOfInterest.objects.get()
    assert response.url == reverse("enrolment:eoi-sent", args=[eoi.reference])
    sent = client.get(response.url).content.decode()
    assert eoi.reference in sent
    assert "Expression of interest sent" in sent
    assert eoi.work_group == open_group
    assert eoi.lead_participants == [
        {"name": "Lee Lead 1", "email": f"lead1.{hub_school.urn}@school.example"},
        {"name": "Lee Lead 2", "email": f"lead2.{hub_school.urn}@school.example"},
    ]
    assert len(eoi.commitments) == 5

    # A double click on Send, or Back and Send again: nothing new, the same reference.
    again = _send(client, check_url, django_capture_on_commit_callbacks)
    assert again.url == response.url
    assert ExpressionOfInterest.objects.count() == 1
    assert len([m for m in mailoutbox if "We have your" in m.subject]) == 1


def test_a_resubmission_from_a_new_form_points_to_the_existing_reference(
    client, hub, hub_school, django_capture_on_commit_callbacks
):
    first = _send(
        client, _fill_in(client, hub, form_data(hub_school)), django_capture_on_commit_callbacks
    )
    second_client_url = _fill_in(client, hub, form_data(hub_school, submitter_name="Someone Else"))
    second = _send(client, second_client_url, django_capture_on_commit_callbacks)
    assert second.url == first.url
    page = client.get(second.url).content.decode()
    assert "We already have this expression of interest" in page
    assert ExpressionOfInterest.objects.count() == 1


def test_change_links_bring_back_the_answers(client, hub, hub_school):
    check_url = _fill_in(client, hub, form_data(hub_school))
    token = check_url.rstrip("/").split("/")[-1]
    page = client.get(f"{_form_url(hub)}?draft={token}").content.decode()
    assert f'value="sam.{hub_school.urn}@school.example"' in page
    assert f'name="draft" value="{token}"' in page
    changed = form_data(hub_school, submitter_name="Sam Changed")
    changed["draft"] = token
    assert _fill_in(client, hub, changed) == check_url
    assert "Sam Changed" in client.get(check_url).content.decode()


def test_the_acknowledgement_page_is_only_for_the_browser_that_sent_it(
    client, hub, hub_school, django_capture_on_commit_callbacks
):
    response = _send(
        client, _fill_in(client, hub, form_data(hub_school)), django_capture_on_commit_callbacks
    )
    client.logout()
    client.cookies.clear()
    assert client.get(response.url).status_code == 404


def test_several_matching_schools_are_listed_to_choose_from(client, hub):
    la = LocalAuthorityFactory(hub=hub)
    first = SchoolFactory(name="St Mary's Primary School", local_authority=la)
    SchoolFactory(name="St Mary's C of E Primary School", local_authority=la)
    data = form_data(first, urn="", school_query="St Marys")
    response = _fill_in(client, hub, data)
    page = response.content.decode()
    assert "More than one school matches “St Marys”: choose yours from the list." in page
    assert f'value="{first.urn}"' in page
    data["school_choice"] = str(first.urn)
    check_url = _fill_in(client, hub, data)
    assert f"(URN {first.urn})" in client.get(check_url).content.decode()


# Bad input: each a clear message, nothing saved -------------------------------------------------


def _closed_school(hub):
    return SchoolFactory(
        local_authority=LocalAuthorityFactory(hub=hub), status=School.Status.CLOSED
    )


def _secondary_school(hub):
    return SchoolFactory(
        local_authority=LocalAuthorityFactory(hub=hub), phase_of_education="Secondary"
    )


BAD_INPUT = [
    (
        "unknown URN typed",
        lambda school, hub: {"urn": "", "school_query": "999999"},
        "No school with URN 999999 is in the register of schools in England.",
    ),
    (
        "unknown URN from a tampered hidden field",
        lambda school, hub: {"urn": "999998"},
        "No school with URN 999998 is in the register of schools in England.",
    ),
    (
        "no school matches",
        lambda school, hub: {"urn": "", "school_query": "Nowhere Academy"},
        "No school matches “Nowhere Academy”.",
    ),
    (
        "closed school",
        lambda school, hub: {"urn": str(_closed_school(hub).urn)},
        "is closed in the register of schools.",
    ),
    (
        "secondary school",
        lambda school, hub: {"urn": str(_secondary_school(hub).urn)},
        "is not a primary school in the register (its phase is Secondary)",
    ),
    (
        "missing commitment",
        lambda school, hub: {"commit_release_time": None},
        "Confirm the school commits to this: The two lead teachers are released for at least "
        "ten (combined) days",
    ),
    (
        "not an e-mail address",
        lambda school, hub: {"headteacher_email": "head at school"},
        "Enter an e-mail address in the right format, like name@school.org.uk.",
    ),
    (
        "a 10,000-character text",
        lambda school, hub: {"priorities": "x" * 10_000},
        "The school&#x27;s priorities must be 3,000 characters or fewer",
    ),
    (
        "a missing second lead teacher",
        lambda school, hub: {"lead_2_name": "", "lead_2_email": ""},
        "Enter the second lead teacher&#x27;s name.",
    ),
    (
        "no consent",
        lambda school, hub: {"privacy_consent": None},
        "Agree to the privacy notice to send the form.",
    ),
    (
        "the honeypot filled in",
        lambda school, hub: {"website": "http://spam.example"},
        "a hidden box meant to catch robots was filled in",
    ),
]


@pytest.mark.parametrize(("case", "change", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client, hub, hub_school, case, change, message
):
    data = form_data(hub_school, **change(hub_school, hub))
    response = _fill_in(client, hub, data)
    assert not isinstance(response, str), "the form should have been refused"
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "Error: " in page.split("</title>")[0]
    # What was typed is kept.
    assert f'value="sam.{hub_school.urn}@school.example"' in page
    assert not ExpressionOfInterest.objects.exists()
    assert not client.session.get("enrolment_drafts")


def test_each_problem_in_the_summary_links_to_its_field(client, hub, hub_school):
    data = form_data(hub_school, submitter_email="nope", headteacher_name="")
    page = _fill_in(client, hub, data).content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#id_submitter_email">' in summary
    assert '<a href="#id_headteacher_name">' in summary
    assert summary.index("id_submitter_email") < summary.index("id_headteacher_name")


def test_a_flood_from_one_address_is_refused_and_the_answers_kept(
    client, hub, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimit, "SUBMISSIONS_PER_ADDRESS", (2, 3600))
    la = LocalAuthorityFactory(hub=hub)
    schools = [SchoolFactory(local_authority=la) for _ in range(3)]
    for school in schools[:2]:
        response = _send(
            client, _fill_in(client, hub, form_data(school)), django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    check_url = _fill_in(client, hub, form_data(schools[2]))
    refused = _send(client, check_url, django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Your expression of interest was not sent" in page
    assert "Too many expressions of interest have been sent from here" in page
    assert schools[2].name in page
    assert ExpressionOfInterest.objects.count() == 2
    # The answers are still there to send later.
    assert schools[2].name in client.get(check_url).content.decode()


def test_a_flood_for_one_email_address_is_refused(
    client, hub, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimit, "SUBMISSIONS_PER_EMAIL", (1, 3600))
    la = LocalAuthorityFactory(hub=hub)
    one, two = SchoolFactory(local_authority=la), SchoolFactory(local_authority=la)
    same = {"submitter_email": "same@school.example"}
    _send(client, _fill_in(client, hub, form_data(one, **same)), django_capture_on_commit_callbacks)
    refused = _send(
        client, _fill_in(client, hub, form_data(two, **same)), django_capture_on_commit_callbacks
    )
    assert refused.status_code == 429
    assert ExpressionOfInterest.objects.count() == 1


def test_sending_again_from_another_tab_shows_the_reference_without_spending_a_limit(
    client, hub, hub_school, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimit, "SUBMISSIONS_PER_ADDRESS", (1, 3600))
    first_tab = _fill_in(client, hub, form_data(hub_school))
    second_tab = _fill_in(client, hub, form_data(hub_school))
    sent = _send(client, first_tab, django_capture_on_commit_callbacks)
    again = _send(client, second_tab, django_capture_on_commit_callbacks)
    assert again.status_code == 302
    assert again.url == sent.url  # the same reference, not "too many"
    assert ExpressionOfInterest.objects.count() == 1


def test_many_schools_behind_one_public_address_all_send(
    client, hub, django_capture_on_commit_callbacks
):
    """A local authority's broadband: one address for a region's schools, on a deadline day."""
    la = LocalAuthorityFactory(hub=hub)
    for school in [SchoolFactory(local_authority=la) for _ in range(25)]:
        response = _send(
            client, _fill_in(client, hub, form_data(school)), django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    assert ExpressionOfInterest.objects.count() == 25


def test_a_flood_for_one_school_is_refused(
    client, hub, hub_school, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(ratelimit, "SUBMISSIONS_PER_SCHOOL", (1, 3600))
    _send(client, _fill_in(client, hub, form_data(hub_school)), django_capture_on_commit_callbacks)
    embedding = _fill_in(client, hub, form_data(hub_school, Phase.EMBEDDING), Phase.EMBEDDING)
    refused = _send(client, embedding, django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert ExpressionOfInterest.objects.count() == 1


# The public school lookup -----------------------------------------------------------------------


def test_the_public_lookup_shows_minimal_fields_and_why_a_school_cannot_take_part(client, hub):
    hub.contact_email = "hello@hub.example"
    hub.save()
    la = LocalAuthorityFactory(hub=hub)
    SchoolFactory(
        name="Oakfield Primary School", local_authority=la, town="Leeds", head_name="Dr Secret"
    )
    SchoolFactory(name="Oakfield Old School", local_authority=la, status=School.Status.CLOSED)
    SchoolFactory(name="Oakfield High School", local_authority=la, phase_of_education="Secondary")
    page = client.get(
        reverse("enrolment:school-lookup"), {"q": "oakfield", "hub": hub.slug}
    ).content.decode()
    assert "Oakfield Primary School" in page
    assert "Leeds" in page
    assert "Dr Secret" not in page
    assert page.count("data-refusal=") == 2
    assert "Oakfield Old School is closed in the register of schools." in page
    assert "it has a new URN: search for it by its new name or URN" in page
    assert "Oakfield High School is not a primary school in the register" in page
    assert "secondary Teaching for Mastery programme instead: write to" in page
    assert "hello@hub.example" in page


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (School.Status.OPEN, None),
        # The hub reviews a school proposed to close; the picker lets it ask.
        (School.Status.OPEN_PROPOSED_TO_CLOSE, None),
        (
            School.Status.CLOSED,
            "Oakfield Primary School is closed in the register of schools. If it has become an "
            "academy or joined another school, it has a new URN: search for it by its new name or "
            "URN and express an interest under that URN. If the register is wrong, write to "
            "Abacus",
        ),
        (
            School.Status.PROPOSED_TO_OPEN,
            "Oakfield Primary School is not open yet: the register of schools lists it as "
            "proposed to open, and its URN may still change before it opens. A school becoming "
            "an academy should express an interest under its current URN; a new school can "
            "express an interest once it has opened. If you think this is wrong, write to Abacus",
        ),
    ],
)
def test_the_public_lookup_says_what_each_register_status_means(client, hub, status, refusal):
    hub.name = "Abacus Maths Hub"
    hub.save()
    SchoolFactory(
        name="Oakfield Primary School",
        local_authority=LocalAuthorityFactory(hub=hub),
        status=status,
    )
    page = client.get(
        reverse("enrolment:school-lookup"), {"q": "oakfield", "hub": hub.slug}
    ).content.decode()
    assert "Oakfield Primary School" in page
    if refusal is None:
        assert "data-refusal=" not in page
    else:
        assert html.escape(refusal) in page


def test_the_public_lookup_is_rate_limited(client, hub_school, monkeypatch):
    monkeypatch.setattr(ratelimit, "LOOKUPS_PER_ADDRESS", (3, 60))
    url = reverse("enrolment:school-lookup")
    codes = [client.get(url, {"q": "school"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many searches" in client.get(url, {"q": "school"}).content.decode()


def test_an_unknown_phase_or_hub_is_not_found(client, hub):
    assert (
        client.get(reverse("enrolment:eoi-create", args=[hub.slug, "mastery"])).status_code == 404
    )
    assert (
        client.get(reverse("enrolment:eoi-create", args=["no-hub", "development"])).status_code
        == 404
    )
    assert client.get(reverse("enrolment:eoi-check", args=["unknown"])).status_code == 404


@pytest.mark.parametrize("typed", ["ls1 4ab", "LS14AB", "{urn}", "Oakfield Primary"])
def test_a_school_is_found_by_postcode_urn_or_name_without_the_autocomplete(client, hub, typed):
    school = SchoolFactory(
        name="Oakfield Primary School",
        postcode="LS1 4AB",
        local_authority=LocalAuthorityFactory(hub=hub),
    )
    data = form_data(school, urn="", school_query=typed.format(urn=school.urn))
    check_url = _fill_in(client, hub, data)
    assert isinstance(check_url, str), check_url.content.decode()
    assert f"(URN {school.urn})" in client.get(check_url).content.decode()
