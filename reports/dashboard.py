"""The pages of figures: a hub's dashboard, its year on year, and every hub's (national)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Q,
)

from enrolment.models import InterestStatus
from enrolment.selectors import coming_start_year
from schools.models import Hub, School
from workgroups.models import (
    AcademicYear,
    Attendance,
    WorkGroup,
)
from workgroups.selectors import cohort

from .figures import (
    RECORDED,
    YEARS_SHOWN,
    Figures,
    Scope,
    _grouped,
    add_hub_years,
    add_interests,
    add_pathways,
    add_plans,
    attendances,
    figures_for,
    schools_in_hubs,
)
from .maps import HubMap, hub_map


@dataclass
class GroupRow:
    group: WorkGroup
    attendance_present: int = 0
    attendance_recorded: int = 0
    below_full_attendance: int = 0

    @property
    def attendance_rate(self) -> float | None:
        if not self.attendance_recorded:
            return None
        return self.attendance_present / self.attendance_recorded


@dataclass
class Dashboard:
    hub: Hub
    start_year: int
    figures: Figures
    groups: list
    coverage_by_authority: list
    below_full_attendance: list
    # The year schools are expressing interest for now, and its figures (the chosen year's
    # when it is that year): interest for next year arrives while this year runs.
    interest_year: int = 0
    interest_figures: Figures | None = None
    # Expressions of interest waiting for the hub's decision in each year still open (this year
    # and the coming one), whatever year the dashboard shows: [(start year, how many)].
    waiting: list = ()
    # Where the hub's schools are, by stage on the pathway (reports.maps).
    map: HubMap | None = None

    @property
    def year_name(self) -> str:
        return AcademicYear.name_for(self.start_year)

    @property
    def interest_year_name(self) -> str:
        return AcademicYear.name_for(self.interest_year)

    @property
    def shows_interest_year(self) -> bool:
        return self.interest_year != self.start_year

    @property
    def waiting_total(self) -> int:
        return sum(n for _, n in self.waiting)


def coverage_by_authority(hub: Hub, start_year: int, area=None) -> list[dict]:
    """Each local authority of the hub: open primary schools, and those taken part (1 query,
    and 1 for the hub's area unless given as `area`, schools_in_hubs of the hub)."""
    rows = _grouped(
        School.objects.filter(area or schools_in_hubs((hub.pk,))).primary().open(),
        "local_authority__code",
        "local_authority__name",
        schools=Count("pk"),
        covered=Count("pk", filter=Q(pathway_years__first_year__lte=start_year)),
    )
    for row in rows:
        row["share"] = row["covered"] / row["schools"] if row["schools"] else None
    return sorted(rows, key=lambda row: row["local_authority__name"])


def lead_participants_attendance(hub: Hub, start_year: int) -> list[dict]:
    """Each lead participant's attendance at their group's workshops this year: present,
    missed and recorded (1 query)."""
    scope = Scope(hub_ids=(hub.pk,), years=(start_year,))
    return list(
        attendances(scope)
        .order_by()
        .values(
            "contact__name",
            "participation__school__name",
            "participation__school__urn",
            "workshop__work_group_id",
            "workshop__work_group__code",
        )
        .annotate(
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
            missed=Count("pk", filter=Q(status__in=Attendance.MISSED)),
            recorded=Count("pk", filter=Q(status__in=RECORDED)),
        )
        .order_by("workshop__work_group__code", "participation__school__name", "contact__name")
    )


def dashboard(hub: Hub, start_year: int, today: date) -> Dashboard:
    """The hub's year on one page (11 queries, whatever the size of the hub)."""
    scope = Scope(hub_ids=(hub.pk,), years=(start_year,))
    figures = defaultdict(Figures)
    add_hub_years(scope, figures, today)
    add_pathways(scope, figures)
    # Interest is read for the chosen year and every year still open, in the same one query.
    this_year, interest_year = AcademicYear.start_year_for(today), coming_start_year(today)
    open_years = tuple(range(this_year, interest_year + 1))
    add_interests(Scope(hub_ids=(hub.pk,), years=(start_year, *open_years)), figures)
    add_plans(scope, figures)
    figure = figures[start_year]
    waiting = [
        (year, figures[year].interests_with(status=InterestStatus.TO_REVIEW))
        for year in reversed(open_years)
    ]
    groups = {row.pk: GroupRow(row) for row in cohort(hub=hub, start_year=start_year)}
    people = lead_participants_attendance(hub, start_year)
    for person in people:
        row = groups.get(person["workshop__work_group_id"])
        if row:
            row.attendance_present += person["present"]
            row.attendance_recorded += person["recorded"]
            row.below_full_attendance += person["missed"] > 0
    area = schools_in_hubs((hub.pk,))
    authorities = coverage_by_authority(hub, start_year, area)
    figure.open_primary = sum(row["schools"] for row in authorities)
    return Dashboard(
        hub=hub,
        start_year=start_year,
        figures=figure,
        groups=list(groups.values()),
        coverage_by_authority=authorities,
        below_full_attendance=[person for person in people if person["missed"]],
        interest_year=interest_year,
        interest_figures=figures[interest_year],
        waiting=[(year, n) for year, n in waiting if n],
        map=hub_map(hub=hub, start_year=start_year, area=area),
    )


def year_on_year(hub: Hub, start_year: int, today: date) -> list[tuple[int, Figures]]:
    """The hub's figures for the chosen year and the five before it, oldest first."""
    years = tuple(range(start_year - YEARS_SHOWN + 1, start_year + 1))
    figures = figures_for(Scope(hub_ids=(hub.pk,), years=years), today)
    return [(year, figures[year]) for year in years]


def national(hubs: list[Hub], start_year: int, today: date) -> list[tuple[Hub, Figures]]:
    """Every hub's figures for one year, in the order of `hubs` (every hub in England)."""
    scope = Scope(hub_ids=None, years=(start_year,), by="hub")
    figures = figures_for(scope, today)
    return [(hub, figures[hub.pk]) for hub in hubs]
