"""The plan's year: created on placement, shared, reviewed with comments, revised, shared again."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Comment, Review
from actionplans.programme import ActionStatus, PlanStatus
from core.roles import SYSTEM
from tests.factories import (
    ActionFactory,
    LocalAuthorityFactory,
    PriorityFactory,
    SchoolContactFactory,
    SchoolFactory,
    UserFactory,
)
from workgroups.services import participation_place

pytestmark = pytest.mark.django_db


def test_a_plan_is_created_once_per_participation(participation, school_contact):
    first = services.action_plan_create(participation=participation, acting_user=school_contact)
    again = services.action_plan_create(participation=participation, acting_user=school_contact)
    assert first.pk == again.pk
    assert ActionPlan.objects.filter(participation=participation).count() == 1
    assert first.status == PlanStatus.DRAFT
    assert first.history.first().history_user == school_contact


def test_opening_a_participation_without_a_plan_creates_it(client, participation, school_contact):
    client.force_login(school_contact)
    response = client.get(reverse("actionplans:participation-plan", args=[participation.pk]))
    plan = ActionPlan.objects.get(participation=participation)
    assert response.status_code == 302
    assert response["Location"] == reverse("actionplans:plan-edit", args=[plan.pk])


def test_a_reader_opening_it_lands_on_the_plan_page(client, participation, hub_lead):
    client.force_login(hub_lead)
    response = client.get(reverse("actionplans:participation-plan", args=[participation.pk]))
    plan = ActionPlan.objects.get(participation=participation)
    assert response["Location"] == reverse("actionplans:plan-detail", args=[plan.pk])


def test_share_review_revise_and_share_again(
    plan, school_contact, specialist, mailoutbox, django_capture_on_commit_callbacks
):
    priority = PriorityFactory(plan=plan)
    action = ActionFactory(priority=priority)

    with django_capture_on_commit_callbacks(execute=True):
        services.action_plan_share(plan=plan, acting_user=school_contact)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED
    assert plan.shared_at is not None
    assert [m.to for m in mailoutbox] == [[specialist.email]]
    assert "shared" in mailoutbox[0].subject.lower()
    assert reverse("actionplans:plan-detail", args=[plan.pk]) in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        review = services.action_plan_review(
            plan=plan, acting_user=specialist, comment="A clear plan. Check the dates."
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED
    assert review.reviewer == specialist
    assert review.history_ids["plan"] == plan.history.first().history_id
    assert set(review.history_ids["priorities"]) == {str(priority.pk)}
    assert set(review.history_ids["actions"]) == {str(action.pk)}
    comment = Comment.objects.get(review=review)
    assert comment.author_role == Comment.AuthorRole.SPECIALIST
    assert mailoutbox[-1].to == [school_contact.email]
    assert "Check the dates." in mailoutbox[-1].body

    services.action_update(
        action=action,
        version=action.version,
        changes={"status": ActionStatus.ON_TRACK},
        acting_user=school_contact,
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVISED
    assert plan.updated_by == school_contact

    with django_capture_on_commit_callbacks(execute=True):
        services.action_plan_share(plan=plan, acting_user=school_contact)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED
    assert len([m for m in mailoutbox if m.to == [specialist.email]]) == 2


def test_a_shared_plan_cannot_be_shared_again_until_revised(plan, school_contact):
    services.action_plan_share(plan=plan, acting_user=school_contact)
    with pytest.raises(ValidationError, match="nothing new to share"):
        services.action_plan_share(plan=plan, acting_user=school_contact)


def test_only_a_shared_plan_can_be_reviewed(plan, specialist):
    with pytest.raises(ValidationError, match="shared"):
        services.action_plan_review(plan=plan, acting_user=specialist)
    assert not Review.objects.exists()


def test_editing_a_shared_plan_keeps_it_shared(plan, school_contact):
    services.action_plan_share(plan=plan, acting_user=school_contact)
    plan.refresh_from_db()
    services.action_plan_update(
        plan=plan, version=plan.version, changes={"context": "New"}, acting_user=school_contact
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SHARED


def test_share_and_review_through_the_pages(client, plan, school_contact, specialist):
    client.force_login(school_contact)
    response = client.post(reverse("actionplans:plan-share", args=[plan.pk]), follow=True)
    assert "shared with your specialist" in response.content.decode()

    client.force_login(specialist)
    page = client.get(reverse("actionplans:plan-detail", args=[plan.pk])).content.decode()
    assert "Record the review" in page
    response = client.post(
        reverse("actionplans:plan-review", args=[plan.pk]), {"comment": "Good start."}, follow=True
    )
    assert "Your review is recorded" in response.content.decode()
    assert "Good start." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED

    # A second review of the same state is refused with a message, not an error page.
    response = client.post(reverse("actionplans:plan-review", args=[plan.pk]), follow=True)
    assert "Only a plan the school has shared can be reviewed." in response.content.decode()
    assert Review.objects.count() == 1


def test_comments_on_the_plan_and_on_an_action_with_the_schools_reply(
    client, plan, school_contact, specialist
):
    action = ActionFactory(priority=PriorityFactory(plan=plan))
    url = reverse("actionplans:comment-create", args=[plan.pk])

    client.force_login(specialist)
    client.post(url, {"body": "Who will model this in Year 2?", "action": action.pk})
    client.post(url, {"body": "Overall: ambitious and clear."})
    client.force_login(school_contact)
    client.post(url, {"body": "Our Year 2 lead teacher.", "action": action.pk})

    on_action = list(action.comments.order_by("pk"))
    assert [c.author_role for c in on_action] == ["specialist", "school"]
    assert on_action[0].action_summary == action.description
    assert plan.comments.filter(action=None).get().body == "Overall: ambitious and clear."
    page = client.get(reverse("actionplans:plan-detail", args=[plan.pk])).content.decode()
    assert "Who will model this in Year 2?" in page
    assert "Our Year 2 lead teacher." in page


def test_an_empty_comment_is_refused_with_a_message(client, plan, specialist):
    client.force_login(specialist)
    response = client.post(
        reverse("actionplans:comment-create", args=[plan.pk]), {"body": "  "}, follow=True
    )
    assert "Write a comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_comment_on_another_plans_action_is_not_found(client, plan, specialist, work_group, hub):
    other = participation_place(
        work_group=work_group,
        school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)),
        acting_user=SYSTEM,
    )
    other_plan = services.action_plan_create(participation=other, acting_user=SYSTEM)
    foreign_action = ActionFactory(priority=PriorityFactory(plan=other_plan))
    client.force_login(specialist)
    response = client.post(
        reverse("actionplans:comment-create", args=[plan.pk]),
        {"body": "Hello", "action": foreign_action.pk},
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_comment_on_a_removed_action_stays_readable(plan, specialist, school_contact):
    action = ActionFactory(priority=PriorityFactory(plan=plan), description="Book looks")
    services.comment_add(
        plan=plan, action=action, body="Which year groups?", acting_user=specialist
    )
    services.action_delete(action=action, version=action.version, acting_user=school_contact)
    comment = Comment.objects.get()
    assert comment.action is None
    assert comment.action_summary == "Book looks"


def test_every_contact_with_an_account_is_told_of_a_review(
    plan, school_contact, specialist, hub_school, mailoutbox, django_capture_on_commit_callbacks
):
    head = UserFactory(email="head@example.org")
    SchoolContactFactory(school=hub_school, user=head, email=head.email, role="headteacher")
    SchoolContactFactory(school=hub_school, user=None, email="noaccount@example.org")
    services.action_plan_share(plan=plan, acting_user=school_contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_plan_review(plan=plan, acting_user=specialist)
    assert sorted(m.to[0] for m in mailoutbox) == ["contact@example.org", "head@example.org"]


def test_a_withdrawn_schools_plan_is_read_only(client, plan, participation, school_contact):
    participation.status = participation.Status.WITHDRAWN
    participation.save()
    client.force_login(school_contact)
    assert client.get(reverse("actionplans:plan-edit", args=[plan.pk])).status_code == 404
    page = client.get(reverse("actionplans:plan-detail", args=[plan.pk])).content.decode()
    assert "read-only" in page


def test_the_group_overview_shows_status_last_change_and_risks(
    client, plan, work_group, specialist, school_contact
):
    priority = PriorityFactory(plan=plan)
    ActionFactory(priority=priority, description="Lesson study", status=ActionStatus.OFF_TRACK)
    ActionFactory(priority=priority, description="Book looks", status=ActionStatus.ON_TRACK)
    services.action_plan_share(plan=plan, acting_user=school_contact)
    services.comment_add(plan=plan, body="Thanks", acting_user=specialist)
    client.force_login(specialist)
    response = client.get(reverse("actionplans:group-overview", args=[work_group.pk]))
    (row,) = response.context["rows"]
    assert row.action_plan.status == PlanStatus.SHARED
    assert row.action_plan.updated_by == school_contact
    assert [a.description for a in row.attention] == ["Lesson study"]
    assert (row.action_count, row.comment_count) == (2, 1)
    page = response.content.decode()
    assert "Shared with the specialist" in page and "Off track" in page
