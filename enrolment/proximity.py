"""How far work groups are from a school: for a school choosing, and for a hub lead placing.

Distances are straight lines between grid references (schools.geo), to the schools hosting a
group's workshops (workgroups.hosts): their average, as the crow flies. A fact to choose by,
not a route.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from schools.geo import HostsDistance, hosts_distance, point_of
from schools.models import School
from workgroups.hosts import group_hosts
from workgroups.hosts import towns as host_towns
from workgroups.models import WorkGroup

from .models import ExpressionOfInterest
from .selectors import lookup_schools, places_taken

URN = re.compile(r"\d{6,7}")


def school_from_query(value: str | None) -> tuple[School | None, str]:
    """The school a query string's `urn` names, or why it names none (said to the person)."""
    value = (value or "").strip()
    if not URN.fullmatch(value):
        return None, (
            "Enter your school's URN: the six- or seven-digit number the register of schools "
            "gives it, like 123456."
        )
    school = lookup_schools().filter(urn=int(value)).first()
    if school is None:
        return None, (
            f"No school with URN {value} is in the register of schools in England. Check the "
            "number on Get Information about Schools."
        )
    return school, ""


def school_initial(school: School) -> dict:
    """The expression of interest form's answers for a school already chosen."""
    return {"urn": str(school.urn), "school_query": f"{school.name} ({school.urn})"}


@dataclass(frozen=True)
class GroupDistance:
    pk: int
    code: str
    title: str
    hosted_in: str
    distance: HostsDistance

    @property
    def text(self) -> str:
        return self.distance.text


def group_distances(groups, school: School | None) -> list[GroupDistance]:
    """Each group (WorkGroup objects) with its hosts' towns and how far they are from the
    school, nearest first, then by code (1 query)."""
    groups = list(groups)
    if not groups:
        return []
    hosts = group_hosts([group.pk for group in groups])
    origin = point_of(school) if school else None
    rows = [
        GroupDistance(
            pk=group.pk,
            code=group.code,
            title=group.title,
            hosted_in=host_towns(hosts.get(group.pk, [])),
            distance=hosts_distance(origin, [h.point for h in hosts.get(group.pk, [])]),
        )
        for group in groups
    ]
    return sorted(rows, key=lambda row: (row.distance.sort_key, row.code))


# Suggested placements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A group an expression of interest could be placed in, and how far its hosts are."""

    group_id: int
    code: str
    title: str
    places_left: int
    hosted_in: str
    distance: HostsDistance

    @property
    def text(self) -> str:
        places = f"{self.places_left} place{'s' if self.places_left != 1 else ''} left"
        return f"{self.code}: {self.distance.text}, {places}"


def ranked(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Nearest hosts first (on average; unknown distances last), then the group with more places
    left, then by code: the same order every time."""
    return sorted(suggestions, key=lambda s: (s.distance.sort_key, -s.places_left, s.code))


def placement_suggestions(eois) -> dict[int, list[Suggestion]]:
    """For each waiting expression of interest among `eois` (a queryset or list), the hub's
    groups of its phase and year that are not completed and have places left, ranked by how far
    their hosts are from the school (3 queries, whatever the number)."""
    rows = list(
        ExpressionOfInterest.objects.filter(
            pk__in=[e.pk for e in eois] if isinstance(eois, list) else eois.values("pk"),
            status__in=ExpressionOfInterest.OPEN_STATUSES,
        ).values_list(
            "pk", "hub_id", "phase", "academic_year_id", "school__easting", "school__northing"
        )
    )
    if not rows:
        return {}
    kinds = {(hub_id, phase, year_id) for _, hub_id, phase, year_id, _, _ in rows}
    which = Q()
    for hub_id, phase, year_id in kinds:
        which |= Q(hub_id=hub_id, phase=phase, academic_year_id=year_id)
    groups = [
        g
        for g in WorkGroup.objects.filter(which)
        .exclude(status=WorkGroup.Status.COMPLETED)
        .annotate(places_taken=places_taken())
        .order_by("code")
        .values(
            "pk", "code", "title", "capacity", "places_taken", "hub_id", "phase", "academic_year_id"
        )
        if g["capacity"] > g["places_taken"]
    ]
    hosts = group_hosts([g["pk"] for g in groups]) if groups else {}
    by_kind: dict[tuple, list[dict]] = {}
    for group in groups:
        by_kind.setdefault((group["hub_id"], group["phase"], group["academic_year_id"]), []).append(
            group
        )
    suggestions = {}
    for pk, hub_id, phase, year_id, easting, northing in rows:
        origin = (easting, northing) if easting is not None and northing is not None else None
        suggestions[pk] = ranked(
            [
                Suggestion(
                    group_id=g["pk"],
                    code=g["code"],
                    title=g["title"],
                    places_left=g["capacity"] - g["places_taken"],
                    hosted_in=host_towns(hosts.get(g["pk"], [])),
                    distance=hosts_distance(origin, [h.point for h in hosts.get(g["pk"], [])]),
                )
                for g in by_kind.get((hub_id, phase, year_id), [])
            ]
        )
    return suggestions
