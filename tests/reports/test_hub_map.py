"""The dashboard's map of the hub: every open primary school of the area a dot, by where it is
on the pathway, the hosts of running groups marked; drawn in one more query whatever the size."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import SYSTEM
from reports.figures import schools_in_hubs
from reports.maps import hub_map
from tests.factories import HubStaffFactory, LocalAuthorityFactory, SchoolFactory
from workgroups.models import WorkGroup
from workgroups.programme import Phase
from workgroups.services import (
    academic_year_get_or_create,
    participation_place,
    work_group_create,
)

from .conftest import TODAY, YEAR, grow

pytestmark = pytest.mark.django_db

# The dashboard's queries (session, user, roles, hubs, the figures' summaries, groups, people,
# coverage) and the map's one.
DASHBOARD_QUERIES = 14


def _dashboard(client):
    with time_machine.travel(TODAY), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    assert response.status_code == 200
    return response, len(queries)


def test_the_dashboard_draws_the_map_in_a_fixed_number_of_queries(client, world):
    client.force_login(world.lead_user)
    _, small = _dashboard(client)
    grow(world, hubs=4)
    for n, school in enumerate(world.schools.values()):
        school.easting, school.northing = 400_000 + 1000 * n, 300_000 + 500 * n
        school.save(update_fields=["easting", "northing"])
    response, large = _dashboard(client)
    assert small == large == DASHBOARD_QUERIES
    assert response.context["page"]["dashboard"].map.drawn


def test_each_school_is_placed_by_its_grid_reference_and_marked_by_its_stage(hub):
    la = LocalAuthorityFactory(hub=hub)
    west = SchoolFactory(local_authority=la, easting=400_000, northing=300_000)
    east = SchoolFactory(local_authority=la, easting=410_000, northing=300_000)
    SchoolFactory(
        local_authority=la, easting=405_000, northing=305_000, is_mastery_specialist_school=True
    )
    SchoolFactory(local_authority=la)  # no grid reference
    SchoolFactory(local_authority=la, easting=1, northing=1, status="closed")  # not shown
    lead = HubStaffFactory(hub=hub, school=west)
    group = work_group_create(
        hub=hub,
        phase=Phase.DEVELOPMENT,
        academic_year=academic_year_get_or_create(start_year=YEAR),
        code="DEV-24",
        title="Development",
        lead=lead,
        capacity=7,
        status=WorkGroup.Status.RUNNING,
        acting_user=SYSTEM,
    )
    participation_place(work_group=group, school=east, acting_user=SYSTEM)

    drawn = hub_map(hub=hub, start_year=YEAR, area=schools_in_hubs((hub.pk,)))
    assert drawn.schools == 4 and drawn.drawn == 3 and drawn.not_drawn == 1
    # 10 km across fills the drawing; north at the top; furthest stages drawn last.
    assert (drawn.width, drawn.height) == (600, 312)
    assert drawn.dots == [(12, 300, "none"), (588, 300, Phase.DEVELOPMENT), (300, 12, "specialist")]
    # The lead's school hosts the first workshop.
    assert drawn.hosts == [(12, 300)]
    counts = {entry.key: entry.count for entry in drawn.legend}
    assert counts == {
        "specialist": 1,
        "sustaining": 0,
        "embedding": 0,
        "development": 1,
        "readiness": 0,
        "none": 2,
    }
    # The year before, the Development school had not taken part yet.
    earlier = hub_map(hub=hub, start_year=YEAR - 1, area=schools_in_hubs((hub.pk,)))
    assert {e.key: e.count for e in earlier.legend}["none"] == 3
    assert earlier.hosts == []


def test_the_map_is_one_mark_per_school_with_a_legend_and_the_coverage_table(client, world):
    client.force_login(world.lead_user)
    for n, school in enumerate(world.schools.values()):
        school.easting, school.northing = 400_000 + 700 * n, 300_000 + 900 * (n % 5)
        school.save(update_fields=["easting", "northing"])
    response, _ = _dashboard(client)
    html = response.content.decode()
    drawn = response.context["page"]["dashboard"].map
    svg = html[
        html.index('<svg class="hub-map"') : html.index("</svg>", html.index('class="hub-map"'))
    ]
    assert svg.count("<use ") == drawn.drawn + len(drawn.hosts)
    assert "<text" not in svg
    assert 'aria-describedby="map-desc coverage-caption"' in svg
    assert '<caption id="coverage-caption">' in html
    assert "Never taken part" in html and "Mastery Specialist school" in html
