"""How far work groups are from a school: for a school choosing, and for a hub lead placing.

Distances are straight lines between grid references (schools.geo), to the schools hosting a
group's workshops (workgroups.hosts): their average, as the crow flies. A fact to choose by,
not a route.
"""

import re
from dataclasses import dataclass

from schools.geo import HostsDistance, hosts_distance, point_of
from schools.models import School
from workgroups.hosts import group_hosts
from workgroups.hosts import towns as host_towns

from .selectors import lookup_schools

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
