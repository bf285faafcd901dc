"""The figures of the hub dashboard, the year-on-year view and the national view.

The figures are read from small summaries, one row per hub and year, kept by the services
that change the records they count (`workgroups.summaries`, `actionplans.summaries`): a page
reads a few rows whatever the number of hubs, years, schools or records. The same reads serve
the three views; only what they are grouped by changes (a `Scope`: by hub for the national view,
by year for a hub's dashboard and its year-on-year view).

What counts, in the programme's terms (the tests work each one out by hand):

- A school *takes part* through a participation that is not withdrawn. A withdrawn school leaves
  the year's figures (places, attendance, visits, plans, grants due, release days); a grant it
  had already claimed or been paid still counts as claimed or paid.
- The *hub's schools* (funnel and coverage) are the schools in its area, whichever hub's group
  they took part in; the year's figures (places, attendance ...) are those of the hub's groups.
- *Reached* a phase by a year: took part in that phase in that year or any year before it.
- *Coverage*: of the hub's open primary schools (as the register says today), the share that have
  taken part in any phase by the year.
- *Attendance rate*: of the lead participants' recorded attendances at the year's workshops, the
  share marked present. A lead participant *below full attendance* missed at least one (absent
  or apologies).
- *Support visits due*: every termly visit of a school taking part, not cancelled. Each is done,
  scheduled, overdue (not done and its term or its planned day has passed) or not yet scheduled:
  the state the work group's visits grid shows.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    Sum,
)

from actionplans.models import HubYearPlans
from actionplans.programme import PlanStatus
from enrolment.models import ExpressionOfInterest
from schools.models import Hub, HubArea, LocalAuthority
from workgroups.models import (
    AcademicYear,
    Attendance,
    HalfTerm,
    HubPathwayYear,
    HubYear,
    Participation,
    SupportVisit,
)
from workgroups.programme import HALF_TERMS_OF_TERM, Phase

from .permissions import reportable_hub_ids

# How many years the year-on-year view shows, the chosen one last.
YEARS_SHOWN = 6

WITHDRAWN = Participation.Status.WITHDRAWN
RECORDED = (Attendance.Status.PRESENT, *Attendance.MISSED)
GRANT = Participation.GrantStatus


def reportable_hubs(user):
    """The hubs whose reports a person may read: national staff every hub, a hub lead theirs."""
    hub_ids = reportable_hub_ids(user)
    hubs = Hub.objects.order_by("name")
    return hubs if hub_ids is None else hubs.filter(pk__in=hub_ids)


def year_choices(today: date) -> list[int]:
    """The years a report can be asked for: the last ten and the coming one."""
    this_year = AcademicYear.start_year_for(today)
    return list(range(this_year + 1, this_year - 10, -1))


# What a figure is grouped by ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The hubs (None: every hub) and years a set of figures covers, and what it is grouped by:
    "hub", "year" or "work_group"."""

    hub_ids: tuple[int, ...] | None
    years: tuple[int, ...]
    by: str = "year"

    def grouping_keys(self) -> list:
        return list(self.years) if self.by == "year" else list(self.hub_ids or ())

    def rows(self, path: str) -> Q:
        """Rows of the work groups in scope, reached from the row's model through `path`."""
        prefix = f"{path}__" if path else ""
        condition = Q(**{f"{prefix}academic_year__start_year__in": self.years})
        if self.hub_ids is not None:
            condition &= Q(**{f"{prefix}hub_id__in": self.hub_ids})
        return condition

    def key(self, path: str) -> str:
        prefix = f"{path}__" if path else ""
        return {
            "hub": f"{prefix}hub_id",
            "year": f"{prefix}academic_year__start_year",
            "work_group": f"{prefix}id",
        }[self.by]


def _grouped(queryset, key: str, *fields, **aggregates) -> list[dict]:
    return list(queryset.order_by().values(key, *fields).annotate(**aggregates))


def schools_in_hubs(hub_ids, prefix: str = "") -> Q:
    """Schools in the hubs' areas: by local authority unless moved to another hub (None: all)."""
    p = f"{prefix}__" if prefix else ""
    condition = Q(**{f"{p}in_england": True})
    if hub_ids is None:
        return condition
    # The hubs' local authorities read first (one small query) and given as values: PostgreSQL
    # then finds the schools through the indexes on their authority and their hub, where a
    # subquery made it read every school in England.
    authorities = list(
        LocalAuthority.objects.filter(hub_id__in=hub_ids).values_list("pk", flat=True)
    )
    return condition & (
        Q(**{f"{p}hub_override_id__in": hub_ids})
        | Q(**{f"{p}hub_override__isnull": True, f"{p}local_authority__in": authorities})
    )


# The figures -------------------------------------------------------------------------------------


def _no_grants() -> dict:
    return {
        status: {"count": 0, "amount": Decimal("0")}
        for status in (GRANT.DUE, GRANT.CLAIMED, GRANT.PAID)
    }


@dataclass
class Figures:
    """One hub's (or one year's) figures."""

    taking_part: dict = field(default_factory=lambda: dict.fromkeys(Phase.values, 0))
    schools: int = 0
    withdrawn: int = 0
    places: int = 0
    capacity: int = 0
    work_groups: int = 0
    funnel: dict = field(default_factory=lambda: dict.fromkeys(Phase.values, 0))
    open_primary: int = 0
    covered: int = 0
    interests: Counter = field(default_factory=Counter)
    attendance_present: int = 0
    attendance_recorded: int = 0
    below_full_attendance: int = 0
    visits_due: int = 0
    visits_done: int = 0
    visits_scheduled: int = 0
    visits_overdue: int = 0
    plans: dict = field(default_factory=lambda: dict.fromkeys(PlanStatus.values, 0))
    actions_at_risk: int = 0
    plans_at_risk: int = 0
    grants: dict = field(default_factory=_no_grants)
    release_days_used: Decimal = Decimal("0")
    release_days_allowed: int = 0

    @property
    def coverage(self) -> float | None:
        return self.covered / self.open_primary if self.open_primary else None

    @property
    def attendance_rate(self) -> float | None:
        if not self.attendance_recorded:
            return None
        return self.attendance_present / self.attendance_recorded

    @property
    def visits_not_scheduled(self) -> int:
        return self.visits_due - self.visits_done - self.visits_scheduled - self.visits_overdue

    @property
    def plans_written(self) -> int:
        return sum(self.plans.values())

    @property
    def plans_missing(self) -> int:
        return max(0, self.places - self.plans_written)

    def interests_with(self, *, status: str | None = None, outcome: str | None = None) -> int:
        return sum(
            n
            for (s, o), n in self.interests.items()
            if (status is None or s == status) and (outcome is None or o == outcome)
        )

    @property
    def interests_total(self) -> int:
        return sum(self.interests.values())


def _summary_rows(model, scope: Scope) -> list[dict]:
    """The summary rows of the hubs and years in scope, as plain values."""
    rows = model.objects.filter(start_year__in=scope.years)
    if scope.hub_ids is not None:
        rows = rows.filter(hub_id__in=scope.hub_ids)
    return list(rows.order_by().values())


def _key(scope: Scope, row: dict) -> int:
    return row["hub_id"] if scope.by == "hub" else row["start_year"]


# What a hub year's row adds to the figures, field by field.
HUB_YEAR_SUMS = (
    "work_groups",
    "capacity",
    "schools",
    "places",
    "withdrawn",
    "release_days_used",
    "release_days_allowed",
    "attendance_present",
    "attendance_recorded",
    "below_full_attendance",
    "visits_due",
    "visits_done",
)


def add_hub_years(scope: Scope, figures: dict, today: date) -> None:
    """Places, work groups, grants, release days, attendance and visits, from the hub years'
    summaries (2 queries: the rows, and the terms that have ended by today)."""
    rows = _summary_rows(HubYear, scope)
    ended = _terms_ended(today, {row["start_year"] for row in rows})
    day = today.isoformat()
    for row in rows:
        figure = figures[_key(scope, row)]
        for name in HUB_YEAR_SUMS:
            setattr(figure, name, getattr(figure, name) + row[name])
        for phase in Phase.values:
            figure.taking_part[phase] += row[phase]
        for status in (GRANT.DUE, GRANT.CLAIMED, GRANT.PAID):
            figure.grants[status]["count"] += row[f"grants_{status}"]
            figure.grants[status]["amount"] += row[f"grants_{status}_amount"]
        for term, status, planned, n in row["open_visits"]:
            if (planned is not None and planned < day) or (row["start_year"], term) in ended:
                figure.visits_overdue += n
            elif status == SupportVisit.Status.SCHEDULED:
                figure.visits_scheduled += n


def add_pathways(scope: Scope, figures: dict) -> None:
    """How many of the hubs' schools have reached each phase by each year, and how many of
    their open primaries have taken part (1 query, over the hubs' pathway summaries)."""
    sums = {
        f"{field}_{year}": Sum(field, filter=Q(start_year__lte=year))
        for field in (*Phase.values, "open_primary")
        for year in scope.years
    }
    rows = HubPathwayYear.objects.filter(start_year__lte=max(scope.years))
    if scope.hub_ids is not None:
        rows = rows.filter(hub_id__in=scope.hub_ids)
    if scope.by == "hub":
        grouped = [(row["hub_id"], row) for row in _grouped(rows, "hub_id", **sums)]
    else:
        grouped = [(None, rows.order_by().aggregate(**sums))]
    for hub_id, row in grouped:
        for year in scope.years:
            figure = figures[hub_id if scope.by == "hub" else year]
            for phase in Phase.values:
                figure.funnel[phase] += row[f"{phase}_{year}"] or 0
            figure.covered += row[f"open_primary_{year}"] or 0


def add_open_primary(scope: Scope, figures: dict) -> None:
    """The hubs' open primary schools, as the register says today (1 query, over the hub
    areas' summaries)."""
    areas = (
        HubArea.objects.all()
        if scope.hub_ids is None
        else HubArea.objects.filter(hub_id__in=scope.hub_ids)
    )
    for hub_id, n in areas.values_list("hub_id", "open_primary"):
        for year in scope.years:
            figures[hub_id if scope.by == "hub" else year].open_primary += n


def add_interests(scope: Scope, figures: dict) -> None:
    """Expressions of interest for the year, by status and outcome (1 query)."""
    key = scope.key("")
    interests = ExpressionOfInterest.objects.filter(scope.rows(""))
    for row in _grouped(interests, key, "status", "outcome", n=Count("pk")):
        figures[row[key]].interests[(row["status"], row["outcome"])] += row["n"]


def attendances(scope: Scope):
    """Lead participants' attendance at the workshops of the groups in scope."""
    return Attendance.objects.filter(
        scope.rows("workshop__work_group"), is_lead_participant=True
    ).exclude(participation__status=WITHDRAWN)


VISIT_STATES = ("done", "scheduled", "overdue", "not_scheduled")
# A term's last half-term → the term: its end is the term's end.
LAST_HALF_TERM = {last: term for term, (_, last) in HALF_TERMS_OF_TERM.items()}


def visit_states(today: date, years=None) -> dict[str, Q]:
    """The visits in each state on `today`, as the work group's visits grid shows them: a visit
    not done is overdue once its planned day or its term's end (from the year's half-terms,
    read in one small query) has passed."""
    ended = HalfTerm.objects.filter(number__in=LAST_HALF_TERM, ends_on__lt=today)
    if years is not None:
        ended = ended.filter(academic_year__start_year__in=years)
    late = Q(scheduled_for__lt=today)
    for year_id, number in ended.values_list("academic_year_id", "number"):
        late |= Q(participation__academic_year_id=year_id, term=LAST_HALF_TERM[number])
    return {
        "done": Q(status=SupportVisit.Status.DONE),
        "overdue": Q(status__in=SupportVisit.OPEN_STATUSES) & late,
        "scheduled": Q(status=SupportVisit.Status.SCHEDULED) & ~late,
        "not_scheduled": Q(status=SupportVisit.Status.EXPECTED) & ~late,
    }


def visits_due():
    """The visits schools taking part are due: every one not cancelled."""
    return SupportVisit.objects.exclude(status=SupportVisit.Status.CANCELLED).exclude(
        participation__status=WITHDRAWN
    )


def _terms_ended(today: date, years) -> set[tuple[int, str]]:
    """The (start year, term) pairs whose term has ended by today (1 small query)."""
    ended = HalfTerm.objects.filter(
        number__in=LAST_HALF_TERM, ends_on__lt=today, academic_year__start_year__in=years
    )
    return {
        (year, LAST_HALF_TERM[number])
        for year, number in ended.values_list("academic_year__start_year", "number")
    }


def add_plans(scope: Scope, figures: dict) -> None:
    """Action plans by status, and actions at risk or off track (1 query, over the summaries)."""
    for row in _summary_rows(HubYearPlans, scope):
        figure = figures[_key(scope, row)]
        for status in PlanStatus.values:
            figure.plans[status] += row[status]
        figure.actions_at_risk += row["actions_at_risk"]
        figure.plans_at_risk += row["plans_at_risk"]


def figures_for(scope: Scope, today: date) -> dict:
    """Every headline figure for each key of the scope (6 queries), empty ones as zeros."""
    figures = defaultdict(Figures)
    for key in scope.grouping_keys():
        figures[key] = Figures()
    add_hub_years(scope, figures, today)
    add_pathways(scope, figures)
    add_open_primary(scope, figures)
    add_interests(scope, figures)
    add_plans(scope, figures)
    return figures
