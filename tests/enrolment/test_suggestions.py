"""Suggested placements: each waiting school's groups ranked by how far their hosts are, and
placing each ticked school in its suggested group."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from enrolment.proximity import placement_suggestions
from enrolment.services import eoi_place_suggested
from tests.factories import (
    ExpressionOfInterestFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    WorkshopFactory,
)
from workgroups.models import Participation
from workgroups.programme import Phase
from workgroups.services import participation_place

from .conftest import make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(hub):
    return LocalAuthorityFactory(hub=hub)


def _host(area, easting, northing, town="Town"):
    return SchoolFactory(local_authority=area, easting=easting, northing=northing, town=town)


def _group(hub, year, code, host, capacity=7, phase=Phase.DEVELOPMENT):
    group = make_group(hub=hub, year=year, code=code, capacity=capacity, phase=phase)
    WorkshopFactory(work_group=group, number=1, host_school=host)
    return group


def _waiting(area, hub, year, easting=None, northing=None, **fields):
    school = SchoolFactory(local_authority=area, easting=easting, northing=northing)
    return ExpressionOfInterestFactory(school=school, hub=hub, academic_year=year, **fields)


def test_groups_are_ranked_by_distance_then_places_left_then_code(hub, year, area):
    _group(hub, year, "C-FAR", _host(area, 420_000, 300_000, "Farley"))  # 20 km
    _group(hub, year, "B-NEAR", _host(area, 403_000, 304_000, "Nearby"))  # 5 km
    # Two groups hosted at the same school 5 km away, one with more places left.
    twin = _host(area, 400_000, 295_000, "Twin")
    _group(hub, year, "A-TWIN", twin, capacity=3)
    _group(hub, year, "D-TWIN", twin, capacity=9)
    full = _group(hub, year, "E-FULL", _host(area, 400_000, 300_100), capacity=1)
    participation_place(
        work_group=full, school=SchoolFactory(local_authority=area), acting_user=SYSTEM
    )
    # Another phase, and a completed group: never suggested.
    _group(hub, year, "F-SUS", _host(area, 400_000, 300_000), phase=Phase.SUSTAINING)
    done = _group(hub, year, "G-DONE", _host(area, 400_000, 300_000))
    done.status = "completed"
    done.save()
    eoi = _waiting(area, hub, year, 400_000, 300_000)

    ranked = placement_suggestions([eoi])[eoi.pk]
    assert [s.code for s in ranked] == ["D-TWIN", "B-NEAR", "A-TWIN", "C-FAR"]
    assert [s.distance.text for s in ranked] == ["5.0 km", "5.0 km", "5.0 km", "20.0 km"]
    assert [s.places_left for s in ranked] == [9, 7, 3, 7]
    assert ranked[0].text == "D-TWIN: 5.0 km, 9 places left"
    assert ranked[1].hosted_in == "Nearby"


def test_a_school_without_a_grid_reference_gets_the_groups_by_places_left(hub, year, area):
    _group(hub, year, "A", _host(area, 420_000, 300_000), capacity=3)
    _group(hub, year, "B", _host(area, 403_000, 304_000), capacity=5)
    eoi = _waiting(area, hub, year)
    ranked = placement_suggestions([eoi])[eoi.pk]
    assert [s.code for s in ranked] == ["B", "A"]
    assert ranked[0].distance.text == "distance unknown"


def test_only_waiting_expressions_of_interest_get_suggestions(hub, year, area):
    _group(hub, year, "A", _host(area, 420_000, 300_000))
    declined = _waiting(area, hub, year, 1, 1, status=ExpressionOfInterest.Status.DECLINED)
    assert placement_suggestions([declined]) == {}


def test_the_queue_and_the_page_show_the_suggestions(client, hub, hub_lead, year, area):
    _group(hub, year, "NEAR", _host(area, 403_000, 304_000, "Nearby"))
    _group(hub, year, "FAR", _host(area, 420_000, 300_000, "Farley"))
    eoi = _waiting(area, hub, year, 400_000, 300_000)
    client.force_login(hub_lead)
    queue = client.get(reverse("enrolment:eoi-list")).content.decode()
    assert "<td>NEAR: 5.0 km, 7 places left</td>" in queue
    assert "Place each in its suggested group" in queue
    page = client.get(reverse("enrolment:eoi-detail", args=[eoi.reference]))
    assert [s.code for s in page.context["suggestions"]] == ["NEAR", "FAR"]
    html = page.content.decode()
    assert "Place in NEAR" in html and "Farley" in html


def test_placing_each_in_its_suggested_group_respects_capacity_and_reports_refusals(
    client, hub, hub_lead, year, area
):
    near = _group(hub, year, "NEAR", _host(area, 403_000, 304_000), capacity=2)
    far = _group(hub, year, "FAR", _host(area, 430_000, 300_000), capacity=1)
    first, second, third, fourth = (
        _waiting(area, hub, year, 400_000, 300_000 + n) for n in range(4)
    )
    needs_review = _waiting(area, hub, year, 400_000, 300_000, outcome="needs_review")
    client.force_login(hub_lead)
    response = client.post(
        reverse("enrolment:eoi-place-suggested"),
        {"selected": [e.pk for e in (fourth, third, needs_review, second, first)]},
        follow=True,
    )
    assert response.status_code == 200
    placed = {
        p.school_id: p.work_group_id
        for p in Participation.objects.filter(work_group__in=[near, far])
    }
    # First received first: two fill the nearest group, the third goes to the next nearest,
    # the fourth finds no place; each placed once.
    assert placed == {first.school_id: near.pk, second.school_id: near.pk, third.school_id: far.pk}
    assert Participation.objects.filter(school=first.school).count() == 1
    said = [str(m) for m in response.context["messages"]]
    assert said[0].startswith("Placed in their suggested groups:")
    assert any(fourth.reference in m and "no Development group" in m for m in said)
    assert any(needs_review.reference in m and "needs review" in m for m in said)
    # Sent again, nothing is placed twice: the placed ones are no longer waiting.
    again = client.post(
        reverse("enrolment:eoi-place-suggested"), {"selected": [first.pk]}, follow=True
    )
    assert Participation.objects.filter(school=first.school).count() == 1
    assert "can no longer be placed" in again.content.decode()


def test_the_service_refuses_a_hub_lead_of_another_hub(hub, other_hub, year, area):
    stranger = HubStaffFactory(hub=other_hub, role="hub_lead").user
    eoi = _waiting(area, hub, year, 1, 1)
    with pytest.raises(PermissionDenied):
        eoi_place_suggested(eois=[eoi], acting_user=stranger)
