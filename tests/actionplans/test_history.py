"""Every change is kept; the changes page compares the plan now with the plan as reviewed."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from actionplans import selectors, services
from actionplans.programme import ActionStatus
from tests.factories import ActionFactory, PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_plan(plan, school_contact, specialist):
    """A plan with two priorities and three actions, shared and reviewed."""
    services.action_plan_update(
        plan=plan, version=1, changes={"context": "Two-form entry."}, acting_user=school_contact
    )
    fluency = services.priority_create(
        plan=plan, title="Fluency", areas=["fluency"], acting_user=school_contact
    )
    services.priority_create(
        plan=plan, title="Variation", areas=["variation"], acting_user=school_contact
    )
    services.action_create(
        priority=fluency,
        description="Daily fluency sessions",
        owner="Maths lead",
        acting_user=school_contact,
    )
    services.action_create(
        priority=fluency, description="Times tables check", acting_user=school_contact
    )
    plan.refresh_from_db()
    services.action_plan_share(plan=plan, acting_user=school_contact)
    services.action_plan_review(plan=plan, acting_user=specialist, comment="Good.")
    plan.refresh_from_db()
    return plan


def _revise(plan, user):
    """The school's revision after the review: one changed, one added, one removed, one moved."""
    fluency, variation = plan.priorities.order_by("position")
    daily, check = fluency.actions.order_by("position")
    services.action_update(
        action=daily,
        version=daily.version,
        changes={"description": "Daily fluency sessions, 15 minutes", "status": "on_track"},
        acting_user=user,
    )
    services.action_delete(action=check, version=check.version, acting_user=user)
    services.action_create(priority=variation, description="Lesson study", acting_user=user)
    services.priority_move(priority=variation, direction=-1, acting_user=user)
    plan.refresh_from_db()
    services.action_plan_update(
        plan=plan,
        version=plan.version,
        changes={"context": "Two-form entry; new staff."},
        acting_user=user,
    )


def test_changes_since_the_review_field_by_field(reviewed_plan, school_contact):
    _revise(reviewed_plan, school_contact)
    changes = selectors.plan_changes(reviewed_plan, selectors.latest_review(reviewed_plan))

    assert [(f.label, f.old, f.new) for f in changes.plan_fields] == [
        ("The school's context", "Two-form entry.", "Two-form entry; new staff.")
    ]
    by_title = {p.title: p for p in changes.priorities}
    assert set(by_title) == {"Fluency", "Variation"}  # both hold changed actions
    fluency_actions = {a.title: a for a in by_title["Fluency"].actions}
    changed = fluency_actions["Daily fluency sessions, 15 minutes"]
    assert changed.kind == "changed"
    assert {(f.label, f.old, f.new) for f in changed.fields} == {
        ("What will be done", "Daily fluency sessions", "Daily fluency sessions, 15 minutes"),
        ("Status", "Not started", "On track"),
    }
    assert fluency_actions["Times tables check"].kind == "removed"
    assert [(a.kind, a.title) for a in by_title["Variation"].actions] == [("added", "Lesson study")]
    # Moving a priority is not a change of its content.
    assert by_title["Variation"].kind == "unchanged"


def test_the_changes_page_shows_old_and_new_side_by_side(
    client, reviewed_plan, school_contact, specialist
):
    _revise(reviewed_plan, school_contact)
    client.force_login(specialist)
    page = client.get(reverse("actionplans:plan-changes", args=[reviewed_plan.pk])).content.decode()
    assert "At the review" in page and "Now" in page
    assert "<del>Daily fluency sessions</del>" in page
    assert "<ins>Daily fluency sessions, 15 minutes</ins>" in page
    assert "Removed" in page and "Times tables check" in page
    assert "New" in page and "Lesson study" in page


def test_nothing_changed_since_the_review(client, reviewed_plan, specialist):
    client.force_login(specialist)
    page = client.get(reverse("actionplans:plan-changes", args=[reviewed_plan.pk])).content.decode()
    assert "Nothing has changed since this review." in page


def test_before_any_review_there_is_nothing_to_compare(client, plan, school_contact):
    client.force_login(school_contact)
    page = client.get(reverse("actionplans:plan-changes", args=[plan.pk])).content.decode()
    assert "has not reviewed this plan yet" in page


def test_an_earlier_review_can_be_chosen(client, reviewed_plan, school_contact, specialist):
    first_review = selectors.latest_review(reviewed_plan)
    _revise(reviewed_plan, school_contact)
    reviewed_plan.refresh_from_db()
    services.action_plan_share(plan=reviewed_plan, acting_user=school_contact)
    services.action_plan_review(plan=reviewed_plan, acting_user=specialist)

    latest = selectors.plan_changes(reviewed_plan, selectors.latest_review(reviewed_plan))
    assert not latest.any
    client.force_login(specialist)
    url = reverse("actionplans:plan-changes", args=[reviewed_plan.pk])
    page = client.get(url, {"review": first_review.pk}).content.decode()
    assert "Two-form entry; new staff." in page


def test_every_change_is_kept_with_who_made_it(client, reviewed_plan, school_contact, specialist):
    _revise(reviewed_plan, school_contact)
    entries = selectors.plan_history(reviewed_plan)
    summary = [(e.who, e.kind, e.what) for e in entries]

    assert (school_contact, "removed", "action “Times tables check”") in summary
    assert (school_contact, "created", "action “Lesson study”") in summary
    assert (school_contact, "moved", "priority “Variation”") in summary
    assert (specialist, "changed", "the plan") in summary  # the review: shared → reviewed
    status_change = next(e for e in entries if e.who == specialist and e.what == "the plan")
    assert [(f.label, f.old, f.new) for f in status_change.fields] == [
        ("Status", "Shared with the specialist", "Reviewed")
    ]
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)

    client.force_login(specialist)
    page = client.get(reverse("actionplans:plan-history", args=[reviewed_plan.pk])).content.decode()
    assert escape(school_contact.get_full_name()) in page
    assert "Daily fluency sessions, 15 minutes" in page


def test_priority_and_action_edits_record_the_editor(plan, school_contact):
    priority = PriorityFactory(plan=plan)
    action = ActionFactory(priority=priority)
    services.action_update(
        action=action,
        version=action.version,
        changes={"status": ActionStatus.AT_RISK},
        acting_user=school_contact,
    )
    latest = action.history.first()
    assert latest.history_user == school_contact
    assert latest.status == ActionStatus.AT_RISK
    assert latest.diff_against(latest.prev_record).changed_fields == ["status", "version"]
