"""Two contacts editing at once: the second save is told, and nothing is overwritten silently."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from actionplans import services
from actionplans.models import Action
from actionplans.programme import ActionStatus
from tests.factories import ActionFactory, PriorityFactory, SchoolContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(hub_school):
    """A second contact of the same school, editing the same plan."""
    user = UserFactory(email="colleague@example.org", full_name="Cara Colleague")
    SchoolContactFactory(school=hub_school, user=user, email=user.email, role="headteacher")
    return user


@pytest.fixture
def action(plan):
    return ActionFactory(
        priority=PriorityFactory(plan=plan), description="Weekly planning meetings"
    )


def _action_post(action, version, **changes):
    data = {
        "description": action.description,
        "owner": action.owner,
        "starts_on": "",
        "due_on": "",
        "success_criteria": action.success_criteria,
        "resources": action.resources,
        "status": action.status,
        "version": version,
        **changes,
    }
    return {f"action-{action.pk}-{name}": value for name, value in data.items()}


def test_the_second_save_of_the_same_field_is_refused(plan, school_contact, colleague):
    services.action_plan_update(
        plan=plan, version=1, changes={"context": "Theirs"}, acting_user=colleague
    )
    with pytest.raises(services.EditConflict) as caught:
        services.action_plan_update(
            plan=plan, version=1, changes={"context": "Mine"}, acting_user=school_contact
        )
    conflict = caught.value
    assert [(c.label, c.saved, c.yours) for c in conflict.clashes] == [
        ("The school's context", "Theirs", "Mine")
    ]
    assert conflict.saved_by == colleague
    assert conflict.current_version == 2
    plan.refresh_from_db()
    assert plan.context == "Theirs"


def test_changes_to_different_fields_are_merged(plan, school_contact, colleague):
    # Both forms carry every field of the section; each person changed only one of them.
    services.action_plan_update(
        plan=plan,
        version=1,
        changes={"context": "Theirs", "outcomes_pupils": ""},
        acting_user=colleague,
    )
    services.action_plan_update(
        plan=plan,
        version=1,
        changes={"context": "", "outcomes_pupils": "Mine"},
        acting_user=school_contact,
    )
    plan.refresh_from_db()
    assert (plan.context, plan.outcomes_pupils) == ("Theirs", "Mine")
    assert plan.version == 3


def test_making_the_same_change_twice_is_no_conflict(plan, school_contact, colleague):
    services.action_plan_update(
        plan=plan, version=1, changes={"context": "Same"}, acting_user=colleague
    )
    services.action_plan_update(
        plan=plan, version=1, changes={"context": "Same"}, acting_user=school_contact
    )
    plan.refresh_from_db()
    assert plan.context == "Same" and plan.version == 2


def test_areas_in_another_order_are_the_same_areas(plan, school_contact, colleague):
    priority = PriorityFactory(plan=plan, areas=["fluency", "variation"])
    services.priority_update(
        priority=priority, version=1, changes={"title": "Theirs"}, acting_user=colleague
    )
    services.priority_update(
        priority=priority,
        version=1,
        changes={"title": priority.title, "areas": ["variation", "fluency"]},
        acting_user=school_contact,
    )
    priority.refresh_from_db()
    assert priority.title == "Theirs"


def test_the_editor_shows_both_versions_and_keeps_my_words(
    client, plan, action, school_contact, colleague
):
    services.action_update(
        action=action,
        version=1,
        changes={"description": "Fortnightly planning meetings"},
        acting_user=colleague,
    )
    client.force_login(school_contact)
    url = reverse("actionplans:action-update", args=[plan.pk, action.pk])
    response = client.post(url, _action_post(action, 1, description="Weekly meetings, 45 min"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in page
    assert "Cara Colleague" in page
    assert "Fortnightly planning meetings" in page  # theirs
    assert "Weekly meetings, 45 min" in page  # mine, still in the form
    form = response.context["parts"].priorities[0].action_list[0].form
    assert form["version"].value() == 2  # saving again is now a deliberate choice
    action.refresh_from_db()
    assert action.description == "Fortnightly planning meetings"

    # Having seen both, the person saves theirs on purpose.
    client.post(url, _action_post(action, 2, description="Weekly meetings, 45 min"))
    action.refresh_from_db()
    assert action.description == "Weekly meetings, 45 min"
    assert action.history.first().history_user == school_contact


def test_with_htmx_only_the_part_is_answered(client, plan, action, school_contact, colleague):
    client.force_login(school_contact)
    url = reverse("actionplans:action-update", args=[plan.pk, action.pk])

    response = client.post(
        url, _action_post(action, 1, status=ActionStatus.ON_TRACK), HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert f'id="action-{action.pk}-part"' in fragment
    assert "Saved at" in fragment
    assert f'name="action-{action.pk}-version" value="2"' in fragment

    services.action_update(
        action=action, version=2, changes={"owner": "Deputy head"}, acting_user=colleague
    )
    response = client.post(
        url, _action_post(action, 2, owner="Year 6 teacher"), HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert "Someone else saved this" in fragment
    assert "Deputy head" in fragment and "Year 6 teacher" in fragment
    assert 'data-dirty="true"' in fragment  # leaving the page still warns: not saved yet
    action.refresh_from_db()
    assert action.owner == "Deputy head"


def test_removing_something_changed_meanwhile_is_refused(
    client, plan, action, school_contact, colleague
):
    services.action_update(
        action=action, version=1, changes={"owner": "Deputy head"}, acting_user=colleague
    )
    client.force_login(school_contact)
    response = client.post(
        reverse("actionplans:action-delete", args=[plan.pk, action.pk]), {"version": 1}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    assert Action.objects.filter(pk=action.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_win(plan, action, school_contact, colleague):
    """On PostgreSQL the plan's row lock queues the second save behind the first."""
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises every write anyway.")
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, words):
        try:
            barrier.wait()
            services.action_update(
                action=action, version=1, changes={"description": words}, acting_user=user
            )
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(school_contact, "Mine")),
        threading.Thread(target=save, args=(colleague, "Theirs")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    action.refresh_from_db()
    assert action.version == 2


def test_editing_an_action_someone_removed_gives_back_my_words(
    client, plan, action, school_contact, colleague
):
    services.action_delete(action=action, version=1, acting_user=colleague)
    client.force_login(school_contact)
    url = reverse("actionplans:action-update", args=[plan.pk, action.pk])
    data = _action_post(action, 1, success_criteria="Every class, every week")

    fragment = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "was removed by someone else" in fragment
    assert "Every class, every week" in fragment
    assert f'id="action-{action.pk}-part"' in fragment

    page = client.post(url, data).content.decode()
    assert "was removed by someone else" in page and "Every class, every week" in page


def test_a_comment_on_an_action_removed_meanwhile_is_handed_back(
    client, plan, action, specialist, school_contact
):
    services.action_delete(action=action, version=1, acting_user=school_contact)
    client.force_login(specialist)
    response = client.post(
        reverse("actionplans:comment-create", args=[plan.pk]),
        {"body": "Still worth doing?", "action": action.pk},
        follow=True,
    )
    assert "Still worth doing?" in response.content.decode()
    assert not plan.comments.exists()


def test_changes_valid_alone_but_not_together_are_refused(
    client, plan, action, school_contact, colleague
):
    action.starts_on, action.due_on = date(2025, 10, 1), date(2025, 12, 1)
    action.save()
    services.action_update(
        action=action,
        version=1,
        changes={"starts_on": date(2025, 11, 15)},
        acting_user=colleague,
    )
    client.force_login(school_contact)
    response = client.post(
        reverse("actionplans:action-update", args=[plan.pk, action.pk]),
        _action_post(action, 1, starts_on="2025-10-01", due_on="2025-11-01"),
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert "The due date cannot be before the start date." in fragment
    assert "Not saved" in fragment
    action.refresh_from_db()
    assert action.due_on == date(2025, 12, 1)
