"""Workshop reminders (a week before, the day before) and the attendance reminder after."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from notifications.models import Notification, NotificationPreference
from reminders.tasks import remind_attendance_not_recorded, remind_workshops_coming_up
from workgroups.models import Attendance, WorkGroup, Workshop

from .conftest import at, recipients, schedule

pytestmark = pytest.mark.django_db

WORKSHOP_DAY = date(2025, 10, 16)  # a Thursday in the first half-term


@pytest.fixture
def workshop(world):
    workshop = schedule(world.workshop(1), WORKSHOP_DAY, host=world.host)
    Attendance.objects.create(
        workshop=workshop,
        participation=world.participation,
        contact=world.teacher,
        is_lead_participant=False,
    )
    return workshop


def expected_people(world, specialist):
    """Lead participants, the invited teacher, the host school's contact, the specialist."""
    return {
        world.participant.email,
        world.teacher.email,
        world.host_contact.email,
        specialist.email,
    }


def test_a_week_before_everyone_expected_gets_one_mail_with_the_day_and_a_calendar_file(
    run, world, workshop, specialist
):
    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    assert recipients(mails) == expected_people(world, specialist)
    assert len(mails) == 4
    mail = next(m for m in mails if m.to == [world.host_contact.email])
    assert mail.subject.startswith("Workshop next week: NCP25-DEV-01 workshop 1")
    assert "Thursday 16 October 2025, 09:00 to 12:00" in mail.body
    assert f"Host Primary, {world.host.address}" in mail.body
    assert "Your school hosts it" in mail.body
    assert reverse("notifications:preferences") in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and "Host Primary" in html
    assert reverse("notifications:preferences") in html
    filename, content, mimetype = mail.attachments[0]
    assert (filename, mimetype) == (f"workshop-{workshop.pk}.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart").date() == WORKSHOP_DAY
    assert "Host Primary" in str(event["location"])


def test_withdrawn_schools_and_contacts_who_are_not_expected_get_nothing(run, world, workshop):
    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    assert world.withdrawn_contact.email not in recipients(mails)
    assert world.headteacher.email not in recipients(mails)


def test_a_second_run_the_same_morning_sends_nothing_new(run, world, workshop):
    day = WORKSHOP_DAY - timedelta(days=7)
    assert len(run(remind_workshops_coming_up, day)) == 4

    assert run(remind_workshops_coming_up, day) == []
    assert Notification.objects.filter(kind="workshop_next_week").count() == 4


def test_the_day_before_a_second_reminder_goes_and_not_the_first_again(run, world, workshop):
    run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=1))

    assert len(mails) == 4
    assert all(m.subject.startswith("Workshop tomorrow:") for m in mails)


@pytest.mark.parametrize(
    ("days_before", "sent"),
    [(8, False), (7, True), (6, True), (5, True), (4, False), (2, False), (1, True), (0, False)],
)
def test_a_missed_morning_is_caught_up_while_the_reminder_is_still_useful(
    run, world, workshop, days_before, sent
):
    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=days_before))

    assert bool(mails) is sent


def test_nothing_for_a_cancelled_workshop_or_a_completed_group(run, world, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CANCELLED)
    assert run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7)) == []

    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.SCHEDULED)
    WorkGroup.objects.filter(pk=world.group.pk).update(status=WorkGroup.Status.COMPLETED)
    assert run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=1)) == []


def test_a_moved_workshop_is_reminded_again_for_its_new_day(run, world, workshop):
    run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))
    new_day = WORKSHOP_DAY + timedelta(days=5)
    schedule(workshop, new_day)

    mails = run(remind_workshops_coming_up, new_day - timedelta(days=7))

    assert len(mails) == 4
    assert "Tuesday 21 October 2025" in mails[0].body


def test_a_person_who_turned_reminders_off_gets_none(run, world, workshop, school_contact):
    NotificationPreference.objects.create(user=school_contact, reminders=False)

    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    assert school_contact.email not in recipients(mails)
    record = Notification.objects.get(recipient=school_contact.email)
    assert record.status == Notification.Status.SUPPRESSED


def test_a_person_with_several_roles_gets_one_mail_saying_each(run, world, workshop, specialist):
    # The specialist's own school hosts the first workshop, as the programme has it.
    schedule(workshop, WORKSHOP_DAY, host=world.school)

    mails = run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    to_participant = [m for m in mails if m.to == [world.participant.email]]
    assert len(to_participant) == 1
    assert "Your school hosts it" in to_participant[0].body
    assert "lead participant" in to_participant[0].body
    assert world.headteacher.email in recipients(mails)  # a contact of the host school


def test_the_hub_lead_sees_the_reminders_in_the_hubs_outbox(run, world, workshop, hub):
    run(remind_workshops_coming_up, WORKSHOP_DAY - timedelta(days=7))

    assert set(Notification.objects.values_list("hub", flat=True)) == {hub.pk}


# Attendance ------------------------------------------------------------------------------------


def test_two_days_after_a_workshop_without_attendance_the_specialist_is_reminded(
    run, world, workshop, specialist
):
    assert run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=1)) == []

    mails = run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=2))

    assert recipients(mails) == {specialist.email}
    assert mails[0].subject == "Record attendance: NCP25-DEV-01 workshop 1"
    assert reverse("workgroups:attendance-mark", args=[workshop.pk]) in mails[0].body
    assert run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=3)) == []


def test_no_attendance_reminder_once_recorded_or_for_a_cancelled_workshop(run, world, workshop):
    Workshop.objects.filter(pk=workshop.pk).update(attendance_recorded_at=at(WORKSHOP_DAY, 13))
    assert run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=2)) == []

    Workshop.objects.filter(pk=workshop.pk).update(
        attendance_recorded_at=None, status=Workshop.Status.CANCELLED
    )
    assert run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=2)) == []


def test_old_workshops_do_not_flood_the_specialist_when_the_portal_starts(run, world, workshop):
    assert run(remind_attendance_not_recorded, WORKSHOP_DAY + timedelta(days=10)) == []
