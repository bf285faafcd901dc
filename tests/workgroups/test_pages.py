from datetime import date

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from schools.models import HubStaff
from tests.factories import ParticipationFactory
from workgroups.models import Participation, WorkGroup
from workgroups.programme import Phase, Term
from workgroups.selectors import pathway_entries
from workgroups.services import (
    attendance_mark,
    participation_withdraw,
    support_visit_record,
    support_visit_schedule,
    work_group_complete,
    workshop_schedule,
)

from .conftest import after_the_year, make_group, school_in

pytestmark = pytest.mark.django_db


def page(client, user, name, *args, query=""):
    client.force_login(user)
    response = client.get(reverse(name, args=args) + query)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    return body


def test_the_specialists_home_lists_groups_coming_dates_and_what_is_overdue(
    client, world, specialist
):
    workshop_schedule(
        workshop=world.workshop(1), date=date(2026, 10, 7), session="morning", acting_user=SYSTEM
    )
    workshop_schedule(
        workshop=world.workshop(3), date=date(2027, 1, 13), session="morning", acting_user=SYSTEM
    )
    support_visit_schedule(
        visit=world.other_participation.support_visits.get(term=Term.AUTUMN),
        scheduled_for=date(2026, 11, 18),
        acting_user=SYSTEM,
    )
    support_visit_schedule(
        visit=world.participation.support_visits.get(term=Term.AUTUMN),
        scheduled_for=date(2026, 12, 2),
        acting_user=SYSTEM,
    )
    body = page(client, specialist, "workgroups:my-work-groups")
    assert "My work groups at Test Maths Hub" in body
    assert "NCP26-11-01" in body and "2 of 7" in body
    # Workshop 2 has no day though its half-term began; workshop 1's attendance is not taken;
    # the other school's autumn visit was planned for last week and not recorded.
    assert "workshop 2</a> has no day yet" in body
    assert "workshop 1</a> on 7 October 2026: attendance not recorded" in body
    assert f"Autumn visit to {world.other_school.name}</a>" in body
    assert "Wednesday 13 January" in body  # next workshops
    assert "Wednesday 2 December" in body  # next visits


def test_the_cohort_page_shows_places_filled_lead_and_status(client, world, hub_lead, hub):
    make_group(hub, None, code="NCP26-11-02", phase=Phase.READINESS, status="open")
    body = page(client, hub_lead, "workgroups:cohort")
    assert "Test Maths Hub work groups, 2026/27" in body
    assert "2 work groups; 2 of 14 places filled." in body
    assert body.index("NCP26-11-02") < body.index("NCP26-11-01")  # Readiness comes first
    assert "No lead yet" in body and "Open for expressions of interest" in body
    older = page(client, hub_lead, "workgroups:cohort", query="?year=2025")
    assert "No work groups in 2025/26 yet" in older
    assert page(client, hub_lead, "workgroups:cohort", query="?year=junk")
    # A withdrawal shows at once.
    participation_withdraw(
        participation=world.other_participation, reason="Closing", acting_user=SYSTEM
    )
    assert "2 work groups; 1 of 14 places filled." in page(client, hub_lead, "workgroups:cohort")


def test_the_work_group_page_has_members_timeline_matrix_and_grid(client, world, specialist):
    workshop_schedule(
        workshop=world.workshop(2), date=date(2026, 11, 18), session="morning", acting_user=SYSTEM
    )
    attendance_mark(
        workshop=world.workshop(2), contact=world.teacher, status="absent", acting_user=SYSTEM
    )
    support_visit_record(
        visit=world.participation.support_visits.get(term=Term.AUTUMN),
        visited_on=date(2026, 11, 17),
        next_steps="Plan together.",
        acting_user=SYSTEM,
    )
    body = page(client, specialist, "workgroups:work-group-detail", world.group.pk)
    for caption in [
        "Schools in NCP26-11-01",
        "The six half-day workshops",
        "Attendance: each school at each workshop",
        "Support visits: each school in each term",
    ]:
        assert caption in body
    assert "Lead participants who missed a workshop" in body
    assert f"{world.teacher.name} ({world.participation.school.name}): workshop 2, absent" in body
    assert "Done</span>" in body and "Not yet scheduled" in body
    assert "Place a school" not in body  # hub leads place schools


def test_the_work_group_page_shows_a_change_at_once(client, world, specialist, hub_lead):
    workshop_schedule(
        workshop=world.workshop(2), date=date(2026, 11, 18), session="morning", acting_user=SYSTEM
    )
    body = page(client, specialist, "workgroups:work-group-detail", world.group.pk)
    assert "missed a workshop" not in body
    assert "missed a workshop" not in page(
        client, specialist, "workgroups:work-group-detail", world.group.pk
    )
    attendance_mark(
        workshop=world.workshop(2), contact=world.teacher, status="apologies", acting_user=SYSTEM
    )
    body = page(client, specialist, "workgroups:work-group-detail", world.group.pk)
    assert (
        f"{world.teacher.name} ({world.participation.school.name}): workshop 2, apologies" in body
    )
    # The same records with the hub lead's controls, not the specialist's copy.
    lead_page = page(client, hub_lead, "workgroups:work-group-detail", world.group.pk)
    assert "Place a school" in lead_page and "Place a school" not in body
    participation_withdraw(
        participation=world.other_participation, reason="Closing", acting_user=SYSTEM
    )
    body = page(client, specialist, "workgroups:work-group-detail", world.group.pk)
    assert "Closing" in body
    assert "1 of " in body


def test_the_work_group_page_escapes_names_in_its_matrix_and_grid(client, world, hub_lead):
    world.teacher.name = "Lena <b>O'Neil</b>"
    world.teacher.save()
    world.other_school.name = "Tom & Jerry's <i>Primary</i>"
    world.other_school.save()
    workshop_schedule(
        workshop=world.workshop(2), date=date(2026, 11, 18), session="morning", acting_user=SYSTEM
    )
    attendance_mark(
        workshop=world.workshop(2), contact=world.teacher, status="absent", acting_user=SYSTEM
    )
    body = page(client, hub_lead, "workgroups:work-group-detail", world.group.pk)
    assert "<b>" not in body and "<i>" not in body
    assert "Lena &lt;b&gt;O&#x27;Neil&lt;/b&gt;: absent</span>" in body
    assert "the autumn visit to Tom &amp; Jerry&#x27;s &lt;i&gt;Primary&lt;/i&gt;</span>" in body


def test_a_hub_lead_sets_up_a_group_with_its_workshops(client, hub, hub_lead, specialist):
    client.force_login(hub_lead)
    lead = HubStaff.objects.get(user=specialist)
    response = client.post(
        reverse("workgroups:work-group-create"),
        {
            "phase": "sustaining",
            "start_year": "2027",
            "code": " ncp27-11-01 ",
            "title": "Sustaining North",
            "lead": lead.pk,
            "capacity": "7",
            "status": "planning",
        },
    )
    group = WorkGroup.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/groups/{group.pk}/")
    assert group.code == "NCP27-11-01" and group.academic_year.name == "2027/28"
    assert group.workshops.count() == 6 and group.history.first().history_user == hub_lead


def test_the_set_up_form_shows_what_is_wrong(client, hub, hub_lead):
    readiness = HubStaff.objects.create(user=hub_lead, hub=hub, role=HubStaff.Role.READINESS_LEAD)
    client.force_login(hub_lead)
    response = client.post(
        reverse("workgroups:work-group-create"),
        {
            "phase": "development",
            "start_year": "2026",
            "code": "X",
            "title": "T",
            "lead": readiness.pk,
            "capacity": "0",
            "status": "planning",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The capacity must be 1 or more." in body
    response = client.post(
        reverse("workgroups:work-group-create"),
        {
            "phase": "development",
            "start_year": "2026",
            "code": "X",
            "title": "T",
            "lead": readiness.pk,
            "capacity": "7",
            "status": "planning",
        },
    )
    assert "The lead must be a Mastery Specialist of the hub." in response.content.decode()
    assert not WorkGroup.objects.exists()


def test_placing_a_school_from_the_group_page(client, world, hub, hub_lead, other_school):
    client.force_login(hub_lead)
    place = reverse("workgroups:participation-create", args=[world.group.pk])
    response = client.post(place, {"urn": other_school.urn})
    assert response.status_code == 400
    assert "is in Test Maths Hub" in response.content.decode()
    response = client.post(place, {"urn": world.other_school.urn})
    assert "already takes part in a Development work group" in response.content.decode()
    newcomer = school_in(hub)
    response = client.post(place, {"urn": newcomer.urn})
    participation = Participation.objects.get(school=newcomer)
    assert response.url == reverse("workgroups:participation-detail", args=[participation.pk])


def test_the_participation_page_edits_leads_grant_and_withdraws(client, world, hub_lead):
    client.force_login(hub_lead)
    participation = world.participation
    response = client.post(
        reverse("workgroups:participation-grant", args=[participation.pk]),
        {"grant_status": "paid", "grant_claimed_on": "2026-10-01"},
    )
    assert response.status_code == 400
    assert "Give the day the grant was paid." in response.content.decode()
    response = client.post(reverse("workgroups:participation-withdraw", args=[participation.pk]))
    assert "Answer “Why is the school withdrawing?”." in response.content.decode()
    response = client.post(
        reverse("workgroups:participation-withdraw", args=[participation.pk]),
        {"withdrawn_reason": "Amalgamating with the junior school."},
    )
    assert response.status_code == 302
    body = page(client, hub_lead, "workgroups:work-group-detail", world.group.pk)
    assert "Amalgamating with the junior school." in body


def test_copying_and_completing_from_the_pages(client, world, hub_lead):
    client.force_login(hub_lead)
    copy_url = reverse("workgroups:work-group-copy") + "?year=2026"
    assert "Copy 1 group" in client.get(copy_url).content.decode()
    response = client.post(copy_url)
    assert response.url.endswith("?hub=test-hub&year=2027")
    assert WorkGroup.objects.filter(academic_year__start_year=2027).count() == 1
    body = client.get(copy_url).content.decode()
    assert "2027/28 already has 1 work group of Test Maths Hub" in body
    assert "Copy 1 group" not in body
    # Copying again is refused, saying why, and sets up nothing.
    response = client.post(copy_url, follow=True)
    assert "2027/28 already has 1 work group" in response.content.decode()
    assert WorkGroup.objects.filter(academic_year__start_year=2027).count() == 1
    cohort = page(client, hub_lead, "workgroups:cohort", query="?year=2026")
    assert "Copy these groups into 2027/28" not in cohort
    assert "2027/28 already has 1 work group" in cohort
    assert "?hub=test-hub&amp;year=2027" in cohort

    # Before the year's teaching is over and with workshops to come, completing is not offered.
    complete_url = reverse("workgroups:work-group-complete", args=[world.group.pk])
    body = page(client, hub_lead, "workgroups:work-group-detail", world.group.pk)
    assert complete_url not in body and "are still to come" in body
    assert "still to come" in page(
        client, hub_lead, "workgroups:work-group-complete", world.group.pk
    )
    response = client.post(complete_url, follow=True)
    assert "still to come" in response.content.decode()
    assert not WorkGroup.objects.get(pk=world.group.pk).is_completed
    with after_the_year():
        assert complete_url in page(
            client, hub_lead, "workgroups:work-group-detail", world.group.pk
        )
        response = client.post(complete_url)
    assert response.status_code == 302
    assert set(world.group.participations.values_list("status", flat=True)) == {"completed"}


def test_the_school_contacts_page_shows_their_participation_workshops_and_visits(
    client, world, school_contact
):
    workshop_schedule(
        workshop=world.workshop(2),
        date=date(2026, 11, 18),
        session="morning",
        host_school=world.other_school,
        agenda="Lesson study on fractions",
        acting_user=SYSTEM,
    )
    attendance_mark(
        workshop=world.workshop(2), contact=world.participant, status="present", acting_user=SYSTEM
    )
    attendance_mark(
        workshop=world.workshop(2),
        contact=world.other_leads[0],
        status="absent",
        acting_user=SYSTEM,
    )
    support_visit_record(
        visit=world.participation.support_visits.get(term=Term.AUTUMN),
        visited_on=date(2026, 11, 17),
        lessons_observed=3,
        next_steps="Model a lesson for colleagues.",
        acting_user=SYSTEM,
    )
    body = page(client, school_contact, "workgroups:my-participation")
    assert "NCP26-11-01" in body and "Wed 18 November 2026" in body
    assert "Lesson study on fractions" in body
    assert f"{world.participant.name}: <span" in body
    assert world.other_leads[0].name not in body
    assert "Model a lesson for colleagues." in body
    assert "Add to calendar" in body


def test_the_school_page_shows_the_pathway(client, hub, specialist, hub_lead, hub_school):
    for year, phase in [(2024, Phase.DEVELOPMENT), (2025, Phase.EMBEDDING)]:
        group = make_group(
            hub, specialist, code=f"NCP{year % 100}-{phase[:3]}", phase=phase, year=year
        )
        ParticipationFactory(work_group=group, school=hub_school)
        work_group_complete(work_group=group, acting_user=SYSTEM)
    current = make_group(hub, specialist, code="NCP26-SUS", phase=Phase.SUSTAINING)
    left = ParticipationFactory(work_group=current, school=hub_school)
    participation_withdraw(participation=left, reason="New headteacher.", acting_user=SYSTEM)
    entries = pathway_entries(hub_school)
    assert [(e.academic_year, e.phase, e.status, e.note) for e in entries] == [
        ("2024/25", "Development", "Completed", ""),
        ("2025/26", "Embedding", "Completed", ""),
        ("2026/27", "Sustaining", "Withdrawn", "New headteacher."),
    ]
    body = page(client, hub_lead, "schools:school-detail", hub_school.urn)
    assert "NCP24-dev Development work group" in body


def test_a_code_already_taken_is_named_with_what_to_do(client, hub, hub_lead, specialist):
    make_group(hub, specialist, code="NCP26-ABCD", year=2026)
    client.force_login(hub_lead)
    fields = {"phase": "sustaining", "code": "ncp26-abcd", "title": "T", "capacity": "7"}
    response = client.post(
        reverse("workgroups:work-group-create"),
        {**fields, "start_year": "2026", "status": "planning"},
    )
    body = response.content.decode()
    assert "A work group with code NCP26-ABCD already exists this year: choose another code." in (
        body
    )
    assert 'href="#id_code"' in body  # the error summary links to the field
    response = client.post(
        reverse("workgroups:work-group-create"),
        {**fields, "start_year": "2027", "status": "planning"},
    )
    assert "already exists in 2026/27: choose another code." in response.content.decode()


def test_the_visit_forms_are_prefilled_with_the_planned_day(client, world, specialist):
    visit = world.participation.support_visits.order_by("term").first()
    support_visit_schedule(visit=visit, scheduled_for=date(2026, 11, 4), acting_user=SYSTEM)
    body = page(client, specialist, "workgroups:visit-record", visit.pk)
    assert 'name="visited_on" value="2026-11-04"' in body
    body = page(client, specialist, "workgroups:visit-schedule", visit.pk)
    assert 'name="scheduled_for" value="2026-11-04"' in body
    response = client.post(reverse("workgroups:visit-record", args=[visit.pk]), {"trg_notes": ""})
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert "Enter the day of the visit." in body and 'href="#id_visited_on"' in body
