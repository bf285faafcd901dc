"""Action plan reminders: share it four weeks in, the mid-year review, the year's reflection."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from actionplans.services import action_plan_create
from core.roles import SYSTEM
from reminders.tasks import (
    remind_action_plans_not_shared,
    remind_end_of_year_reflections_due,
    remind_mid_year_reviews_due,
)
from workgroups.models import WorkGroup, Workshop

from .conftest import recipients, schedule

pytestmark = pytest.mark.django_db

FIRST_WORKSHOP = date(2025, 10, 16)
FOURTH_WORKSHOP = date(2026, 3, 5)
SIXTH_WORKSHOP = date(2026, 6, 25)


@pytest.fixture
def workshops(world):
    schedule(world.workshop(1), FIRST_WORKSHOP)
    schedule(world.workshop(4), FOURTH_WORKSHOP)
    schedule(world.workshop(6), SIXTH_WORKSHOP)


def school_contacts(world) -> set[str]:
    return {world.participant.email, world.headteacher.email, world.teacher.email}


def share(participation):
    """The school shares its plan (the date is what the reminder looks at)."""
    plan = action_plan_create(participation=participation, acting_user=SYSTEM)
    ActionPlan.objects.filter(pk=plan.pk).update(shared_at=plan.created_at)
    return plan


def test_four_weeks_after_the_first_workshop_schools_without_a_shared_plan_are_reminded(
    run, world, workshops
):
    share(world.host_participation)
    four_weeks = FIRST_WORKSHOP + timedelta(weeks=4)
    assert run(remind_action_plans_not_shared, four_weeks - timedelta(days=1)) == []

    mails = run(remind_action_plans_not_shared, four_weeks)

    assert recipients(mails) == school_contacts(world)
    assert mails[0].subject == f"Please share your action plan: {world.school.name}, NCP25-DEV-01"
    url = reverse("actionplans:participation-plan", args=[world.participation.pk])
    assert url in mails[0].body
    assert run(remind_action_plans_not_shared, four_weeks + timedelta(days=1)) == []


def test_a_draft_plan_is_not_shared_but_a_shared_one_is(run, world, workshops):
    action_plan_create(
        participation=world.participation, acting_user=SYSTEM
    )  # a draft, never shared
    share(world.host_participation)

    mails = run(remind_action_plans_not_shared, FIRST_WORKSHOP + timedelta(weeks=5))

    assert recipients(mails) == school_contacts(world)


def test_no_plan_reminder_for_withdrawn_schools_or_completed_groups(run, world, workshops):
    share(world.participation)
    share(world.host_participation)
    day = FIRST_WORKSHOP + timedelta(weeks=4)
    assert world.withdrawn_contact.email not in recipients(run(remind_action_plans_not_shared, day))

    WorkGroup.objects.filter(pk=world.group.pk).update(status=WorkGroup.Status.COMPLETED)
    ActionPlan.objects.update(shared_at=None)
    assert run(remind_action_plans_not_shared, day + timedelta(days=1)) == []


def test_a_cancelled_first_workshop_counts_from_the_next_one_held(run, world, workshops):
    Workshop.objects.filter(pk=world.workshop(1).pk).update(status=Workshop.Status.CANCELLED)
    second = schedule(world.workshop(2), date(2025, 11, 13))

    assert run(remind_action_plans_not_shared, FIRST_WORKSHOP + timedelta(weeks=4)) == []
    assert run(remind_action_plans_not_shared, second.date + timedelta(weeks=4)) != []


def test_the_mid_year_review_is_due_two_weeks_before_the_fourth_workshop(run, world, workshops):
    plan = share(world.host_participation)
    ActionPlan.objects.filter(pk=plan.pk).update(mid_year_review="Fluency is daily in each class.")
    assert run(remind_mid_year_reviews_due, FOURTH_WORKSHOP - timedelta(days=15)) == []

    mails = run(remind_mid_year_reviews_due, FOURTH_WORKSHOP - timedelta(days=14))

    assert recipients(mails) == school_contacts(world)
    assert mails[0].subject == f"Your mid-year review is due: {world.school.name}, NCP25-DEV-01"
    assert "before workshop 4" in mails[0].body
    assert "Thursday 5 March" in mails[0].body
    assert run(remind_mid_year_reviews_due, FOURTH_WORKSHOP - timedelta(days=3)) == []


def test_the_end_of_year_reflection_is_due_before_the_sixth_workshop(run, world, workshops):
    assert run(remind_end_of_year_reflections_due, SIXTH_WORKSHOP - timedelta(days=15)) == []

    mails = run(remind_end_of_year_reflections_due, SIXTH_WORKSHOP - timedelta(days=7))

    assert recipients(mails) == school_contacts(world) | {world.host_contact.email}
    assert all("end-of-year reflection" in m.subject for m in mails)
    assert world.withdrawn_contact.email not in recipients(mails)
    assert run(remind_end_of_year_reflections_due, SIXTH_WORKSHOP) == []


def test_no_milestone_reminder_after_the_workshop_has_passed(run, world, workshops):
    assert run(remind_mid_year_reviews_due, FOURTH_WORKSHOP + timedelta(days=1)) == []
