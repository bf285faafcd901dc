"""Who sees and does what: the school's contacts edit, the group's specialist reads and
comments, the hub's leads and national staff read, nobody else even learns the plan exists."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan, Comment, Review
from schools.models import HubStaff
from tests.factories import (
    ActionFactory,
    HubStaffFactory,
    PriorityFactory,
    SchoolContactFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
READERS = {"staff", "hub_lead", "specialist", "school_contact"}

# (url name, who gets a 200; everyone else signed in gets a 404)
PAGES = [
    ("actionplans:plan-detail", READERS),
    ("actionplans:plan-changes", READERS),
    ("actionplans:plan-history", READERS),
    ("actionplans:plan-print", READERS),
    ("actionplans:plan-edit", {"school_contact"}),
]


def _login(client, people, role):
    if people[role]:
        client.force_login(people[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "allowed"), PAGES)
def test_plan_pages(client, people, plan, role, name, allowed):
    _login(client, people, role)
    response = client.get(reverse(name, args=[plan.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in allowed else 404)


@pytest.mark.parametrize("role", ROLES)
def test_group_overview(client, people, plan, work_group, role):
    _login(client, people, role)
    response = client.get(reverse("actionplans:group-overview", args=[work_group.pk]))
    expected = {"anonymous": 302, "staff": 200, "hub_lead": 200, "specialist": 200}
    assert response.status_code == expected.get(role, 404)


@pytest.mark.parametrize("role", ROLES)
def test_hub_overview(client, people, plan, hub, role):
    _login(client, people, role)
    response = client.get(reverse("actionplans:hub-overview", args=[hub.slug]), {"year": 2025})
    expected = {"anonymous": 302, "staff": 200, "hub_lead": 200}
    assert response.status_code == expected.get(role, 404)
    if response.status_code == 200:
        assert plan.participation.school.name in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_plan_list(client, people, plan, role):
    _login(client, people, role)
    response = client.get(reverse("actionplans:plan-list"), {"year": 2025})
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    page = response.content.decode()
    shows_the_plan = plan.participation.work_group.code in page
    assert shows_the_plan == (role in {"hub_lead", "specialist", "school_contact"})


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_participations_plan(client, people, participation, role):
    _login(client, people, role)
    response = client.get(reverse("actionplans:participation-plan", args=[participation.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    elif role == "outsider":
        assert response.status_code == 404
        assert not ActionPlan.objects.exists()
    else:
        assert response.status_code == 302
        assert ActionPlan.objects.filter(participation=participation).exists()


@pytest.fixture
def parts(plan):
    priority = PriorityFactory(plan=plan)
    return priority, ActionFactory(priority=priority)


def _writes(plan, priority, action):
    """Every write the editor offers, with a valid body: (url, data)."""
    p, a = f"priority-{priority.pk}", f"action-{action.pk}"
    return [
        (
            reverse("actionplans:plan-update", args=[plan.pk, "plan"]),
            {"plan-context": "Changed", "plan-version": 1},
        ),
        (
            reverse("actionplans:priority-create", args=[plan.pk]),
            {"new-priority-title": "New", "new-priority-areas": ["fluency"]},
        ),
        (
            reverse("actionplans:priority-update", args=[plan.pk, priority.pk]),
            {f"{p}-title": "Changed", f"{p}-areas": ["fluency"], f"{p}-version": 1},
        ),
        (
            reverse("actionplans:action-create", args=[plan.pk, priority.pk]),
            {
                f"new-action-{priority.pk}-description": "New",
                f"new-action-{priority.pk}-status": "done",
            },
        ),
        (
            reverse("actionplans:action-update", args=[plan.pk, action.pk]),
            {f"{a}-description": "Changed", f"{a}-status": "done", f"{a}-version": 1},
        ),
        (reverse("actionplans:action-move", args=[plan.pk, action.pk]), {"direction": "1"}),
        (reverse("actionplans:priority-move", args=[plan.pk, priority.pk]), {"direction": "1"}),
        (reverse("actionplans:plan-carry-over", args=[plan.pk]), {}),
        (reverse("actionplans:action-delete", args=[plan.pk, action.pk]), {"version": 1}),
        (reverse("actionplans:priority-delete", args=[plan.pk, priority.pk]), {"version": 1}),
        (reverse("actionplans:plan-share", args=[plan.pk]), {}),
    ]


@pytest.mark.parametrize("role", ["anonymous", "staff", "hub_lead", "specialist", "outsider"])
def test_only_the_school_writes_its_plan(client, people, plan, parts, role):
    _login(client, people, role)
    history_before = plan.history.count() + parts[0].history.count() + parts[1].history.count()
    for url, data in _writes(plan, *parts):
        response = client.post(url, data)
        assert response.status_code in (302, 404), url
        if role != "anonymous":
            assert response.status_code == 404, url
    plan.refresh_from_db()
    assert plan.context == "" and plan.status == "draft"
    history_after = plan.history.count() + parts[0].history.count() + parts[1].history.count()
    assert history_after == history_before


def test_the_school_can_make_every_write(client, people, plan, parts):
    client.force_login(people["school_contact"])
    for url, data in _writes(plan, *parts):
        response = client.post(url, data)
        assert response.status_code == 302, url


@pytest.mark.parametrize("role", ROLES)
def test_who_comments(client, people, plan, role):
    _login(client, people, role)
    response = client.post(
        reverse("actionplans:comment-create", args=[plan.pk]), {"body": "A comment"}
    )
    commenters = {"specialist", "school_contact"}
    assert response.status_code == (302 if role in commenters | {"anonymous"} else 404)
    assert Comment.objects.exists() == (role in commenters)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_groups_specialist_reviews(client, people, plan, role):
    services.action_plan_share(plan=plan, acting_user=people["school_contact"])
    _login(client, people, role)
    response = client.post(reverse("actionplans:plan-review", args=[plan.pk]))
    # The school may comment on its plan, not review it: the one 404, like anyone else.
    assert response.status_code == (302 if role in {"anonymous", "specialist"} else 404)
    assert Review.objects.exists() == (role == "specialist")


def test_people_near_the_plan_but_not_of_it_see_nothing(client, plan, hub, other_hub, hub_school):
    """Another specialist of the hub, another hub's lead, another school's contact."""
    other_specialist = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST).user
    other_lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    other_contact = UserFactory()
    SchoolContactFactory(user=other_contact, email=other_contact.email)
    urls = [
        reverse("actionplans:plan-detail", args=[plan.pk]),
        reverse("actionplans:plan-changes", args=[plan.pk]),
        reverse("actionplans:group-overview", args=[plan.participation.work_group_id]),
        reverse("actionplans:hub-overview", args=[hub.slug]),
        reverse("actionplans:participation-plan", args=[plan.participation_id]),
    ]
    for person in (other_specialist, other_lead, other_contact):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)


def test_national_staff_read_plans_and_their_history_in_the_admin(client, plan, school_contact):
    admin_user = StaffUserFactory(email="admin@example.org", is_superuser=True)
    services.action_plan_update(
        plan=plan, version=1, changes={"context": "Changed"}, acting_user=school_contact
    )
    client.force_login(admin_user)
    for name, args in [
        ("admin:actionplans_actionplan_changelist", []),
        ("admin:actionplans_actionplan_change", [plan.pk]),
        ("admin:actionplans_actionplan_history", [plan.pk]),
        ("admin:actionplans_review_changelist", []),
        ("admin:actionplans_comment_changelist", []),
        ("admin:actionplans_action_changelist", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client.get(reverse("admin:actionplans_actionplan_add")).status_code == 404
