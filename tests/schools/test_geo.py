"""Straight-line distances between schools from their British National Grid references."""

from types import SimpleNamespace

import pytest

from schools.geo import (
    distance_km,
    format_km,
    hosts_distance,
    point_of,
    school_distance_km,
)

# Real grid references (metres): Leeds Town Hall, York Minster, Bradford City Hall.
LEEDS = (429800, 433800)
YORK = (460300, 452200)
BRADFORD = (416300, 432900)


def test_distance_is_pythagoras_on_the_grid_in_km():
    assert distance_km((0, 0), (3000, 4000)) == 5.0
    # Leeds to York is about 35.6 km as the crow flies.
    assert distance_km(LEEDS, YORK) == pytest.approx(35.6, abs=0.1)
    assert distance_km(YORK, LEEDS) == distance_km(LEEDS, YORK)
    assert distance_km(LEEDS, LEEDS) == 0


def test_a_missing_grid_reference_makes_the_distance_unknown():
    assert distance_km(None, YORK) is None
    assert distance_km(LEEDS, None) is None
    unknown = SimpleNamespace(easting=429800, northing=None)
    known = SimpleNamespace(easting=460300, northing=452200)
    assert point_of(unknown) is None
    assert point_of(known) == YORK
    assert school_distance_km(unknown, known) is None
    assert format_km(school_distance_km(unknown, known)) == "distance unknown"


@pytest.mark.parametrize(
    ("km", "text"),
    [
        (None, "distance unknown"),
        (0, "under 1 km"),
        (0.99, "under 1 km"),
        (1, "1.0 km"),
        (3.44, "3.4 km"),
        (35.649, "35.6 km"),
    ],
)
def test_distances_are_written_plainly(km, text):
    assert format_km(km) == text


def test_hosts_distance_averages_the_hosts_with_a_grid_reference():
    hosts = hosts_distance(LEEDS, [YORK, BRADFORD, None])
    assert hosts.known == 2
    assert hosts.nearest == pytest.approx(13.5, abs=0.1)
    assert hosts.farthest == pytest.approx(35.6, abs=0.1)
    assert hosts.average == pytest.approx((hosts.nearest + hosts.farthest) / 2)
    assert hosts.text == "24.6 km on average (13.5 km to 35.6 km)"
    assert hosts_distance(LEEDS, [(429000, 433800)]).text == "under 1 km"
    assert hosts_distance(None, [YORK]).text == "distance unknown"
    assert hosts_distance(LEEDS, [None]).text == "distance unknown"
    assert hosts_distance(LEEDS, [YORK]).sort_key < hosts_distance(None, [YORK]).sort_key
