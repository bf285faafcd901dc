"""No action plan service trusts its caller: each refuses a person who may not act (a contact
of another school, the hub's lead who reads but does not write, a specialist who leads another
group), changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from actionplans import services
from actionplans.models import Action, ActionPlan, Comment, Priority, Review
from schools.models import HubStaff
from tests.factories import (
    ActionFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    PriorityFactory,
    SchoolContactFactory,
    SchoolFactory,
    UserFactory,
)
from tests.support.services import services_taking_acting_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def edits(plan, hub, hub_lead):
    elsewhere = SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    outsider = SchoolContactFactory(school=elsewhere, user=UserFactory()).user
    other_specialist = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST).user
    priority = PriorityFactory(plan=plan)
    action = ActionFactory(priority=priority)
    v = {"version": 1}
    return {
        "action_plan_carry_over": lambda: services.action_plan_carry_over(
            plan=plan, acting_user=outsider
        ),
        "action_plan_update": lambda: services.action_plan_update(
            plan=plan, changes={"context": "Ours now."}, acting_user=hub_lead, **v
        ),
        "action_plan_share": lambda: services.action_plan_share(plan=plan, acting_user=hub_lead),
        "action_plan_review": lambda: services.action_plan_review(
            plan=plan, acting_user=other_specialist
        ),
        "priority_create": lambda: services.priority_create(
            plan=plan, title="Ours", areas=["fluency"], acting_user=outsider
        ),
        "priority_update": lambda: services.priority_update(
            priority=priority, changes={"title": "Ours"}, acting_user=outsider, **v
        ),
        "priority_delete": lambda: services.priority_delete(
            priority=priority, acting_user=outsider, **v
        ),
        "priority_move": lambda: services.priority_move(
            priority=priority, direction=1, acting_user=outsider
        ),
        "action_create": lambda: services.action_create(
            priority=priority, description="Ours", acting_user=outsider
        ),
        "action_update": lambda: services.action_update(
            action=action, changes={"owner": "Us"}, acting_user=outsider, **v
        ),
        "action_delete": lambda: services.action_delete(action=action, acting_user=outsider, **v),
        "action_move": lambda: services.action_move(
            action=action, direction=-1, acting_user=outsider
        ),
        # The hub's lead reads the plan and its comments; only the specialist and school talk.
        "comment_add": lambda: services.comment_add(plan=plan, body="Hm.", acting_user=hub_lead),
    }


def _state():
    tables = (ActionPlan, Priority, Action, Comment, Review)
    return [list(model.objects.order_by("pk").values_list()) for model in tables]


def test_every_action_plan_service_has_a_refusal_case(edits):
    assert set(edits) | {"action_plan_create"} == services_taking_acting_user(services)


@pytest.mark.parametrize(
    "name",
    [
        "action_plan_carry_over",
        "action_plan_update",
        "action_plan_share",
        "action_plan_review",
        "priority_create",
        "priority_update",
        "priority_delete",
        "priority_move",
        "action_create",
        "action_update",
        "action_delete",
        "action_move",
        "comment_add",
    ],
)
def test_each_action_plan_service_refuses_who_may_not_act(edits, name):
    before = _state()
    with pytest.raises(PermissionDenied):
        edits[name]()
    assert _state() == before


def test_a_plan_is_not_started_by_a_contact_of_another_school(participation, hub):
    elsewhere = SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    outsider = SchoolContactFactory(school=elsewhere, user=UserFactory()).user
    ActionPlan.objects.filter(participation=participation).delete()
    with pytest.raises(PermissionDenied):
        services.action_plan_create(participation=participation, acting_user=outsider)
    assert not ActionPlan.objects.filter(participation=participation).exists()
