"""Where groups meet and how far they are, on the catalogue and the expression of interest form."""

import pytest
from django.urls import reverse

from tests.factories import LocalAuthorityFactory, SchoolFactory, WorkshopFactory
from workgroups.programme import Phase

from .conftest import form_data, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(hub, year):
    """Two open Development groups: one hosted in Leeds, one in Leeds and York."""
    la = LocalAuthorityFactory(hub=hub)
    leeds = SchoolFactory(local_authority=la, town="Leeds", easting=429800, northing=433800)
    york = SchoolFactory(local_authority=la, town="York", easting=460300, northing=452200)
    near = make_group(hub=hub, year=year, code="NCP-A")
    far = make_group(hub=hub, year=year, code="NCP-B")
    WorkshopFactory(work_group=near, number=1, host_school=leeds)
    WorkshopFactory(work_group=far, number=1, host_school=leeds)
    WorkshopFactory(work_group=far, number=2, host_school=york)
    # A school 3 km east and 4 km north of the Leeds host.
    school = SchoolFactory(local_authority=la, urn=654321, easting=432800, northing=437800)
    return near, far, school


def _catalogue(client, hub, query=""):
    return client.get(reverse("enrolment:hub-catalogue", args=[hub.slug]) + query)


def test_the_catalogue_says_where_each_group_is_hosted(client, hub, groups):
    html = _catalogue(client, hub).content.decode()
    assert "Hosted in" in html
    assert "<td>Leeds</td>" in html and "<td>Leeds, York</td>" in html
    assert "Distance from your school" not in html


def test_the_catalogue_says_how_far_each_group_is_from_a_school(client, hub, groups):
    near, far, school = groups
    response = _catalogue(client, hub, f"?urn={school.urn}")
    html = response.content.decode()
    assert "as the crow flies" in html
    assert "<td>5.0 km</td>" in html
    # York is 31.0 km away: on average 18.0 km.
    assert "18.0 km on average (5.0 km to 31.0 km)" in html
    assert f"?group={near.pk}&amp;urn={school.urn}" in html


@pytest.mark.parametrize(
    ("urn", "said"),
    [
        ("12ab", "Enter your school&#x27;s URN"),
        ("999999", "No school with URN 999999"),
        ("", "Enter"),
    ],
)
def test_a_bad_urn_is_said_plainly(client, hub, groups, urn, said):
    response = _catalogue(client, hub, f"?urn={urn}")
    assert response.status_code == 200
    assert said in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_school_without_a_grid_reference_is_told_the_distance_is_unknown(client, hub, groups):
    school = SchoolFactory(local_authority=groups[2].local_authority)
    html = _catalogue(client, hub, f"?urn={school.urn}").content.decode()
    assert "<td>distance unknown</td>" in html
    assert "no map reference" in html


def test_the_form_for_a_chosen_school_shows_it_and_the_distances(client, hub, groups):
    near, far, school = groups
    url = reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT])
    response = client.get(f"{url}?group={far.pk}&urn={school.urn}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{school.urn}"' in html
    assert [row.code for row in response.context["distances"]] == ["NCP-A", "NCP-B"]
    assert "<td>5.0 km</td>" in html
    bad = client.get(f"{url}?urn=nonsense")
    assert bad.status_code == 200
    assert "Enter your school&#x27;s URN" in bad.content.decode()
    assert bad.context["distances"] == []


def test_the_form_sent_with_errors_shows_the_distances_from_the_school_found(client, hub, groups):
    school = groups[2]
    url = reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT])
    response = client.post(url, {"school_query": f"{school.name} ({school.urn})"})
    assert response.status_code == 400 or response.status_code == 200
    assert response.context["distance_school"] == school
    assert "<td>5.0 km</td>" in response.content.decode()


def test_the_check_page_shows_how_far_the_groups_are_from_the_school_chosen(client, hub, groups):
    near, far, school = groups
    url = reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT])
    response = client.post(url, {**form_data(school), "work_group": str(near.pk)})
    assert response.status_code == 302
    check = client.get(response["Location"])
    assert [row.code for row in check.context["distances"]] == ["NCP-A", "NCP-B"]
    assert "<td>5.0 km</td>" in check.content.decode()
