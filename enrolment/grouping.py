"""Suggested groups for a new year: the waiting schools of a phase gathered around hosts.

The method, deterministic (the same schools always give the same groups):

1. As many groups as the schools need: the number of waiting schools divided by the group's
   size, rounded up.
2. Hosts are chosen one at a time, each the candidate that brings the waiting schools nearest
   (the least total straight-line distance from each school to its nearest chosen host).
   Mastery Specialist schools of the hub's area are taken first, while any remain; then the
   hub's specialists' own schools; then the waiting schools themselves. Ties go to the
   candidate listed first (by URN).
3. Schools join hosts nearest first: of every school and host, the closest pair is joined
   while the host's group has room (ties by the school's URN), so no group is over the size.
4. Schools with no grid reference join last, each the group with most room left.

A suggestion, not a decision: the hub lead changes the size, or sets groups up as they see fit.
"""

import math
from dataclasses import dataclass, field

from schools.geo import Point, distance_km
from schools.models import HubStaff, School

from .models import ExpressionOfInterest


@dataclass(frozen=True)
class Place:
    """A school on the map: a candidate host or a waiting school."""

    key: int
    urn: int
    name: str
    town: str
    point: Point | None
    specialist: bool = False


@dataclass
class SuggestedGroup:
    host: Place
    # (school, distance in km or None), nearest first.
    schools: list = field(default_factory=list)

    @property
    def average_km(self) -> float | None:
        known = [km for _, km in self.schools if km is not None]
        return sum(known) / len(known) if known else None


def suggest_groups(
    waiting: list[Place], candidates: list[Place], *, size: int
) -> list[SuggestedGroup]:
    """The waiting schools gathered into groups of at most `size` around hosts (the method
    above). `candidates`: the Mastery Specialist schools, then the specialists' own schools."""
    if not waiting:
        return []
    waiting = sorted(waiting, key=lambda p: p.urn)
    located = [w for w in waiting if w.point is not None]
    count = math.ceil(len(waiting) / size)
    pools = [
        [c for c in candidates if c.specialist],
        [c for c in candidates if not c.specialist],
        located,
    ]
    hosts: list[Place] = []
    nearest = {w.key: math.inf for w in located}
    chosen_urns: set[int] = set()
    for _ in range(count):
        pool = next(
            (
                [c for c in p if c.point is not None and c.urn not in chosen_urns]
                for p in pools
                if any(c.point is not None and c.urn not in chosen_urns for c in p)
            ),
            [],
        )
        if not pool:
            break

        def total(candidate: Place) -> float:
            return sum(min(nearest[w.key], distance_km(w.point, candidate.point)) for w in located)

        best = min(pool, key=total)
        hosts.append(best)
        chosen_urns.add(best.urn)
        for w in located:
            nearest[w.key] = min(nearest[w.key], distance_km(w.point, best.point))
    if not hosts:
        # No grid reference anywhere: one group per `size` schools, around the first of each.
        return [
            SuggestedGroup(host=chunk[0], schools=[(w, None) for w in chunk])
            for chunk in (waiting[i : i + size] for i in range(0, len(waiting), size))
        ]
    groups = [SuggestedGroup(host=host) for host in hosts]
    # Room for everyone: more hosts than the count when schools outnumber size × hosts.
    capacity = max(size, math.ceil(len(waiting) / len(groups)))
    pairs = sorted(
        (distance_km(w.point, g.host.point), w.urn, n, w)
        for n, g in enumerate(groups)
        for w in located
    )
    placed: set[int] = set()
    for km, _, n, school in pairs:
        if school.key in placed or len(groups[n].schools) >= capacity:
            continue
        groups[n].schools.append((school, km))
        placed.add(school.key)
    for school in waiting:
        if school.key not in placed:
            roomiest = min(range(len(groups)), key=lambda n: (len(groups[n].schools), n))
            groups[roomiest].schools.append((school, None))
    for group in groups:
        group.schools.sort(key=lambda pair: (pair[1] is None, pair[1] or 0, pair[0].urn))
    return groups


# What the suggestion is made from ------------------------------------------------------------


def _place(row, *, specialist=False) -> Place:
    pk, urn, name, town, easting, northing = row
    point = (easting, northing) if easting is not None and northing is not None else None
    return Place(key=pk, urn=urn, name=name, town=town, point=point, specialist=specialist)


def grouping_places(*, hub, phase: str, start_year: int) -> tuple[list[Place], list[Place]]:
    """The hub's schools waiting for a place in the phase and year, and the candidate hosts:
    the open Mastery Specialist schools of its area, then its specialists' own schools, each
    by URN (3 queries)."""
    fields = ("pk", "urn", "name", "town", "easting", "northing")
    # A waiting school's key is its expression of interest's id: accepting a group places those.
    waiting = [
        _place(row)
        for row in ExpressionOfInterest.objects.filter(
            hub=hub,
            phase=phase,
            academic_year__start_year=start_year,
            status__in=ExpressionOfInterest.OPEN_STATUSES,
        )
        .order_by("school__urn")
        .values_list("pk", *(f"school__{f}" for f in fields[1:]))
    ]
    specialists = [
        _place(row, specialist=True)
        for row in School.objects.in_hub(hub)
        .open()
        .filter(is_mastery_specialist_school=True)
        .order_by("urn")
        .values_list(*fields)
    ]
    known = {p.urn for p in specialists}
    own = [
        _place(row)
        for row in School.objects.filter(
            pk__in=HubStaff.objects.filter(hub=hub, school__isnull=False).values("school")
        )
        .order_by("urn")
        .values_list(*fields)
        if row[1] not in known
    ]
    return waiting, specialists + own


@dataclass
class Drawing:
    """The suggestion on a map: each school joined by a line to its group's host."""

    width: int = 0
    height: int = 0
    # (x1, y1, x2, y2): school to host.
    lines: list = field(default_factory=list)
    schools: list = field(default_factory=list)
    hosts: list = field(default_factory=list)


def drawing(groups: list[SuggestedGroup], *, size: int = 600, margin: int = 12) -> Drawing:
    """The groups drawn to fit `size` units, north at the top (schools with no grid reference
    are not drawn)."""
    points = [g.host.point for g in groups if g.host.point] + [
        s.point for g in groups for s, _ in g.schools if s.point
    ]
    if not points:
        return Drawing()
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    scale = (size - 2 * margin) / max(east - west, north - south, 1000)

    def xy(point):
        return margin + round((point[0] - west) * scale), margin + round((north - point[1]) * scale)

    result = Drawing(
        width=round((east - west) * scale) + 2 * margin,
        height=round((north - south) * scale) + 2 * margin,
    )
    for group in groups:
        host = xy(group.host.point) if group.host.point else None
        for school, _ in group.schools:
            if school.point is None:
                continue
            x, y = xy(school.point)
            result.schools.append((x, y))
            if host:
                result.lines.append((x, y, *host))
        if host:
            result.hosts.append(host)
    return result
