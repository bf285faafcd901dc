"""The school's plan editor: add, reorder, edit and remove priorities and actions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import services
from actionplans.models import Action, Priority
from core.roles import SYSTEM
from tests.factories import ActionFactory, LocalAuthorityFactory, PriorityFactory, SchoolFactory
from workgroups.programme import Phase
from workgroups.services import participation_place

from .conftest import make_work_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, school_contact):
    client.force_login(school_contact)
    return client


def test_the_plan_text_is_saved_without_javascript(editor, plan):
    response = editor.post(
        reverse("actionplans:plan-update", args=[plan.pk, "plan"]),
        {
            "plan-context": "Three classes per year group.",
            "plan-outcomes_pupils": "More pupils at greater depth.",
            "plan-outcomes_whole_school": "",
            "plan-outcomes_practice": "",
            "plan-outcomes_professional_learning": "",
            "plan-version": 1,
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#plan-section")
    plan.refresh_from_db()
    assert plan.context == "Three classes per year group."
    assert plan.version == 2


def test_the_reflection_is_its_own_section(editor, plan):
    editor.post(
        reverse("actionplans:plan-update", args=[plan.pk, "reflection"]),
        {
            "reflection-mid_year_review": "On track in KS1.",
            "reflection-end_of_year_reflection": "",
            "reflection-impact_evidence": "Pupil voice survey.",
            "reflection-version": 1,
        },
    )
    plan.refresh_from_db()
    assert (plan.mid_year_review, plan.impact_evidence) == (
        "On track in KS1.",
        "Pupil voice survey.",
    )


def test_an_unknown_section_is_not_found(editor, plan):
    response = editor.post(reverse("actionplans:plan-update", args=[plan.pk, "status"]), {})
    assert response.status_code == 404


def test_a_priority_is_added_with_its_areas(editor, plan):
    response = editor.post(
        reverse("actionplans:priority-create", args=[plan.pk]),
        {
            "new-priority-title": "Representation in KS2",
            "new-priority-areas": ["representation_structure", "coherence"],
            "new-priority-description": "Bar models used consistently.",
        },
    )
    priority = Priority.objects.get()
    assert response["Location"].endswith(f"#priority-{priority.pk}")
    assert priority.areas == ["representation_structure", "coherence"]
    assert priority.area_names == ["Representation and structure", "Coherence"]


def test_a_priority_needs_a_title_and_an_area(editor, plan):
    response = editor.post(
        reverse("actionplans:priority-create", args=[plan.pk]), {"new-priority-title": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one area this priority addresses." in page
    assert "Enter the title." in page
    assert not Priority.objects.exists()


def test_an_area_of_another_phase_is_refused(plan, school_contact):
    with pytest.raises(ValidationError, match="Not an area of this phase"):
        services.priority_create(
            plan=plan, title="Mindsets", areas=["mathematical_mindsets"], acting_user=school_contact
        )
    assert not Priority.objects.exists()


def test_a_readiness_plan_works_on_the_five_key_areas(editor, hub, specialist, year, hub_school):
    group = make_work_group(hub=hub, lead_user=specialist, year=year, phase=Phase.READINESS)
    plan = services.action_plan_create(
        participation=participation_place(work_group=group, school=hub_school, acting_user=SYSTEM),
        acting_user=SYSTEM,
    )
    page = editor.get(reverse("actionplans:plan-edit", args=[plan.pk])).content.decode()
    assert "Vision and culture" in page and "Arithmetical proficiency" in page
    assert "Variation" not in page


def test_an_action_is_added_under_its_priority(editor, plan):
    priority = PriorityFactory(plan=plan)
    response = editor.post(
        reverse("actionplans:action-create", args=[plan.pk, priority.pk]),
        {
            f"new-action-{priority.pk}-description": "Lesson study cycle in Year 4",
            f"new-action-{priority.pk}-owner": "Year 4 teacher",
            f"new-action-{priority.pk}-starts_on": "2025-10-01",
            f"new-action-{priority.pk}-due_on": "2025-12-12",
            f"new-action-{priority.pk}-success_criteria": "Two cycles completed",
            f"new-action-{priority.pk}-resources": "Two half-days of cover",
            f"new-action-{priority.pk}-status": "not_started",
        },
    )
    action = Action.objects.get()
    assert response["Location"].endswith(f"#action-{action.pk}")
    assert (action.plan, action.priority, action.owner) == (plan, priority, "Year 4 teacher")


def test_an_action_cannot_be_due_before_it_starts(editor, plan):
    priority = PriorityFactory(plan=plan)
    prefix = f"new-action-{priority.pk}"
    response = editor.post(
        reverse("actionplans:action-create", args=[plan.pk, priority.pk]),
        {
            f"{prefix}-description": "Audit",
            f"{prefix}-starts_on": "2025-12-01",
            f"{prefix}-due_on": "2025-11-01",
            f"{prefix}-status": "not_started",
        },
    )
    assert "The due date cannot be before the start date." in response.content.decode()
    assert not Action.objects.exists()


def test_an_unknown_status_is_refused(editor, plan):
    action = ActionFactory(priority=PriorityFactory(plan=plan))
    prefix = f"action-{action.pk}"
    response = editor.post(
        reverse("actionplans:action-update", args=[plan.pk, action.pk]),
        {f"{prefix}-description": "X", f"{prefix}-status": "finished", f"{prefix}-version": 1},
    )
    assert "Choose the status from the list." in response.content.decode()
    action.refresh_from_db()
    assert action.description != "X"


def test_priorities_and_actions_are_reordered(editor, plan):
    first, second, third = (PriorityFactory(plan=plan, position=n) for n in (1, 2, 3))
    editor.post(reverse("actionplans:priority-move", args=[plan.pk, third.pk]), {"direction": "-1"})
    assert list(plan.priorities.order_by("position")) == [first, third, second]
    # Moving the first one up does nothing.
    editor.post(reverse("actionplans:priority-move", args=[plan.pk, first.pk]), {"direction": "-1"})
    assert list(plan.priorities.order_by("position")) == [first, third, second]

    a, b = ActionFactory(priority=first, position=1), ActionFactory(priority=first, position=2)
    editor.post(reverse("actionplans:action-move", args=[plan.pk, a.pk]), {"direction": "1"})
    assert list(first.actions.order_by("position")) == [b, a]


def test_removing_a_priority_removes_its_actions_and_keeps_their_history(
    editor, plan, school_contact
):
    priority = PriorityFactory(plan=plan)
    action = ActionFactory(priority=priority)
    response = editor.post(
        reverse("actionplans:priority-delete", args=[plan.pk, priority.pk]), {"version": 1}
    )
    assert response.status_code == 302
    assert not Priority.objects.exists() and not Action.objects.exists()
    removed = Action.history.filter(id=action.pk).first()
    assert removed.history_type == "-"
    assert removed.history_user == school_contact


def test_a_part_of_another_plan_is_not_found(editor, plan, work_group, hub):
    other_plan = services.action_plan_create(
        participation=participation_place(
            work_group=work_group,
            school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)),
            acting_user=SYSTEM,
        ),
        acting_user=SYSTEM,
    )
    foreign = ActionFactory(priority=PriorityFactory(plan=other_plan))
    response = editor.post(
        reverse("actionplans:action-delete", args=[plan.pk, foreign.pk]), {"version": 1}
    )
    assert response.status_code == 404
    assert Action.objects.filter(pk=foreign.pk).exists()


def test_print_page_holds_the_whole_plan(editor, plan):
    priority = PriorityFactory(plan=plan, title="Fluency first")
    ActionFactory(priority=priority, description="Daily practice", owner="Year 3 team")
    page = editor.get(reverse("actionplans:plan-print", args=[plan.pk])).content.decode()
    assert "actionplans-print.css" in page
    assert "Fluency first" in page and "Daily practice" in page and "Year 3 team" in page
    assert "<form" not in page.split('id="main"')[1]


def test_a_save_in_place_also_sends_the_plans_new_status_and_share_button(editor, plan):
    plan.status = "reviewed"
    plan.save()
    response = editor.post(
        reverse("actionplans:plan-update", args=[plan.pk, "plan"]),
        {"plan-context": "Two-form entry.", "plan-version": plan.version},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert 'id="plan-form-part"' in fragment
    assert "Saved at" in fragment and "data-part-state" in fragment
    # Out of band: the badge now says revised, and the plan can be shared again.
    assert '<p id="plan-state" hx-swap-oob="true">' in fragment
    assert "Revised since the review" in fragment
    assert '<div id="plan-share" hx-swap-oob="true">' in fragment
    assert "Share the plan with the specialist" in fragment


def test_a_part_not_saved_starts_with_the_error_summary(editor, plan):
    response = editor.post(
        reverse("actionplans:priority-create", args=[plan.pk]), {"new-priority-title": ""}
    )
    page = response.content.decode()
    assert "data-error-summary" in page and 'href="#id_new-priority-title"' in page
