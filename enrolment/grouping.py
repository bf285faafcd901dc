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
