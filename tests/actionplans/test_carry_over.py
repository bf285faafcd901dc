"""Sustaining schools take part year on year: this year's plan can start from last year's."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import services
from actionplans.programme import ActionStatus
from core.roles import SYSTEM
from tests.factories import ActionFactory, PriorityFactory
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place

from .conftest import make_work_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_years_plan(hub, specialist, hub_school, last_year, school_contact):
    group = make_work_group(hub=hub, lead_user=specialist, year=last_year)
    plan = services.action_plan_create(
        participation=participation_place(work_group=group, school=hub_school, acting_user=SYSTEM),
        acting_user=school_contact,
    )
    plan.context = "Mixed-age classes; new maths lead."
    plan.outcomes_pupils = "More pupils at greater depth."
    plan.end_of_year_reflection = "Fluency improved in KS1."
    plan.save()
    fluency = PriorityFactory(plan=plan, title="Fluency", areas=["fluency"], position=1)
    ActionFactory(
        priority=fluency,
        description="Daily fluency sessions",
        status=ActionStatus.ON_TRACK,
        starts_on="2024-09-10",
        due_on="2025-07-15",
    )
    ActionFactory(priority=fluency, description="Buy resources", status=ActionStatus.DONE)
    PriorityFactory(plan=plan, title="Variation", areas=["variation"], position=2)
    return plan


def test_this_years_plan_starts_from_last_years(last_years_plan, participation, school_contact):
    plan = services.action_plan_create(participation=participation, acting_user=school_contact)

    assert plan.carried_over_from == last_years_plan
    assert plan.context == "Mixed-age classes; new maths lead."
    assert plan.outcomes_pupils == "More pupils at greater depth."
    assert plan.end_of_year_reflection == ""  # last year's reflection stays with last year
    assert [p.title for p in plan.priorities.order_by("position")] == ["Fluency", "Variation"]
    carried = plan.actions.get()
    assert carried.description == "Daily fluency sessions"  # done actions stay behind
    assert carried.status == ActionStatus.NOT_STARTED
    assert carried.starts_on is None and carried.due_on is None
    assert carried.history.get().history_user == school_contact
    # Last year's plan itself is untouched.
    assert last_years_plan.actions.count() == 2


def test_carry_over_can_be_declined(last_years_plan, participation):
    plan = services.action_plan_create(
        participation=participation, carry_over=False, acting_user=SYSTEM
    )
    assert plan.carried_over_from is None
    assert plan.is_empty and not plan.priorities.exists()


def test_an_empty_plan_can_copy_last_years_later(
    client, last_years_plan, participation, school_contact
):
    plan = services.action_plan_create(
        participation=participation, carry_over=False, acting_user=SYSTEM
    )
    client.force_login(school_contact)
    page = client.get(reverse("actionplans:plan-edit", args=[plan.pk])).content.decode()
    assert "Copy last year's plan" in page

    response = client.post(reverse("actionplans:plan-carry-over", args=[plan.pk]), follow=True)
    assert "plan is copied in" in response.content.decode()
    assert plan.priorities.count() == 2

    # Once the plan has content, copying again is refused: nothing is overwritten.
    with pytest.raises(ValidationError, match="already has content"):
        services.action_plan_carry_over(plan=plan, acting_user=school_contact)
    assert plan.priorities.count() == 2


def test_with_no_earlier_plan_there_is_nothing_to_copy(plan, school_contact):
    assert plan.carried_over_from is None
    with pytest.raises(ValidationError, match="no earlier plan"):
        services.action_plan_carry_over(plan=plan, acting_user=school_contact)


def test_readiness_priorities_do_not_carry_into_the_big_ideas(
    hub, specialist, hub_school, last_year, participation
):
    readiness = make_work_group(
        hub=hub, lead_user=specialist, year=last_year, phase=Phase.READINESS
    )
    old = services.action_plan_create(
        participation=participation_place(
            work_group=readiness, school=hub_school, acting_user=SYSTEM
        ),
        acting_user=SYSTEM,
    )
    old.context = "Building confidence."
    old.save()
    PriorityFactory(plan=old, title="Mindsets", areas=["mathematical_mindsets"])

    plan = services.action_plan_create(participation=participation, acting_user=SYSTEM)
    assert plan.carried_over_from == old
    assert plan.context == "Building confidence."
    assert not plan.priorities.exists()


def test_the_most_recent_earlier_plan_is_used(
    hub, specialist, hub_school, last_years_plan, participation
):
    older_group = make_work_group(
        hub=hub, lead_user=specialist, year=academic_year_get_or_create(start_year=2022)
    )
    services.action_plan_create(
        participation=participation_place(
            work_group=older_group, school=hub_school, acting_user=SYSTEM
        ),
        acting_user=SYSTEM,
    )
    plan = services.action_plan_create(participation=participation, acting_user=SYSTEM)
    assert plan.carried_over_from == last_years_plan
