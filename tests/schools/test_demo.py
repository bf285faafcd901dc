import random

import pytest

from schools import demo
from schools.models import Hub, HubStaff, LocalAuthority, School

pytestmark = pytest.mark.django_db


def test_small_demo_covers_several_hubs_and_every_role():
    context = demo.seed(scale="small", rng=random.Random(1))
    assert Hub.objects.count() == 3
    for hub in Hub.objects.all():
        assert School.objects.in_hub(hub).primary().open().exists()
    assert HubStaff.objects.filter(hub=context["demo_hub"]).count() == 3
    welsh = School.objects.filter(in_england=False)
    assert welsh.exists() and all(school.hub is None for school in welsh)
    assert School.objects.filter(status=School.Status.CLOSED).exists()
    assert School.objects.exclude(phase_of_education="Primary").exists()
    # bulk_create skips save(): the seed sets the search columns itself.
    assert not School.objects.filter(search_name="").exists()
    assert not School.objects.filter(postcode_compact="").exists()


def test_national_demo_has_englands_shape():
    demo.seed(scale="national", rng=random.Random(2026))
    assert Hub.objects.count() == 40
    assert 145 <= LocalAuthority.objects.filter(in_england=True).count() <= 155
    primary = School.objects.primary().open().filter(in_england=True).count()
    assert 15_500 <= primary <= 16_500
    assert School.objects.filter(phase_of_education="Secondary").count() > 2000
    assert School.objects.filter(status=School.Status.CLOSED).count() > 500
    assert len(set(School.objects.values_list("search_name", flat=True))) > 500


def _grid(hub):
    return list(
        School.objects.in_hub(hub)
        .exclude(easting=None)
        .order_by("urn")
        .values_list("urn", "easting", "northing", "town")
    )


def test_demo_schools_are_placed_around_towns_the_same_way_every_time():
    demo.seed(scale="small", rng=random.Random(7))
    schools = School.objects.filter(in_england=True)
    placed = schools.exclude(easting=None).exclude(northing=None)
    # Most schools have a grid reference in England; a few have none, as in the register.
    assert 0.9 * schools.count() <= placed.count() < schools.count()
    for easting, northing in placed.values_list("easting", "northing"):
        assert 150_000 <= easting <= 640_000 and 60_000 <= northing <= 640_000
    first = {hub.slug: _grid(hub) for hub in Hub.objects.all()}
    for hub in Hub.objects.all():
        rows = first[hub.slug]
        eastings, northings = [r[1] for r in rows], [r[2] for r in rows]
        # A hub's area is a region, not the whole country; its schools sit in a few towns.
        assert max(eastings) - min(eastings) < 150_000
        assert max(northings) - min(northings) < 150_000
        assert 2 <= len({r[3] for r in rows}) <= 4 * hub.local_authorities.count()
    School.objects.all().delete()
    LocalAuthority.objects.all().delete()
    HubStaff.objects.all().delete()
    Hub.objects.all().delete()
    demo.seed(scale="small", rng=random.Random(7))
    assert {hub.slug: _grid(hub) for hub in Hub.objects.all()} == first
