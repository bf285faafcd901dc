import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from schools.models import LocalAuthority, School
from schools.services import hub_area_set, school_hub_set

from ..factories import LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def test_staff_set_a_hubs_area_and_its_schools_follow(client, staff_user, hub, other_hub):
    ours = LocalAuthorityFactory(hub=hub, name="Ours")
    theirs = LocalAuthorityFactory(hub=other_hub, name="Theirs")
    unserved = LocalAuthorityFactory(hub=None, name="Nobody's")
    LocalAuthorityFactory(hub=None, name="Ynys Môn", in_england=False)
    school = SchoolFactory(local_authority=theirs)
    client.force_login(staff_user)
    url = reverse("schools:hub-area", args=[hub.slug])
    page = client.get(url).content.decode()
    assert "Theirs" in page and "now served by Other Maths Hub" in page
    assert "Ynys Môn" not in page
    response = client.post(url, {"local_authorities": [theirs.pk, unserved.pk]}, follow=True)
    assert "Moved from another hub: Theirs" in response.content.decode()
    assert set(hub.local_authorities.all()) == {theirs, unserved}
    assert LocalAuthority.objects.get(pk=ours.pk).hub is None
    assert School.objects.get(pk=school.pk).hub == hub
    assert list(School.objects.in_hub(hub)) == [school]
    assert LocalAuthority.history.filter(id=theirs.pk).latest().history_user == staff_user


def test_only_national_staff_set_areas(hub, hub_lead):
    with pytest.raises(PermissionDenied):
        hub_area_set(hub=hub, local_authorities=[], acting_user=hub_lead)


def test_a_hub_lead_moves_a_school_to_another_hub_and_back(
    client, hub_lead, hub, other_hub, hub_school
):
    client.force_login(hub_lead)
    url = reverse("schools:school-hub-set", args=[hub_school.urn])
    client.post(url, {"hub": other_hub.pk})
    hub_school.refresh_from_db()
    assert hub_school.hub == other_hub
    assert hub_school not in School.objects.in_hub(hub)
    assert hub_school.history.latest().history_user == hub_lead
    # Still the lead of the school's area hub, so they may bring it back.
    client.post(url, {"hub": ""})
    hub_school.refresh_from_db()
    assert hub_school.hub_override is None
    assert hub_school.hub == hub


def test_choosing_the_area_hub_clears_the_override(staff_user, hub, hub_school, other_hub):
    school_hub_set(school=hub_school, hub=other_hub, acting_user=staff_user)
    school_hub_set(school=hub_school, hub=hub, acting_user=staff_user)
    assert hub_school.hub_override is None


def test_a_lead_of_an_unrelated_hub_cannot_move_a_school(client, other_hub, hub_school, people):
    from schools.models import HubStaff

    from ..factories import HubStaffFactory

    lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    with pytest.raises(PermissionDenied):
        school_hub_set(school=hub_school, hub=other_hub, acting_user=lead)
    client.force_login(lead)
    response = client.post(
        reverse("schools:school-hub-set", args=[hub_school.urn]), {"hub": other_hub.pk}
    )
    assert response.status_code == 404
