"""Support visit reminders: three days before a visit, and visits not scheduled by mid-term."""

from datetime import date, timedelta

import pytest

from reminders.tasks import remind_support_visits_coming_up, remind_visits_not_scheduled
from workgroups.models import SupportVisit, WorkGroup
from workgroups.programme import Phase, Term

from .conftest import build_group, recipients

pytestmark = pytest.mark.django_db

VISIT_DAY = date(2025, 10, 20)  # a Monday in the first half-term


def autumn_visit(participation) -> SupportVisit:
    return participation.support_visits.get(term=Term.AUTUMN)


def schedule_visit(participation, day: date) -> SupportVisit:
    visit = autumn_visit(participation)
    SupportVisit.objects.filter(pk=visit.pk).update(
        status=SupportVisit.Status.SCHEDULED, scheduled_for=day
    )
    return visit


def test_three_days_before_a_visit_the_schools_contacts_and_the_specialist_are_reminded(
    run, world, specialist
):
    schedule_visit(world.participation, VISIT_DAY)

    mails = run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=3))

    assert recipients(mails) == {
        world.participant.email,
        world.headteacher.email,
        world.teacher.email,
        specialist.email,
    }
    mail = next(m for m in mails if m.to == [world.headteacher.email])
    assert mail.subject == f"Support visit on Monday 20 October: {world.school.name}"
    assert "observe teaching" in mail.body
    assert run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=3)) == []
    assert run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=2)) == []


@pytest.mark.parametrize(("days_before", "sent"), [(4, False), (3, True), (2, True), (1, False)])
def test_a_visit_reminder_missed_one_morning_still_goes_the_next(run, world, days_before, sent):
    schedule_visit(world.participation, VISIT_DAY)

    mails = run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=days_before))

    assert bool(mails) is sent


def test_nothing_for_a_withdrawn_school_a_cancelled_visit_or_a_completed_group(run, world):
    schedule_visit(world.withdrawn_participation, VISIT_DAY)
    visit = schedule_visit(world.participation, VISIT_DAY + timedelta(days=1))
    SupportVisit.objects.filter(pk=visit.pk).update(status=SupportVisit.Status.CANCELLED)
    host_visit = schedule_visit(world.host_participation, VISIT_DAY + timedelta(days=1))
    WorkGroup.objects.filter(pk=world.group.pk).update(status=WorkGroup.Status.COMPLETED)

    assert run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=3)) == []
    assert run(remind_support_visits_coming_up, VISIT_DAY - timedelta(days=2)) == []
    assert host_visit.participation.school == world.host


# Not scheduled by mid-term ---------------------------------------------------------------------


def half_term_end(world, number: int) -> date:
    return world.year.half_terms.get(number=number).ends_on


def test_after_mid_term_the_specialist_gets_one_mail_listing_the_unscheduled_visits(
    run, world, specialist
):
    mid_term = half_term_end(world, 1)
    assert run(remind_visits_not_scheduled, mid_term) == []

    mails = run(remind_visits_not_scheduled, mid_term + timedelta(days=1))

    assert recipients(mails) == {specialist.email}
    assert len(mails) == 1
    assert mails[0].subject == "NCP25-DEV-01: 2 autumn term visits not yet scheduled"
    assert world.school.name in mails[0].body
    assert world.host.name in mails[0].body
    assert world.withdrawn.name not in mails[0].body
    assert run(remind_visits_not_scheduled, mid_term + timedelta(days=2)) == []


def test_scheduled_visits_are_not_listed_and_each_term_has_its_own_reminder(run, world):
    schedule_visit(world.participation, VISIT_DAY)

    autumn = run(remind_visits_not_scheduled, half_term_end(world, 1) + timedelta(days=1))
    spring = run(remind_visits_not_scheduled, half_term_end(world, 3) + timedelta(days=1))

    assert "1 autumn term visit not yet scheduled" in autumn[0].subject
    assert world.school.name not in autumn[0].body
    assert "2 spring term visits not yet scheduled" in spring[0].subject


def test_nothing_once_the_term_is_over_or_for_groups_without_visits(run, world, hub, specialist):
    sustaining = build_group(
        hub=hub, lead_user=specialist, year=world.year, code="NCP25-SUS-01", phase=Phase.SUSTAINING
    )
    assert not SupportVisit.objects.filter(participation__work_group=sustaining).exists()

    assert run(remind_visits_not_scheduled, half_term_end(world, 2) + timedelta(days=1)) == []
