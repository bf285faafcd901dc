"""Where schools are: straight-line distances from the register's grid references.

The register gives each school an Easting and a Northing on the British National Grid, in
metres. Over the few tens of kilometres of a hub's area the grid is flat to well under one per
cent (its scale factor stays within 0.9996–1.0004 across England), so plain Pythagoras on the
grid's metres is as exact as a distance "as the crow flies" needs to be: a fact for choosing,
never a route or a travel time.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

Point = tuple[int, int]

UNKNOWN = "distance unknown"


def point_of(school) -> Point | None:
    """A school's grid reference (easting, northing) in metres, or None when the register has
    none (either is missing)."""
    easting, northing = getattr(school, "easting", None), getattr(school, "northing", None)
    if easting is None or northing is None:
        return None
    return (easting, northing)


def distance_km(a: Point | None, b: Point | None) -> float | None:
    """Straight-line distance in km between two grid references; None if either is unknown."""
    if a is None or b is None:
        return None
    return math.hypot(a[0] - b[0], a[1] - b[1]) / 1000


def school_distance_km(a, b) -> float | None:
    """Straight-line distance in km between two schools; None if either has no grid reference."""
    return distance_km(point_of(a), point_of(b))


def format_km(km: float | None) -> str:
    """ "3.4 km", "under 1 km", or "distance unknown"."""
    if km is None:
        return UNKNOWN
    if km < 1:
        return "under 1 km"
    return f"{km:.1f} km"


@dataclass(frozen=True)
class HostsDistance:
    """How far a school is from the schools hosting a work group's workshops."""

    average: float | None
    nearest: float | None
    farthest: float | None
    # Hosts whose grid reference is known, of all hosts.
    known: int = 0

    @property
    def text(self) -> str:
        """ "3.4 km", or "5.1 km on average (2.0 km to 8.3 km)" for hosts at different
        distances, or "distance unknown"."""
        if self.average is None:
            return UNKNOWN
        if format_km(self.nearest) == format_km(self.farthest):
            return format_km(self.average)
        return (
            f"{format_km(self.average)} on average "
            f"({format_km(self.nearest)} to {format_km(self.farthest)})"
        )

    @property
    def sort_key(self) -> tuple:
        """Known distances first, nearest on average first."""
        return (self.average is None, self.average or 0.0)


def hosts_distance(origin: Point | None, hosts: Iterable[Point | None]) -> HostsDistance:
    """The distance from `origin` to each host with a grid reference: their average, nearest
    and farthest. Unknown when the origin or every host has no grid reference."""
    distances = [d for d in (distance_km(origin, host) for host in hosts) if d is not None]
    if not distances:
        return HostsDistance(average=None, nearest=None, farthest=None)
    return HostsDistance(
        average=sum(distances) / len(distances),
        nearest=min(distances),
        farthest=max(distances),
        known=len(distances),
    )
