"""The plan pages run a fixed number of queries, whatever the number of priorities, actions,
comments, reviews or schools: each is measured at a small and a national-scale size."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.programme import ActionStatus
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

from .conftest import make_work_group

pytestmark = pytest.mark.django_db

# Each page's ceiling: the same at both sizes.
# Session, user and roles take three; the rest is the page's own.
EDITOR_QUERIES = 7
PLAN_PAGE_QUERIES = 8
GROUP_OVERVIEW_QUERIES = 7
HUB_OVERVIEW_QUERIES = 8
CHANGES_QUERIES = 11
HISTORY_QUERIES = 7
LIST_QUERIES = 7


def fill(plan, *, priorities, actions, author, specialist):
    """A plan with `priorities` × `actions`, an at-risk action each, comments and a review."""
    for p in range(priorities):
        priority = PriorityFactory(plan=plan, position=p)
        for a in range(actions):
            status = ActionStatus.AT_RISK if a == 0 else ActionStatus.ON_TRACK
            action = ActionFactory(priority=priority, position=a, status=status)
            services.comment_add(plan=plan, action=action, body="Why?", acting_user=specialist)
            services.comment_add(plan=plan, action=action, body="Because.", acting_user=author)
    plan.refresh_from_db()
    services.action_plan_share(plan=plan, acting_user=author)
    services.action_plan_review(plan=plan, acting_user=specialist, comment="Reviewed.")
    for action in plan.actions.all()[: max(1, actions // 2)]:
        services.action_update(
            action=action, version=action.version, changes={"owner": "New"}, acting_user=author
        )


SIZES = {"small": (1, 1), "national": (8, 6)}


@pytest.fixture(params=list(SIZES))
def filled_plan(request, plan, school_contact, specialist):
    priorities, actions = SIZES[request.param]
    fill(plan, priorities=priorities, actions=actions, author=school_contact, specialist=specialist)
    return plan


@pytest.mark.parametrize(
    ("name", "role", "ceiling"),
    [
        ("actionplans:plan-edit", "school_contact", EDITOR_QUERIES),
        ("actionplans:plan-detail", "specialist", PLAN_PAGE_QUERIES),
        ("actionplans:plan-print", "hub_lead", PLAN_PAGE_QUERIES),
        ("actionplans:plan-changes", "specialist", CHANGES_QUERIES),
        ("actionplans:plan-history", "school_contact", HISTORY_QUERIES),
    ],
)
def test_plan_pages(
    client, people, filled_plan, django_assert_max_num_queries, name, role, ceiling
):
    client.force_login(people[role])
    url = reverse(name, args=[filled_plan.pk])
    with django_assert_max_num_queries(ceiling):
        response = client.get(url)
    assert response.status_code == 200


def _schools_with_plans(work_group, hub, count, specialist):
    """Plans of `count` schools, each written by a contact of its own."""
    for _ in range(count):
        school = SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
        author = SchoolContactFactory(school=school, user=UserFactory()).user
        plan = services.action_plan_create(
            participation=participation_place(
                work_group=work_group, school=school, acting_user=SYSTEM
            ),
            acting_user=SYSTEM,
        )
        fill(plan, priorities=2, actions=2, author=author, specialist=specialist)


@pytest.mark.parametrize("schools", [1, 12])
def test_group_overview(
    client, hub, work_group, specialist, school_contact, django_assert_max_num_queries, schools
):
    _schools_with_plans(work_group, hub, schools, specialist)
    client.force_login(specialist)
    url = reverse("actionplans:group-overview", args=[work_group.pk])
    with django_assert_max_num_queries(GROUP_OVERVIEW_QUERIES):
        response = client.get(url)
    assert len(response.context["rows"]) == schools
    assert all(len(row.attention) == 2 for row in response.context["rows"])


@pytest.mark.parametrize("groups", [1, 4])
def test_hub_overview_and_list(
    client,
    hub,
    year,
    specialist,
    hub_lead,
    school_contact,
    django_assert_max_num_queries,
    groups,
):
    for n in range(groups):
        group = make_work_group(hub=hub, lead_user=specialist, year=year, code=f"NCP25-Q-{n}")
        _schools_with_plans(group, hub, 3, specialist)
    client.force_login(hub_lead)
    with django_assert_max_num_queries(HUB_OVERVIEW_QUERIES):
        response = client.get(reverse("actionplans:hub-overview", args=[hub.slug]), {"year": 2025})
    assert len(response.context["rows"]) == groups * 3
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("actionplans:plan-list"), {"year": 2025})
    assert len(response.context["hub_groups"]) == groups
