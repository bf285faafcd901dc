"""Where a work group meets: the schools hosting its workshops.

A group's hosts are the schools its workshops are hosted at and its lead's own school (where the
first workshop is held, and the only host known while the workshops are still drafts). The
catalogue names their towns; distances to them help a school choose a group and a hub lead
place a school.
"""

from dataclasses import dataclass

from schools.geo import Point

from .models import WorkGroup, Workshop


@dataclass(frozen=True)
class Host:
    school_id: int
    town: str
    point: Point | None


def group_hosts(group_ids) -> dict[int, list[Host]]:
    """Each group's hosts, by school id (1 query, whatever the number of groups)."""
    fields = ("school_id", "town", "easting", "northing")
    workshops = (
        Workshop.objects.filter(work_group_id__in=group_ids, host_school__isnull=False)
        .order_by()
        .values_list(
            "work_group_id",
            *(f"host_school__{f}" if f != "school_id" else "host_school_id" for f in fields),
        )
    )
    leads = (
        WorkGroup.objects.filter(pk__in=group_ids, lead__school__isnull=False)
        .order_by()
        .values_list(
            "pk", *(f"lead__school__{f}" if f != "school_id" else "lead__school_id" for f in fields)
        )
    )
    hosts: dict[int, dict[int, Host]] = {}
    for group_id, school_id, town, easting, northing in workshops.union(leads):
        point = (easting, northing) if easting is not None and northing is not None else None
        hosts.setdefault(group_id, {})[school_id] = Host(school_id, town or "", point)
    return {
        group_id: sorted(by_school.values(), key=lambda host: (host.town, host.school_id))
        for group_id, by_school in hosts.items()
    }


def towns(hosts: list[Host]) -> str:
    """The hosts' towns, each once, in order: "Leeds, Otley"."""
    return ", ".join(sorted({host.town for host in hosts if host.town}))
