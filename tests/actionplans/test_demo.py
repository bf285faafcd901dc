"""The demo step: a plan for every placed school, in every state, with history."""

import io
import random

import pytest
from django.urls import reverse

from accounts.demo import demo_user
from actionplans import demo, selectors
from actionplans.models import Action, ActionPlan, Priority, Review
from actionplans.programme import PlanStatus
from actionplans.services import action_plan_create
from core.roles import SYSTEM
from schools import demo as schools_demo
from schools.models import HubStaff, School, SchoolContact
from workgroups.models import Participation
from workgroups.services import participation_place

from .conftest import make_work_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(year, last_year):
    """What the schools and work groups steps leave behind: the demo hub's groups over two
    years (the demo school in both), and one group in another hub."""
    context = schools_demo.seed(scale="small", rng=random.Random(7), stdout=io.StringIO())
    hub = context["demo_hub"]
    specialist = demo_user("specialist")
    contact_school = SchoolContact.objects.get(user=demo_user("school_contact")).school
    others = School.objects.in_hub(hub).primary().open().order_by("urn")[4:14]
    schools = [contact_school, *others]
    for start, group_year in ((2024, last_year), (2025, year)):
        group = make_work_group(
            hub=hub, lead_user=specialist, year=group_year, code=f"NCP{start}-DEMO"
        )
        for school in schools[:6] if start == 2024 else schools:
            participation_place(work_group=group, school=school, acting_user=SYSTEM)
    other_hub = context["hubs"][1]
    other_lead = context["demo_users"]["hub_lead"]
    HubStaff.objects.create(user=other_lead, hub=other_hub, role=HubStaff.Role.MASTERY_SPECIALIST)
    other = make_work_group(hub=other_hub, lead_user=other_lead, year=year, code="NCP25-OTHER")
    for school in School.objects.in_hub(other_hub).primary().open()[:5]:
        participation_place(work_group=other, school=school, acting_user=SYSTEM)
    return {**context, "rng": random.Random(7), "contact_school": contact_school}


def test_every_placed_school_gets_a_plan_in_every_state(placed):
    result = demo.seed(**placed)

    assert not Participation.objects.filter(action_plan__isnull=True).exists()
    this_year = ActionPlan.objects.filter(
        participation__work_group__hub=placed["demo_hub"],
        participation__academic_year__start_year=2025,
    )
    assert set(this_year.values_list("status", flat=True)) == set(PlanStatus.values)
    assert result["action_plans"]
    assert Review.objects.exists()
    # Bulk-made plans elsewhere still have content and a first history record.
    elsewhere = ActionPlan.objects.exclude(participation__work_group__hub=placed["demo_hub"])
    assert elsewhere.count() == 5
    assert all(plan.history.exists() and plan.priorities.exists() for plan in elsewhere)
    assert Priority.history.count() >= Priority.objects.count()
    assert Action.history.count() >= Action.objects.count()


def test_the_demo_school_has_a_reviewed_plan_to_revise(placed, client):
    demo.seed(**placed)
    plan = ActionPlan.objects.get(
        participation__school=placed["contact_school"],
        participation__academic_year__start_year=2025,
    )
    assert plan.status == PlanStatus.REVISED
    assert plan.carried_over_from.participation.academic_year.start_year == 2024
    assert selectors.plan_changes(plan, selectors.latest_review(plan)).any

    client.force_login(demo_user("school_contact"))
    page = client.get(reverse("actionplans:plan-changes", args=[plan.pk])).content.decode()
    assert "pupil voice in February" in page


def test_running_the_step_again_adds_nothing(placed):
    demo.seed(**placed)
    counts = (ActionPlan.objects.count(), Priority.objects.count(), Action.objects.count())
    demo.seed(**placed)
    assert (ActionPlan.objects.count(), Priority.objects.count(), Action.objects.count()) == counts


def test_plans_created_empty_at_placement_are_filled(placed):
    """Once placement creates plans, the step writes into the empty ones."""
    for participation in Participation.objects.all():
        action_plan_create(participation=participation, acting_user=SYSTEM)
    demo.seed(**placed)
    assert not ActionPlan.objects.filter(context="").exists()
    plan = ActionPlan.objects.get(
        participation__school=placed["contact_school"],
        participation__academic_year__start_year=2025,
    )
    assert plan.carried_over_from is not None
