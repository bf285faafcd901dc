from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.roles import SYSTEM
from notifications.models import Notification
from tests.factories import SchoolContactFactory
from workgroups.models import Attendance, Workshop
from workgroups.selectors import work_group_page, workshop_attendees
from workgroups.services import (
    attendance_mark,
    attendance_mark_rest_present,
    participation_withdraw,
    workshop_invite,
    workshop_schedule,
)

from .conftest import TODAY, school_in

pytestmark = pytest.mark.django_db

PAST_DAY = date(2026, 11, 18)  # a Wednesday in half-term 2, before "today"
COMING_DAY = date(2026, 12, 3)  # a Thursday later in half-term 2


def schedule(workshop, day, **fields):
    fields.setdefault("session", Workshop.Session.MORNING)
    fields.setdefault("acting_user", SYSTEM)
    return workshop_schedule(workshop=workshop, date=day, **fields)


def test_scheduling_sets_the_day_half_day_host_strands_and_content(world):
    workshop = schedule(
        world.workshop(2),
        COMING_DAY,
        session=Workshop.Session.AFTERNOON,
        host_school=world.other_school,
        strands=["leadership", "subject_knowledge"],
        agenda="Lesson study",
        materials="https://example.org/pd",
    )
    assert workshop.status == Workshop.Status.SCHEDULED
    assert (workshop.starts_at, workshop.ends_at) == (time(13), time(16))
    assert workshop.host_school == world.other_school
    assert workshop.strand_labels == ["Leadership", "Subject knowledge"]
    assert workshop.sequence == 0
    assert workshop.starts.isoformat() == "2026-12-03T13:00:00+00:00"


def test_the_day_falls_in_the_workshops_half_term_on_a_school_day(world):
    with pytest.raises(
        ValidationError, match="choose a day from 5 January 2027 to 12 February 2027"
    ):
        schedule(world.workshop(3), COMING_DAY)
    with pytest.raises(ValidationError, match="is a weekend"):
        schedule(world.workshop(2), date(2026, 11, 28))
    with pytest.raises(ValidationError, match="Give the day"):
        schedule(world.workshop(2), None)


def test_half_day_times_must_fit_the_session(world):
    with pytest.raises(ValidationError, match="morning workshop starts before noon"):
        schedule(world.workshop(2), COMING_DAY, starts_at=time(13), ends_at=time(16))
    with pytest.raises(ValidationError, match="must end after it starts"):
        schedule(world.workshop(2), COMING_DAY, starts_at=time(11), ends_at=time(10))


def test_the_host_is_a_school_taking_part_or_the_leads_own(world, hub, hub_school):
    schedule(world.workshop(2), COMING_DAY, host_school=world.other_school)
    schedule(world.workshop(3), date(2027, 1, 13), host_school=hub_school)  # lead's own school
    with pytest.raises(ValidationError, match="The host is a school taking part"):
        schedule(world.workshop(4), date(2027, 3, 3), host_school=school_in(hub))
    participation_withdraw(
        participation=world.other_participation, reason="Closed.", acting_user=SYSTEM
    )
    with pytest.raises(ValidationError, match="The host is a school taking part"):
        schedule(world.workshop(4), date(2027, 3, 3), host_school=world.other_school)


def test_unknown_strands_are_refused(world):
    with pytest.raises(ValidationError, match="Unknown strands: fun"):
        schedule(world.workshop(2), COMING_DAY, strands=["fun"])


def test_rescheduling_bumps_the_sequence_keeps_history_and_notifies_once(
    world, specialist, django_capture_on_commit_callbacks, mailoutbox
):
    expected = {c.email for c in [world.participant, world.teacher, *world.other_leads]}
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule(world.workshop(2), COMING_DAY, acting_user=specialist)
    # The first scheduling tells everyone expected too, with the calendar file.
    assert first.people_told == 4 and {m.to[0] for m in mailoutbox} == expected
    assert "is on 3 December 2026" in mailoutbox[0].subject
    assert "When: Thursday 3 December 2026" in mailoutbox[0].body
    assert mailoutbox[0].attachments[0][0].endswith(".ics")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = schedule(world.workshop(2), date(2026, 12, 8), acting_user=specialist)
    assert moved.sequence == 1 and moved.people_told == 4
    assert {m.to[0] for m in mailoutbox} == expected
    mail = mailoutbox[0]
    assert "has moved to 8 December 2026" in mail.subject
    assert "It was: Thursday 3 December 2026" in mail.body
    assert "It is now: Tuesday 8 December 2026" in mail.body
    assert mail.attachments[0][0].endswith(".ics")
    assert "SEQUENCE:1" in str(mail.attachments[0][1])
    dates = list(moved.history.order_by("history_id").values_list("date", "sequence"))
    assert dates[-2:] == [(COMING_DAY, 0), (date(2026, 12, 8), 1)]
    assert moved.history.latest().history_user == specialist

    # Saving again with the same day changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        same = schedule(world.workshop(2), date(2026, 12, 8), agenda="Now with an agenda")
    assert same.sequence == 1 and same.people_told == 0 and len(mailoutbox) == len(expected)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert keys == {f"workshop:{moved.pk}:scheduled:0", f"workshop:{moved.pk}:rescheduled:1"}


def test_a_host_change_is_a_reschedule_too(world, django_capture_on_commit_callbacks, mailoutbox):
    schedule(world.workshop(2), COMING_DAY, host_school=world.other_school)
    with django_capture_on_commit_callbacks(execute=True):
        moved = schedule(world.workshop(2), COMING_DAY, host_school=world.participation.school)
    assert moved.sequence == 1 and len(mailoutbox) == 4


def test_the_host_schools_are_told_each_person_once(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    head = SchoolContactFactory(school=world.other_school, name="Hana Head", role="headteacher")
    # Also a contact of the host: told once, not twice.
    SchoolContactFactory(school=world.other_school, email=world.other_leads[0].email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule(world.workshop(2), COMING_DAY, host_school=world.other_school)
    assert first.people_told == 5 and len(mailoutbox) == 5
    to_head = next(m for m in mailoutbox if m.to == [head.email])
    assert "Other Lane Primary School hosts this workshop" in to_head.body
    # The host moves: the old host's contacts hear that they no longer host it.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = schedule(world.workshop(2), COMING_DAY, host_school=world.participation.school)
    assert moved.people_told == len(mailoutbox) >= 5
    to_head = next(m for m in mailoutbox if m.to == [head.email])
    assert "Other Lane Primary School no longer hosts this workshop" in to_head.body
    assert len({m.to[0].lower() for m in mailoutbox}) == len(mailoutbox)


def test_the_schedule_page_says_who_will_be_told_and_how_many_were(client, world, specialist):
    client.force_login(specialist)
    url = reverse("workgroups:workshop-schedule", args=[world.workshop(2).pk])
    body = client.get(url).content.decode()
    assert "Who will be told" in body and "When you save, these" in body
    for contact in [world.participant, world.teacher, *world.other_leads]:
        assert contact.name in body
    assert "the contacts of the host school you choose" in body
    response = client.post(url, {"date": COMING_DAY.isoformat(), "session": "morning"}, follow=True)
    assert "Workshop 2 is scheduled: 4 people were told by e-mail." in response.content.decode()
    body = client.get(url).content.decode()
    assert "If you change the day, time or host, these" in body
    response = client.post(url, {"date": COMING_DAY.isoformat(), "session": "morning"}, follow=True)
    assert "Its day, time and host are as they were." in response.content.decode()


def test_attendance_is_marked_from_the_day_of_the_workshop(world, specialist):
    workshop = schedule(world.workshop(2), COMING_DAY)
    with pytest.raises(ValidationError, match="attendance can be marked from that day"):
        attendance_mark(
            workshop=workshop, contact=world.participant, status="present", acting_user=SYSTEM
        )
    with pytest.raises(ValidationError, match="schedule it first"):
        attendance_mark(
            workshop=world.workshop(3),
            contact=world.participant,
            status="present",
            acting_user=SYSTEM,
        )


def test_marking_attendance(world, specialist):
    workshop = schedule(world.workshop(2), PAST_DAY)
    attendance = attendance_mark(
        workshop=workshop, contact=world.participant, status="present", acting_user=specialist
    )
    assert attendance.is_lead_participant and attendance.recorded_by == specialist
    attendance_mark(
        workshop=workshop, contact=world.participant, status="apologies", acting_user=SYSTEM
    )
    assert (
        Attendance.objects.get(workshop=workshop, contact=world.participant).status == "apologies"
    )
    workshop.refresh_from_db()
    assert workshop.attendance_recorded_at is not None
    stranger = SchoolContactFactory(school=world.participation.school, name="Not Expected")
    with pytest.raises(ValidationError, match="Not Expected is not expected"):
        attendance_mark(workshop=workshop, contact=stranger, status="present", acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="Choose present"):
        attendance_mark(
            workshop=workshop, contact=world.participant, status="late", acting_user=SYSTEM
        )


def test_invited_teachers_are_expected_too(world):
    workshop = schedule(world.workshop(2), PAST_DAY)
    guest = SchoolContactFactory(school=world.other_school, name="Gita Guest")
    workshop_invite(workshop=workshop, contact=guest, acting_user=SYSTEM)
    rows = workshop_attendees(workshop)
    assert [(r.contact.name, r.is_lead) for r in rows if not r.is_lead] == [("Gita Guest", False)]
    assert len(rows) == 5
    with pytest.raises(ValidationError, match="already expected"):
        workshop_invite(workshop=workshop, contact=guest, acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="already expected"):
        workshop_invite(workshop=workshop, contact=world.participant, acting_user=SYSTEM)
    outsider = SchoolContactFactory(name="Out Sider")
    with pytest.raises(ValidationError, match="does not take part"):
        workshop_invite(workshop=workshop, contact=outsider, acting_user=SYSTEM)
    attendance_mark(workshop=workshop, contact=guest, status="present", acting_user=SYSTEM)
    assert not Attendance.objects.get(contact=guest).is_lead_participant


def test_marking_the_rest_present(world):
    workshop = schedule(world.workshop(2), PAST_DAY)
    attendance_mark(
        workshop=workshop, contact=world.participant, status="absent", acting_user=SYSTEM
    )
    assert attendance_mark_rest_present(workshop=workshop, acting_user=SYSTEM) == 3
    statuses = dict(
        Attendance.objects.filter(workshop=workshop).values_list("contact__name", "status")
    )
    assert statuses[world.participant.name] == "absent"
    assert sorted(statuses.values()) == ["absent", "present", "present", "present"]


def test_the_matrix_flags_a_lead_participant_who_missed_a_workshop(world):
    held = schedule(world.workshop(1), date(2026, 10, 7))
    attendance_mark_rest_present(workshop=held, acting_user=SYSTEM)
    missed = schedule(world.workshop(2), PAST_DAY)
    attendance_mark(workshop=missed, contact=world.teacher, status="apologies", acting_user=SYSTEM)
    attendance_mark(
        workshop=missed, contact=world.participant, status="present", acting_user=SYSTEM
    )
    schedule(world.workshop(3), date(2027, 1, 13))
    page = work_group_page(group=world.group, today=TODAY)
    row = next(r for r in page.members if r["pk"] == world.participation.pk)
    first, second, third = row["attendance"][:3]
    assert (first["present"], first["expected"], first["missed"]) == (2, 2, [])
    assert (second["present"], second["expected"], second["count"]) == (1, 2, "1 of 2")
    assert [a["contact_id"] for a in second["missed"]] == [world.teacher.pk]
    assert third["held"] is False and third["recorded"] is False
    other_row = next(r for r in page.members if r["pk"] == world.other_participation.pk)
    assert other_row["attendance"][1]["recorded"] and other_row["attendance"][1]["present"] == 0
    assert [(f["school"], f["number"], f["contact_id"]) for f in page.flags] == [
        (world.participation.school.name, 2, world.teacher.pk)
    ]


def test_attendance_page_marks_with_htmx_and_without(client, world, specialist):
    workshop = schedule(world.workshop(2), PAST_DAY)
    client.force_login(specialist)
    url = reverse("workgroups:attendance-mark", args=[workshop.pk])
    response = client.post(
        url, {"contact": world.participant.pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith("<tr") and f'id="attendee-{world.participant.pk}"' in body
    assert 'aria-pressed="true"' in body and "Present" in body
    response = client.post(url, {"contact": world.teacher.pk, "status": "absent"})
    assert response.status_code == 302
    assert response.url.endswith(f"#attendee-{world.teacher.pk}")
    assert Attendance.objects.get(contact=world.teacher).status == "absent"


def test_an_htmx_mark_that_is_refused_says_why_in_the_row(client, world, specialist):
    workshop = schedule(world.workshop(2), COMING_DAY)
    client.force_login(specialist)
    response = client.post(
        reverse("workgroups:attendance-mark", args=[workshop.pk]),
        {"contact": world.participant.pk, "status": "present"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "attendance can be marked from that day" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_marking_a_contact_of_another_hub_names_nobody(client, world, specialist, other_hub, htmx):
    """The attendance endpoint looks only among the workshop's own expected people."""
    workshop = schedule(world.workshop(2), PAST_DAY)
    elsewhere = SchoolContactFactory(school=school_in(other_hub), name="Olwen Otherhub")
    client.force_login(specialist)
    response = client.post(
        reverse("workgroups:attendance-mark", args=[workshop.pk]),
        {"contact": elsewhere.pk, "status": "present"},
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
        follow=True,
    )
    assert response.status_code == 404
    assert "Olwen Otherhub" not in response.content.decode()
    assert not Attendance.objects.filter(contact=elsewhere).exists()
