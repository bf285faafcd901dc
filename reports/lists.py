"""The lists behind the figures, and the rows of the exports: filtered, paginated or streamed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce

from actionplans.models import Action
from actionplans.programme import NEEDS_ATTENTION
from core.formatting import academic_year_name
from enrolment.models import ExpressionOfInterest
from schools.models import School, SchoolContact
from workgroups.models import (
    Attendance,
    Participation,
    SupportVisit,
    phase_order,
)
from workgroups.programme import PHASES, Phase

from .figures import (
    RECORDED,
    WITHDRAWN,
    schools_in_hubs,
    visit_states,
    visits_due,
)


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


def pathway_of(phases: list[str], years: list[int]) -> Pathway:
    """From the phases a school took part in and their start years, in pathway order, oldest
    first."""
    by_phase = {}
    for phase, start_year in zip(phases, years, strict=True):
        by_phase.setdefault(phase, []).append(academic_year_name(start_year))
    return Pathway(
        first_year={phase: names[0] for phase, names in by_phase.items()},
        years=len(set(years)),
        latest=f"{PHASE_NAMES[phases[-1]]}, {academic_year_name(years[-1])}",
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
