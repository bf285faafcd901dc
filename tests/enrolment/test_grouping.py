"""Suggested groups for a new year: waiting schools gathered around hosts, on known points."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from enrolment.grouping import Place, suggest_groups
from enrolment.services import suggested_group_accept
from tests.factories import (
    ExpressionOfInterestFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)
from workgroups.models import Participation, WorkGroup


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


@pytest.mark.django_db
def test_setting_up_a_suggested_group_places_its_ticked_schools(
    client, hub, hub_lead, specialist, hub_school, year
):
    area = hub_school.local_authority
    hub_school.easting, hub_school.northing = 401_000, 300_000
    hub_school.save()
    eois = [
        ExpressionOfInterestFactory(
            school=SchoolFactory(local_authority=area, easting=400_000 + 500 * i, northing=300_000),
            hub=hub,
            academic_year=year,
        )
        for i in range(3)
    ]
    client.force_login(hub_lead)
    suggested = client.get(reverse("enrolment:groups-suggest"))
    (group,) = suggested.context["groups"]
    assert group.host.urn == hub_school.urn
    form = {
        "hub": hub.slug,
        "phase": "development",
        "year": year.start_year,
        "size": 7,
        "host": hub_school.urn,
        "code": "NCP27-01-S01",
        "title": "Development work group, Townville",
        # One school left out.
        "selected": [eois[0].pk, eois[1].pk],
    }
    response = client.post(reverse("enrolment:group-accept"), form, follow=True)
    assert response.status_code == 200
    created = WorkGroup.objects.get(code="NCP27-01-S01")
    assert created.lead.user == specialist and created.status == WorkGroup.Status.OPEN
    assert created.workshops.get(number=1).host_school == hub_school
    assert set(
        Participation.objects.filter(work_group=created).values_list("school", flat=True)
    ) == {
        eois[0].school_id,
        eois[1].school_id,
    }
    said = [str(m) for m in response.context["messages"]]
    assert said[0] == "NCP27-01-S01 is set up, open for expressions of interest."
    # Back on the suggestions, only the school left out is still waiting.
    assert [s.key for s, _ in response.context["groups"][0].schools] == [eois[2].pk]
    # The same code again is refused, and nothing more is placed.
    again = client.post(
        reverse("enrolment:group-accept"), {**form, "selected": [eois[2].pk]}, follow=True
    )
    assert any("code" in str(m).lower() for m in again.context["messages"])
    assert not Participation.objects.filter(school=eois[2].school).exists()


@pytest.mark.django_db
def test_another_hubs_lead_cannot_set_up_a_group_here(hub, other_hub, hub_school, year):
    stranger = HubStaffFactory(hub=other_hub, role="hub_lead").user
    eoi = ExpressionOfInterestFactory(
        school=SchoolFactory(local_authority=hub_school.local_authority),
        hub=hub,
        academic_year=year,
    )
    with pytest.raises(PermissionDenied):
        suggested_group_accept(
            hub=hub,
            phase="development",
            academic_year=year,
            code="X-1",
            title="X",
            host=hub_school,
            eois=[eoi],
            size=7,
            acting_user=stranger,
        )
    assert not WorkGroup.objects.filter(code="X-1").exists()
