"""Suggested groups for a new year: waiting schools gathered around hosts, on known points."""

import pytest
from django.urls import reverse

from enrolment.grouping import Place, suggest_groups
from tests.factories import ExpressionOfInterestFactory, LocalAuthorityFactory, SchoolFactory


def _school(urn, e, n, **kw):
    return Place(
        key=urn, urn=urn, name=f"S{urn}", town="", point=(e, n) if e is not None else None, **kw
    )


def test_two_clusters_gather_around_the_specialist_schools_near_them():
    west = [_school(100 + i, 400_000 + 500 * i, 300_000) for i in range(4)]
    east = [_school(200 + i, 450_000 + 500 * i, 300_000) for i in range(3)]
    candidates = [
        _school(900, 451_000, 300_500, specialist=True),
        _school(901, 401_000, 300_500, specialist=True),
        _school(902, 425_000, 300_000, specialist=True),  # between the two: never the best pair
        _school(950, 400_000, 301_000),  # a specialist's own school: only when no MS school is left
    ]
    groups = suggest_groups(west + east, candidates, size=4)
    # The west's host first (it alone brings the four western schools nearest), then the east's.
    assert [g.host.urn for g in groups] == [901, 900]
    assert [sorted(s.urn for s, _ in g.schools) for g in groups] == [
        [100, 101, 102, 103],
        [200, 201, 202],
    ]


def test_the_greedy_hosts_bring_each_cluster_nearest():
    west = [_school(100 + i, 400_000 + 500 * i, 300_000) for i in range(3)]
    east = [_school(200 + i, 450_000 + 500 * i, 300_000) for i in range(3)]
    candidates = [
        _school(900, 451_000, 300_000, specialist=True),
        _school(901, 401_000, 300_000, specialist=True),
    ]
    groups = suggest_groups(west + east, candidates, size=3)
    # First the host that alone brings all six nearest (150 km in all, against 153), then the
    # other; each group's schools nearest first.
    assert [g.host.urn for g in groups] == [901, 900]
    by_host = {g.host.urn: [s.urn for s, _ in g.schools] for g in groups}
    assert by_host == {901: [102, 101, 100], 900: [202, 201, 200]}
    assert [km for _, km in groups[0].schools] == [0, 0.5, 1.0]
    # The same schools give the same groups, whatever order they come in.
    again = suggest_groups(list(reversed(west + east)), candidates, size=3)
    assert [(g.host.urn, [s.urn for s, _ in g.schools]) for g in again] == [
        (g.host.urn, [s.urn for s, _ in g.schools]) for g in groups
    ]


def test_groups_never_pass_their_size_and_unknown_schools_fill_the_roomiest():
    near = [_school(100 + i, 400_000 + 100 * i, 300_000) for i in range(5)]
    unknown = [_school(300, None, None), _school(301, None, None)]
    candidates = [_school(900, 400_000, 300_000, specialist=True)]
    groups = suggest_groups(near + unknown, candidates, size=4)
    # Two groups: the specialist school, then a waiting school as the second host.
    assert len(groups) == 2
    assert groups[0].host.urn == 900 and groups[0].host.urn != groups[1].host.urn
    assert all(len(g.schools) <= 4 for g in groups)
    assert sum(len(g.schools) for g in groups) == 7
    assert {s.urn for g in groups for s, km in g.schools if km is None} == {300, 301}


def test_nothing_waiting_suggests_nothing():
    assert suggest_groups([], [_school(900, 1, 1, specialist=True)], size=7) == []


@pytest.mark.django_db
def test_the_hub_lead_sees_the_suggested_groups_on_a_map(client, hub, hub_lead, year):
    area = LocalAuthorityFactory(hub=hub)
    SchoolFactory(
        local_authority=area,
        urn=900001,
        easting=401_000,
        northing=300_000,
        is_mastery_specialist_school=True,
        name="Specialist Primary",
    )
    for i in range(3):
        school = SchoolFactory(local_authority=area, easting=400_000 + 500 * i, northing=300_000)
        ExpressionOfInterestFactory(school=school, hub=hub, academic_year=year)
    ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=area), hub=hub, academic_year=year
    )
    client.force_login(hub_lead)
    url = reverse("enrolment:groups-suggest")
    response = client.get(f"{url}?phase=development&year={year.start_year}&size=7")
    assert response.status_code == 200
    groups = response.context["groups"]
    assert len(groups) == 1 and groups[0].host.name == "Specialist Primary"
    assert len(groups[0].schools) == 4
    html = response.content.decode()
    assert "Group 1: hosted at Specialist Primary" in html
    assert html.count('<use href="#grouping-school"') == 3
    assert "distance unknown" in html
    # A size out of bounds is said plainly, never an error page.
    bad = client.get(f"{url}?phase=development&year={year.start_year}&size=99")
    assert bad.status_code == 200
    assert "A group takes at most 12 schools." in bad.content.decode()
    assert bad.context["groups"] == []
