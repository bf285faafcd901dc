"""The figures of the hub dashboard, the year-on-year view and the national view.

Every figure is computed in the database: one grouped query per kind of figure, whatever the
number of hubs, years, schools or records. The same query serves the three views; only what it is
grouped by changes (a `Scope`: by hub for the national view, by year for a hub's dashboard and its
year-on-year view). Python only adds up the handful of grouped rows that come back.

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
from functools import cache
from itertools import islice

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from actionplans.models import Action, ActionPlan
from actionplans.programme import NEEDS_ATTENTION, PlanStatus
from enrolment.models import ExpressionOfInterest
from schools.models import Hub, LocalAuthority, School, SchoolContact
from schools.roles import roles_for
from workgroups.models import (
    AcademicYear,
    Attendance,
    HalfTerm,
    Participation,
    SupportVisit,
    WorkGroup,
    phase_order,
)
from workgroups.programme import HALF_TERMS_OF_TERM, PHASES, Phase
from workgroups.selectors import cohort

# The apps whose records the figures and the exports are worked out from: a change to any of
# them is a new version of what is kept of them (hubportal.changes).
REPORTED_APPS = ("schools", "workgroups", "enrolment", "actionplans")
# How many years the year-on-year view shows, the chosen one last.
YEARS_SHOWN = 6

WITHDRAWN = Participation.Status.WITHDRAWN
RECORDED = (Attendance.Status.PRESENT, *Attendance.MISSED)
GRANT = Participation.GrantStatus


def reportable_hubs(user):
    """The hubs whose reports a person may read: national staff every hub, a hub lead theirs."""
    roles = roles_for(user)
    if roles.is_national_staff:
        return Hub.objects.order_by("name")
    return Hub.objects.filter(pk__in=roles.hub_lead_hub_ids).order_by("name")


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
    # The hubs' local authorities as a subquery, so that the schools are found through the index
    # on their local authority rather than by reading every school in England.
    authorities = LocalAuthority.objects.filter(hub_id__in=hub_ids).values("pk")
    return condition & (
        Q(**{f"{p}hub_override_id__in": hub_ids})
        | Q(**{f"{p}hub_override__isnull": True, f"{p}local_authority__in": authorities})
    )


def _school_hub(prefix: str = ""):
    p = f"{prefix}__" if prefix else ""
    return Coalesce(f"{p}hub_override_id", f"{p}local_authority__hub_id")


def _reached(scope: Scope, participations, *fields):
    """(key, row): schools that have taken part by each key's year, counted per `fields`.

    For one year: the schools with a participation up to that year, each once, by hub. For
    several: each school's first participation (per `fields`), counted in its year and every
    later one. One query either way.
    """
    taking_part = participations.exclude(status=WITHDRAWN).filter(
        academic_year__start_year__lte=max(scope.years)
    )
    if scope.by == "year" and len(scope.years) > 1:
        earlier = Participation.objects.filter(
            school=OuterRef("school"),
            academic_year__start_year__lt=OuterRef("academic_year__start_year"),
            **{name: OuterRef(name) for name in fields},
        ).exclude(status=WITHDRAWN)
        rows = _grouped(
            taking_part.filter(~Exists(earlier)),
            "academic_year__start_year",
            *fields,
            schools=Count("school", distinct=True),
        )
        for row in rows:
            for year in scope.years:
                if year >= row["academic_year__start_year"]:
                    yield year, row
    else:
        rows = _grouped(
            taking_part.annotate(school_hub=_school_hub("school")),
            "school_hub",
            *fields,
            schools=Count("school", distinct=True),
        )
        for row in rows:
            yield (row["school_hub"] if scope.by == "hub" else scope.years[0]), row


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


def add_participations(scope: Scope, figures: dict) -> None:
    """Schools taking part by phase, places, withdrawals, grants and release days (2 queries)."""
    taking_part = ~Q(status=WITHDRAWN)
    grant_filters = {
        GRANT.DUE: taking_part & Q(grant_status=GRANT.DUE),
        GRANT.CLAIMED: Q(grant_status=GRANT.CLAIMED),
        GRANT.PAID: Q(grant_status=GRANT.PAID),
    }
    participations = Participation.objects.filter(scope.rows("work_group"))
    key = scope.key("work_group")
    aggregates = {
        "schools": Count("school", distinct=True, filter=taking_part),
        "places": Count("pk", filter=taking_part),
        "withdrawn": Count("pk", filter=Q(status=WITHDRAWN)),
        "release_days": Sum("release_days_used", filter=taking_part),
    }
    for status, condition in grant_filters.items():
        aggregates[f"grant_{status}"] = Count("pk", filter=condition)
        aggregates[f"grant_{status}_amount"] = Sum("grant_amount", filter=condition)
    for row in _grouped(participations, key, "phase", **aggregates):
        figure = figures[row[key]]
        phase = row["phase"]
        figure.taking_part[phase] += row["schools"]
        figure.places += row["places"]
        figure.withdrawn += row["withdrawn"]
        figure.release_days_used += row["release_days"] or 0
        figure.release_days_allowed += row["places"] * PHASES[phase].release_days
        for status in grant_filters:
            figure.grants[status]["count"] += row[f"grant_{status}"]
            figure.grants[status]["amount"] += row[f"grant_{status}_amount"] or 0
    # A school in two phases in one year is one school: counted apart from the phases.
    for row in _grouped(
        participations, key, schools=Count("school", distinct=True, filter=taking_part)
    ):
        figures[row[key]].schools = row["schools"]


def add_capacity(scope: Scope, figures: dict) -> None:
    """How many work groups, and their places in all (1 query)."""
    key = scope.key("")
    groups = WorkGroup.objects.filter(scope.rows(""))
    for row in _grouped(groups, key, work_groups=Count("pk"), capacity=Sum("capacity")):
        figures[row[key]].work_groups = row["work_groups"]
        figures[row[key]].capacity = row["capacity"] or 0


def add_funnel(scope: Scope, figures: dict) -> None:
    """How many of the hub's schools have reached each phase by the year (1 query)."""
    participations = Participation.objects.filter(schools_in_hubs(scope.hub_ids, "school"))
    for key, row in _reached(scope, participations, "phase"):
        if key in figures:
            figures[key].funnel[row["phase"]] += row["schools"]


def add_coverage(scope: Scope, figures: dict) -> None:
    """The hub's open primary schools, and how many have taken part by the year (2 queries)."""
    schools = School.objects.primary().open().filter(schools_in_hubs(scope.hub_ids))
    totals = _grouped(schools.annotate(school_hub=_school_hub()), "school_hub", n=Count("pk"))
    for row in totals:
        for key in scope.grouping_keys() if scope.by == "year" else [row["school_hub"]]:
            if key in figures:
                figures[key].open_primary += row["n"]
    for key, row in _reached(scope, Participation.objects.filter(school__in=schools)):
        if key in figures:
            figures[key].covered += row["schools"]


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


def attendance_by(scope: Scope) -> dict:
    """Present, recorded and lead participants below full attendance, per key (1 query)."""
    key = scope.key("workshop__work_group")
    rows = _grouped(
        attendances(scope),
        key,
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        recorded=Count("pk", filter=Q(status__in=RECORDED)),
        below=Count("contact", distinct=True, filter=Q(status__in=Attendance.MISSED)),
    )
    return {row[key]: row for row in rows}


def add_attendance(scope: Scope, figures: dict) -> None:
    for key, row in attendance_by(scope).items():
        figures[key].attendance_present = row["present"]
        figures[key].attendance_recorded = row["recorded"]
        figures[key].below_full_attendance = row["below"]


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


def add_visits(scope: Scope, figures: dict, today: date) -> None:
    """Termly support visits due, and how many are done, scheduled and overdue (2 queries)."""
    key = scope.key("participation__work_group")
    states = visit_states(today, scope.years)
    rows = _grouped(
        visits_due().filter(scope.rows("participation__work_group")),
        key,
        due=Count("pk"),
        **{state: Count("pk", filter=condition) for state, condition in states.items()},
    )
    for row in rows:
        figure = figures[row[key]]
        figure.visits_due = row["due"]
        figure.visits_done = row["done"]
        figure.visits_overdue = row["overdue"]
        figure.visits_scheduled = row["scheduled"]


def add_plans(scope: Scope, figures: dict) -> None:
    """Action plans by status, and actions at risk or off track (2 queries)."""
    key = scope.key("participation__work_group")
    plans = ActionPlan.objects.filter(scope.rows("participation__work_group")).exclude(
        participation__status=WITHDRAWN
    )
    for row in _grouped(plans, key, "status", n=Count("pk")):
        figures[row[key]].plans[row["status"]] += row["n"]
    key = scope.key("plan__participation__work_group")
    actions = Action.objects.filter(
        scope.rows("plan__participation__work_group"), status__in=NEEDS_ATTENTION
    ).exclude(plan__participation__status=WITHDRAWN)
    for row in _grouped(actions, key, n=Count("pk"), plans=Count("plan", distinct=True)):
        figures[row[key]].actions_at_risk = row["n"]
        figures[row[key]].plans_at_risk = row["plans"]


def figures_for(scope: Scope, today: date) -> dict:
    """Every headline figure for each key of the scope (12 queries), empty ones as zeros."""
    figures = defaultdict(Figures)
    for key in scope.grouping_keys():
        figures[key] = Figures()
    add_participations(scope, figures)
    add_capacity(scope, figures)
    add_funnel(scope, figures)
    add_coverage(scope, figures)
    add_interests(scope, figures)
    add_attendance(scope, figures)
    add_visits(scope, figures, today)
    add_plans(scope, figures)
    return figures


# The hub dashboard -------------------------------------------------------------------------------


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

    @property
    def year_name(self) -> str:
        return AcademicYear.name_for(self.start_year)


def coverage_by_authority(hub: Hub, start_year: int) -> list[dict]:
    """Each local authority of the hub: open primary schools, and those taken part (1 query)."""
    reached = Participation.objects.filter(
        school=OuterRef("pk"), academic_year__start_year__lte=start_year
    ).exclude(status=WITHDRAWN)
    rows = _grouped(
        School.objects.filter(schools_in_hubs((hub.pk,))).primary().open(),
        "local_authority__code",
        "local_authority__name",
        schools=Count("pk"),
        covered=Count("pk", filter=Q(Exists(reached))),
    )
    for row in rows:
        row["share"] = row["covered"] / row["schools"] if row["schools"] else None
    return sorted(rows, key=lambda row: row["local_authority__name"])


def lead_participants_below_full_attendance(hub: Hub, start_year: int) -> list[dict]:
    """The lead participants who missed a workshop this year, and how many (1 query)."""
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
            missed=Count("pk", filter=Q(status__in=Attendance.MISSED)),
            recorded=Count("pk", filter=Q(status__in=RECORDED)),
        )
        .filter(missed__gt=0)
        .order_by("workshop__work_group__code", "participation__school__name", "contact__name")
    )


def dashboard(hub: Hub, start_year: int, today: date) -> Dashboard:
    """The hub's year on one page (13 queries, whatever the size of the hub)."""
    scope = Scope(hub_ids=(hub.pk,), years=(start_year,))
    figures = defaultdict(Figures)
    add_participations(scope, figures)
    add_funnel(scope, figures)
    add_interests(scope, figures)
    add_attendance(scope, figures)
    add_visits(scope, figures, today)
    add_plans(scope, figures)
    figure = figures[start_year]
    groups = [GroupRow(group) for group in cohort(hub=hub, start_year=start_year)]
    by_group = attendance_by(Scope(hub_ids=(hub.pk,), years=(start_year,), by="work_group"))
    for row in groups:
        found = by_group.get(row.group.pk, {})
        row.attendance_present = found.get("present", 0)
        row.attendance_recorded = found.get("recorded", 0)
        row.below_full_attendance = found.get("below", 0)
    figure.work_groups = len(groups)
    figure.capacity = sum(row.group.capacity for row in groups)
    authorities = coverage_by_authority(hub, start_year)
    figure.open_primary = sum(row["schools"] for row in authorities)
    figure.covered = sum(row["covered"] for row in authorities)
    return Dashboard(
        hub=hub,
        start_year=start_year,
        figures=figure,
        groups=groups,
        coverage_by_authority=authorities,
        below_full_attendance=lead_participants_below_full_attendance(hub, start_year),
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


# The lists behind the figures, and the exports ---------------------------------------------------


def _count_of(queryset, outer: str):
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )


@dataclass(frozen=True)
class ParticipationFilter:
    """Which participations a list or an export holds; each field narrows it, None: any."""

    hub_ids: tuple[int, ...] | None
    start_year: int | None = None
    phase: str | None = None
    show: str = "taking_part"  # "taking_part", "withdrawn" or "all"
    grant: str | None = None
    plan: str | None = None  # a plan status, "none" or "at_risk"
    visits: str | None = None  # one of VISIT_STATES
    below_full_attendance: bool = False


def participations(spec: ParticipationFilter, today: date):
    """Participations with what the participations list and export show, in a stable order."""
    rows = Participation.objects.all()
    if spec.hub_ids is not None:
        rows = rows.filter(work_group__hub_id__in=spec.hub_ids)
    if spec.start_year is not None:
        rows = rows.filter(academic_year__start_year=spec.start_year)
    if spec.phase:
        rows = rows.filter(phase=spec.phase)
    if spec.show == "taking_part":
        rows = rows.exclude(status=WITHDRAWN)
    elif spec.show == "withdrawn":
        rows = rows.filter(status=WITHDRAWN)
    if spec.grant:
        rows = rows.filter(grant_status=spec.grant)
    if spec.plan == "none":
        rows = rows.filter(action_plan__isnull=True)
    elif spec.plan == "at_risk":
        risky = Action.objects.filter(
            plan__participation=OuterRef("pk"), status__in=NEEDS_ATTENTION
        )
        rows = rows.filter(Exists(risky))
    elif spec.plan:
        rows = rows.filter(action_plan__status=spec.plan)
    if spec.visits:
        years = None if spec.start_year is None else (spec.start_year,)
        in_state = visits_due().filter(visit_states(today, years)[spec.visits])
        rows = rows.filter(Exists(in_state.filter(participation=OuterRef("pk"))))
    if spec.below_full_attendance:
        missed = Attendance.objects.filter(
            participation=OuterRef("pk"),
            is_lead_participant=True,
            status__in=Attendance.MISSED,
        )
        rows = rows.filter(Exists(missed))
    lead_attendance = Attendance.objects.filter(is_lead_participant=True)
    return (
        rows.select_related(
            "school__local_authority",
            "work_group__hub",
            "academic_year",
            "action_plan",
        )
        .annotate(
            attendance_present=_count_of(
                lead_attendance.filter(status=Attendance.Status.PRESENT), "participation"
            ),
            attendance_recorded=_count_of(
                lead_attendance.filter(status__in=RECORDED), "participation"
            ),
            visits_done=_count_of(
                SupportVisit.objects.filter(status=SupportVisit.Status.DONE), "participation"
            ),
        )
        .order_by(
            "work_group__hub__name",
            "-academic_year__start_year",
            "work_group__code",
            "school__name",
            "pk",
        )
    )


def with_lead_participants(queryset):
    return queryset.prefetch_related(
        Prefetch("lead_participants", queryset=SchoolContact.objects.order_by("name"))
    )


def _streamed(queryset, fields: tuple[str, ...], batch_size: int, extras: list):
    """The rows of `queryset` in its order as tuples of `fields` ("pk" first), a batch at a time
    through a server-side cursor, each row followed by what `extras` add for it.

    `extras` holds (width, read) pairs: `read(ids)` gives, for a batch's pks, a tuple of `width`
    values for each pk it knows (None for the others), in one query for the whole batch: a
    subquery per row would look each row up in turn, several times slower for all of England.
    """
    rows = queryset.values_list(*fields).iterator(chunk_size=batch_size)
    while batch := list(islice(rows, batch_size)):
        ids = [row[0] for row in batch]
        found = [(read(ids), (None,) * width) for width, read in extras]
        yield [row + sum((known.get(row[0], none) for known, none in found), ()) for row in batch]


def _grouped_by(source, key: str, **aggregates):
    """`read(ids)` for _streamed: the `aggregates` of the rows of `source` whose `key` is one of
    the ids, by id."""

    def read(ids) -> dict[int, tuple]:
        rows = (
            source.filter(**{f"{key}__in": ids})
            .order_by()
            .values(key)
            .annotate(**aggregates)
            .values_list(key, *aggregates)
        )
        return {row[0]: row[1:] for row in rows}

    return read


def participation_rows(queryset, fields: tuple[str, ...], batch_size: int):
    """The participations of `queryset` (see participations()) in its order, a batch of tuples at
    a time (1 query, and 2 a batch): `fields` ("pk" first), then the lead participants'
    attendances marked present and recorded, and the support visits done (None for none)."""
    attendance = _grouped_by(
        Attendance.objects.filter(is_lead_participant=True),
        "participation_id",
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        recorded=Count("pk", filter=Q(status__in=RECORDED)),
    )
    visits = _grouped_by(
        SupportVisit.objects.filter(status=SupportVisit.Status.DONE),
        "participation_id",
        done=Count("pk"),
    )
    return _streamed(queryset, fields, batch_size, [(2, attendance), (1, visits)])


def lead_participant_names(participation_ids) -> dict[int, str]:
    """Each participation's lead participants by name, "A; B"; none named: left out (1 query)."""
    names = defaultdict(list)
    rows = (
        Participation.lead_participants.through.objects.filter(
            participation_id__in=participation_ids
        )
        .order_by("schoolcontact__name")
        .values_list("participation_id", "schoolcontact__name")
    )
    for participation_id, name in rows:
        names[participation_id].append(name)
    return {participation_id: "; ".join(found) for participation_id, found in names.items()}


@dataclass(frozen=True)
class SchoolFilter:
    """Which of the hubs' schools a list or an export holds."""

    hub_ids: tuple[int, ...] | None
    start_year: int | None = None
    reached: str | None = None  # reached this phase by the year
    taken_part: bool | None = None  # taken part in any phase by the year (or not)
    local_authority: str | None = None  # GIAS code
    open_primary_only: bool = False


def schools(spec: SchoolFilter):
    """The hubs' schools: their open primary schools, and any other that ever took part."""
    taking_part = Participation.objects.filter(school=OuterRef("pk")).exclude(status=WITHDRAWN)
    by_year = (
        taking_part.filter(academic_year__start_year__lte=spec.start_year)
        if spec.start_year
        else taking_part
    )
    rows = School.objects.filter(schools_in_hubs(spec.hub_ids))
    open_primary = Q(phase_of_education__in=School.PRIMARY_PHASES) & ~Q(status=School.Status.CLOSED)
    rows = rows.filter(
        open_primary if spec.open_primary_only else open_primary | Q(Exists(taking_part))
    )
    if spec.local_authority:
        rows = rows.filter(local_authority__code=spec.local_authority)
    if spec.reached:
        rows = rows.filter(Exists(by_year.filter(phase=spec.reached)))
    if spec.taken_part is not None:
        rows = rows.filter(Exists(by_year) if spec.taken_part else ~Exists(by_year))
    return rows.select_related("local_authority__hub", "hub_override").order_by(
        "local_authority__name", "name", "pk"
    )


@dataclass(frozen=True)
class Pathway:
    """A school's way along the pathway, read from its participations."""

    first_year: dict  # phase → the first academic year in it, e.g. "2019/20"
    years: int
    latest: str  # "Sustaining, 2024/25"
    text: str  # "Development 2019/20; Embedding 2020/21; Sustaining 2021/22, 2022/23"


NO_PATHWAY = Pathway(first_year={}, years=0, latest="", text="")


def _pathway_steps(school_ids) -> dict[int, tuple[list, list]]:
    """Each school's phases taken part in and their start years, in pathway order, oldest first
    (1 query)."""
    steps = defaultdict(lambda: ([], []))
    rows = (
        Participation.objects.exclude(status=WITHDRAWN)
        .filter(school_id__in=school_ids)
        .order_by("academic_year__start_year", phase_order())
        .values_list("school_id", "phase", "academic_year__start_year")
    )
    for school_id, phase, start_year in rows:
        phases, years = steps[school_id]
        phases.append(phase)
        years.append(start_year)
    return steps


def pathways(school_ids) -> dict[int, Pathway]:
    """The pathway of each of these schools that has taken part (1 query)."""
    return {
        school_id: pathway_of(phases, years)
        for school_id, (phases, years) in _pathway_steps(school_ids).items()
    }


def school_rows(queryset, fields: tuple[str, ...], batch_size: int):
    """The schools of `queryset` (see schools()) in its order, a batch of tuples at a time (1
    query, and 1 a batch): `fields` ("pk" first), then the phases the school took part in and
    their start years, as pathway_of() reads them (None for a school that has not taken part)."""
    return _streamed(queryset, fields, batch_size, [(2, _pathway_steps)])


# Each phase's name, in pathway order: read once, as an enum's label is slow to read.
PHASE_NAMES = {phase.value: PHASES[phase].name for phase in Phase}
# An academic year's name from its start year ("2024/25"), worked out once for each.
year_name = cache(AcademicYear.name_for)


def pathway_of(phases: list[str], years: list[int]) -> Pathway:
    """From the phases a school took part in and their start years, in pathway order, oldest
    first."""
    by_phase = {}
    for phase, start_year in zip(phases, years, strict=True):
        by_phase.setdefault(phase, []).append(year_name(start_year))
    return Pathway(
        first_year={phase: names[0] for phase, names in by_phase.items()},
        years=len(set(years)),
        latest=f"{PHASE_NAMES[phases[-1]]}, {year_name(years[-1])}",
        text="; ".join(
            [
                f"{name} {', '.join(by_phase[phase])}"
                for phase, name in PHASE_NAMES.items()
                if phase in by_phase
            ]
        ),
    )


def interests(hub_ids, start_year: int | None):
    """Expressions of interest with their outcomes, for the export."""
    rows = ExpressionOfInterest.objects.all()
    if hub_ids is not None:
        rows = rows.filter(hub_id__in=hub_ids)
    if start_year is not None:
        rows = rows.filter(academic_year__start_year=start_year)
    return rows.select_related(
        "school__local_authority", "hub", "academic_year", "work_group", "participation__work_group"
    ).order_by("hub__name", "-academic_year__start_year", "created_at", "pk")
