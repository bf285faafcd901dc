"""The public catalogue: the national index of hubs and each hub's work groups for next year."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.roles import SYSTEM
from enrolment.selectors import coming_start_year
from tests.factories import HubFactory, LocalAuthorityFactory, SchoolFactory
from workgroups.models import WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.services import academic_year_get_or_create, participation_place

from .conftest import make_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("today", "start_year"),
    [("2026-01-15", 2026), ("2026-08-31", 2026), ("2026-09-01", 2027), ("2026-12-31", 2027)],
)
def test_the_coming_year_is_the_one_starting_next_september(today, start_year):
    assert coming_start_year(date.fromisoformat(today)) == start_year


def test_the_index_lists_every_hub_with_its_open_groups(client, hub, other_hub, year):
    make_group(hub=hub, year=year)
    make_group(hub=hub, year=year, phase=Phase.SUSTAINING)
    page = client.get(reverse("enrolment:catalogue-index")).content.decode()
    assert reverse("enrolment:hub-catalogue", args=[hub.slug]) in page
    assert reverse("enrolment:hub-catalogue", args=[other_hub.slug]) in page
    assert "<td>2</td>" in page
    assert "None yet: you can still express an interest" in page
    assert f"for {year}" in page


def test_a_hub_page_lists_open_groups_by_phase_with_places_left(client, hub, year, specialist):
    group = make_group(hub=hub, year=year, capacity=7, lead_user=specialist)
    la = LocalAuthorityFactory(hub=hub)
    for _ in range(2):
        participation_place(
            work_group=group, school=SchoolFactory(local_authority=la), acting_user=SYSTEM
        )
    full = make_group(hub=hub, year=year, phase=Phase.SUSTAINING, capacity=1, code="FULL-1")
    participation_place(
        work_group=full, school=SchoolFactory(local_authority=la), acting_user=SYSTEM
    )
    planning = make_group(hub=hub, year=year, phase=Phase.EMBEDDING, code="PLAN-1")
    WorkGroup.objects.filter(pk=planning.pk).update(status=WorkGroup.Status.PLANNING)
    last_year = academic_year_get_or_create(start_year=year.start_year - 1)
    make_group(hub=hub, year=last_year, code="OLD-1")
    make_group(hub=HubFactory(), year=year, code="ELSEWHERE-1")

    page = client.get(reverse("enrolment:hub-catalogue", args=[hub.slug])).content.decode()
    assert page.count("<h1>") == 1
    for phase in Phase:
        assert f'id="phase-{phase}"' in page
        assert PHASES[phase].who_for.split(",")[0] in page
    assert group.code in page
    assert "5 of 7" in page
    assert escape(specialist.get_full_name()) in page
    assert "Full: join the waiting list" in page
    assert "PLAN-1" not in page and "OLD-1" not in page and "ELSEWHERE-1" not in page
    # Embedding has no open group: the general route is offered instead.
    general = reverse("enrolment:eoi-create", args=[hub.slug, Phase.EMBEDDING])
    assert f'href="{general}"' in page
    assert (
        f"{reverse('enrolment:eoi-create', args=[hub.slug, Phase.DEVELOPMENT])}?group={group.pk}"
        in page
    )


def test_the_general_route_asks_for_a_phase_then_opens_its_form(client, hub):
    url = reverse("enrolment:phase-choose", args=[hub.slug])
    page = client.get(url).content.decode()
    assert all(f'value="{phase}"' in page for phase in Phase)
    assert "There is a problem" not in page
    assert "There is a problem" in client.get(url, {"asked": "1"}).content.decode()
    response = client.get(url, {"phase": Phase.SUSTAINING})
    assert response.url == reverse("enrolment:eoi-create", args=[hub.slug, Phase.SUSTAINING])


@pytest.mark.parametrize(
    ("phase", "leads", "commitments"),
    [
        (Phase.DEVELOPMENT, ["First lead teacher: name", "Second lead teacher: name"], 5),
        (Phase.SUSTAINING, ["Lead participant (normally the maths subject leader): name"], 4),
        (Phase.READINESS, ["Lead participant: name"], 3),
        (Phase.EMBEDDING, ["Lead participant: name"], 3),
    ],
)
def test_the_form_asks_what_the_phase_needs(client, hub, phase, leads, commitments):
    page = client.get(reverse("enrolment:eoi-create", args=[hub.slug, phase])).content.decode()
    for label in leads:
        assert label in page
    assert page.count('name="commit_') == commitments
    assert "lead_3_name" not in page
    if phase == Phase.SUSTAINING:
        assert "The lead participant attends all six half-day workshops." in page
    if phase == Phase.DEVELOPMENT:
        assert "released for at least ten (combined) days" in page


def test_an_unknown_hub_has_no_catalogue(client, db):
    assert client.get(reverse("enrolment:hub-catalogue", args=["nowhere"])).status_code == 404
    assert client.get(reverse("enrolment:phase-choose", args=["nowhere"])).status_code == 404
