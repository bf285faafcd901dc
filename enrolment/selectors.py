"""Reads for enrolment: the public catalogue, the facts eligibility is judged on, the queue."""

from dataclasses import dataclass
from typing import TypedDict
from urllib.parse import quote

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from core.formatting import academic_year_name, short_date
from core.queries import SubqueryCount
from schools.geo import hosts_distance, point_of
from schools.models import Hub, School
from workgroups.hosts import group_hosts
from workgroups.hosts import towns as host_towns
from workgroups.models import AcademicYear, Participation, WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.selectors import placement_undo_problems

from .eligibility import (
    Answers,
    Case,
    History,
    HubFacts,
    OtherInterest,
    Outcome,
    PastParticipation,
    SchoolFacts,
)
from .models import ExpressionOfInterest


def coming_start_year(today=None) -> int:
    """The academic year schools are expressing interest for: the one starting next September."""
    today = today or timezone.localdate()
    return today.year + 1 if today.month >= 9 else today.year


# The public catalogue ---------------------------------------------------------------------------


def places_taken() -> SubqueryCount:
    """A work group's places taken (its schools not withdrawn), counted in a subquery a group
    so that the groups' own columns need no grouping."""
    return SubqueryCount(
        Participation.objects.filter(work_group=OuterRef("pk")).exclude(
            status=Participation.Status.WITHDRAWN
        )
    )


def work_groups_open(*, start_year: int):
    """Work groups taking expressions of interest for a year, each with its places left, by code."""
    return (
        WorkGroup.objects.open_for_interest()
        .filter(academic_year__start_year=start_year)
        .annotate(places_left=Greatest(F("capacity") - places_taken(), Value(0)))
        .order_by("code")
    )


class CatalogueHub(TypedDict):
    name: str
    url: str
    open_groups: int


# Stands in a link for any hub's slug: the link is reversed once and each hub's slug put in.
_ANY_SLUG = "any-hub"


def hubs_with_open_groups(*, start_year: int) -> list[CatalogueHub]:
    """Every hub, with its catalogue's link and how many work groups it has open for the year."""
    open_groups = WorkGroup.objects.open_for_interest().filter(
        hub=OuterRef("pk"), academic_year__start_year=start_year
    )
    link = reverse("enrolment:hub-catalogue", args=[_ANY_SLUG])
    return [
        CatalogueHub(name=name, url=link.replace(_ANY_SLUG, slug), open_groups=count)
        for name, slug, count in Hub.objects.annotate(open_groups=SubqueryCount(open_groups))
        .order_by("name")
        .values_list("name", "slug", "open_groups")
    ]


@dataclass(frozen=True)
class PhaseOffer:
    """One phase on a hub's catalogue page: what it is, and the hub's groups open for it."""

    phase: str
    facts: object
    work_groups: list
    # The phase's expression of interest form.
    interest_url: str

    @property
    def name(self) -> str:
        return self.facts.name


class CatalogueGroup(TypedDict):
    pk: int
    phase: str
    code: str
    title: str
    description: str
    capacity: int
    places_left: int
    lead: str
    # Where its workshops are hosted: the host schools' towns, and their grid references.
    hosted_in: str
    hosts: list
    # How far the hosts are from a chosen school (with_distances), else "".
    distance: str


def hub_catalogue(*, hub: Hub, start_year: int) -> list[PhaseOffer]:
    """Each phase in pathway order with the hub's open groups for the year and where each is
    hosted (two queries)."""
    rows = (
        work_groups_open(start_year=start_year)
        .filter(hub=hub)
        .values(
            "pk",
            "phase",
            "code",
            "title",
            "description",
            "capacity",
            "places_left",
            "lead__user__full_name",
            "lead__user__email",
        )
    )
    groups = [
        CatalogueGroup(
            pk=row["pk"],
            phase=row["phase"],
            code=row["code"],
            title=row["title"],
            description=row["description"],
            capacity=row["capacity"],
            places_left=row["places_left"],
            # As a person's get_full_name(): their name, or their e-mail address if it is not
            # known; no lead yet, nothing.
            lead=row["lead__user__full_name"] or row["lead__user__email"] or "",
            hosted_in="",
            hosts=[],
            distance="",
        )
        for row in rows
    ]
    hosts = group_hosts([group["pk"] for group in groups]) if groups else {}
    for group in groups:
        group["hosts"] = hosts.get(group["pk"], [])
        group["hosted_in"] = host_towns(group["hosts"])
    return [
        PhaseOffer(
            phase=phase,
            facts=PHASES[phase],
            work_groups=[g for g in groups if g["phase"] == phase],
            interest_url=reverse("enrolment:eoi-create", args=[hub.slug, phase]),
        )
        for phase in Phase
    ]


def with_distances(offers: list[PhaseOffer], school: School | None) -> list[PhaseOffer]:
    """The catalogue's groups each with how far its hosts are from the school, as the crow
    flies (no query)."""
    origin = point_of(school) if school else None
    for offer in offers:
        for group in offer.work_groups:
            group["distance"] = hosts_distance(origin, [h.point for h in group["hosts"]]).text
    return offers


def open_groups_for(*, hub: Hub, phase: str, start_year: int) -> list[WorkGroup]:
    return list(work_groups_open(start_year=start_year).filter(hub=hub, phase=phase))


def live_interest(*, school: School, phase: str, start_year: int) -> ExpressionOfInterest | None:
    """The school's expression of interest in the phase and year that is still live, if any: a
    second Send finds it (and is shown its reference) rather than making another."""
    return (
        ExpressionOfInterest.objects.live()
        .filter(school=school, phase=phase, academic_year__start_year=start_year)
        .first()
    )


def lookup_schools():
    """What the public school lookup searches: schools in England, closed ones too, so that a
    person who picks a closed school is told at once why it cannot take part and what to do.

    Its options template shows only the name, URN, town, postcode and status of each.
    """
    return School.objects.filter(in_england=True)


# Eligibility facts -------------------------------------------------------------------------------


def school_facts(school: School | None) -> SchoolFacts | None:
    if school is None:
        return None
    hub = school.hub
    return SchoolFacts(
        urn=school.urn,
        name=school.name,
        status=school.status,
        phase_of_education=school.phase_of_education,
        hub_id=hub.pk if hub else None,
        hub_name=hub.name if hub else "",
        is_mastery_specialist_school=school.is_mastery_specialist_school,
    )


def school_history(*, school: School, excluding: ExpressionOfInterest | None = None) -> History:
    """The school's participations and its other expressions of interest (two queries)."""
    participations = tuple(
        PastParticipation(
            phase=phase,
            start_year=start_year,
            completed=status == Participation.Status.COMPLETED,
            withdrawn=status == Participation.Status.WITHDRAWN,
        )
        for phase, start_year, status in Participation.objects.filter(school=school).values_list(
            "phase", "academic_year__start_year", "status"
        )
    )
    others = ExpressionOfInterest.objects.filter(school=school)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    interests = tuple(
        OtherInterest(
            reference=reference or "",
            phase=phase,
            start_year=start_year,
            is_live=status in ExpressionOfInterest.LIVE_STATUSES,
        )
        for reference, phase, start_year, status in others.values_list(
            "reference", "phase", "academic_year__start_year", "status"
        )
    )
    return History(participations=participations, interests=interests)


def eligibility_case(eoi: ExpressionOfInterest) -> Case:
    """Everything the rules need to judge one expression of interest."""
    return Case(
        school=school_facts(eoi.school),
        phase=eoi.phase,
        year=eoi.academic_year.start_year,
        hub=HubFacts(id=eoi.hub_id, name=eoi.hub.name),
        history=school_history(school=eoi.school, excluding=eoi),
        answers=Answers(
            headteacher=eoi.headteacher,
            lead_participants=tuple(eoi.lead_people),
            commitments=frozenset(eoi.commitments or []),
        ),
    )


# The review queue -------------------------------------------------------------------------------


def review_queue_years(queue, today=None) -> list[int]:
    """The start years the queue can be filtered by, latest first: those it has expressions of
    interest for, and always this year and the coming one (a link asking for a year with none
    yet finds none, rather than its filter being dropped)."""
    today = today or timezone.localdate()
    years = set(
        AcademicYear.objects.filter(pk__in=queue.values("academic_year_id")).values_list(
            "start_year", flat=True
        )
    )
    years |= {AcademicYear.start_year_for(today), coming_start_year(today)}
    return sorted(years, reverse=True)


class QueueRow(TypedDict):
    """One expression of interest as the queue table shows it, each cell already written out.

    A dict, not a dataclass: the template engine tries a key before an attribute.
    """

    pk: str
    reference: str
    url: str
    school_name: str
    school_urn: str
    phase: str
    year: str
    group_asked_for: str
    outcome: str
    status: str
    received: str
    can_be_placed: bool


PHASE_NAMES = dict(Phase.choices)
STATUS_NAMES = dict(ExpressionOfInterest.Status.choices)
OUTCOME_NAMES = dict(Outcome.choices)


def review_queue_rows(page) -> list[QueueRow]:
    """The queue table's rows for one page of expressions of interest (a sliced queryset).

    The page's rows are chosen first, by id, so that schools and work groups are looked up for
    those rows only, not for every row sorted or skipped to reach them. The code of the group a
    school was placed in comes from a subquery: joining work groups twice made PostgreSQL spend
    longer planning the query than running it.
    """
    values = ExpressionOfInterest.objects.filter(pk__in=page.values("pk")).values_list(
        "pk",
        "reference",
        "phase",
        "academic_year__start_year",
        "status",
        "outcome",
        "created_at",
        "school__name",
        "school__urn",
        "participation_id",
        "work_group__code",
        Subquery(
            Participation.objects.filter(pk=OuterRef("participation_id"))
            .order_by()
            .values("work_group__code")
        ),
    )
    base = reverse("enrolment:eoi-list")
    rows = []
    for (
        pk,
        reference,
        phase,
        start_year,
        status,
        outcome,
        created_at,
        school_name,
        school_urn,
        participation_id,
        group_code,
        placed_in,
    ) in values:
        rows.append(
            QueueRow(
                pk=str(pk),
                reference=reference,
                url=f"{base}{quote(reference)}/",
                school_name=school_name,
                school_urn=str(school_urn),
                phase=PHASE_NAMES.get(phase, phase),
                year=academic_year_name(start_year),
                group_asked_for=group_code or "No preference",
                outcome=OUTCOME_NAMES.get(outcome, outcome) or "Not checked yet",
                status=STATUS_NAMES.get(status, status)
                + (f" ({placed_in})" if participation_id else ""),
                received=short_date(created_at),
                can_be_placed=status in ExpressionOfInterest.OPEN_STATUSES
                and outcome == Outcome.ELIGIBLE,
            )
        )
    return rows


@dataclass(frozen=True)
class PathwayStep:
    year: str
    phase: str
    what: str


def school_pathway_steps(school: School) -> list[PathwayStep]:
    """The school's pathway for the reviewer: its participations and expressions of interest."""
    steps = [
        PathwayStep(
            year=p.academic_year.name,
            phase=PHASES[p.phase].name,
            what=f"{p.get_status_display()} in {p.work_group.code}",
        )
        for p in Participation.objects.filter(school=school).select_related(
            "academic_year", "work_group"
        )
    ]
    steps += [
        PathwayStep(
            year=academic_year_name(e.academic_year.start_year),
            phase=PHASES[e.phase].name,
            what=f"Expression of interest {e.reference}: {e.get_status_display().lower()}",
        )
        for e in ExpressionOfInterest.objects.filter(school=school).select_related("academic_year")
    ]
    return sorted(steps, key=lambda s: (s.year, list(Phase.labels).index(s.phase)))


def placement_groups(eoi: ExpressionOfInterest) -> list[WorkGroup]:
    """The hub's groups this school could be placed in: same phase and year, not completed."""
    return list(
        WorkGroup.objects.filter(
            hub_id=eoi.hub_id, phase=eoi.phase, academic_year_id=eoi.academic_year_id
        )
        .exclude(status=WorkGroup.Status.COMPLETED)
        .annotate(places_taken=places_taken())
        .order_by("code")
    )


def _groups_taking_schools(hub_ids, *, start_year: int | None = None):
    groups = WorkGroup.objects.filter(hub_id__in=hub_ids).exclude(status=WorkGroup.Status.COMPLETED)
    if start_year:
        groups = groups.filter(academic_year__start_year=start_year)
    return groups.annotate(places_taken=places_taken()).order_by(
        "-academic_year__start_year", "phase", "code"
    )


def groups_for_bulk_placement(hub_ids) -> list[WorkGroup]:
    """The hubs' groups that can still take schools: those bulk placement may place them in."""
    return list(_groups_taking_schools(hub_ids).select_related("academic_year"))


def bulk_placement_options(hub_ids, *, start_year: int | None = None) -> list[tuple[int, str]]:
    """The queue's choice of group to place ticked schools in: each group's id and label."""
    return [
        (pk, f"{code} {title}, {academic_year_name(year)} ({taken} of {capacity} places taken)")
        for pk, code, title, year, taken, capacity in _groups_taking_schools(
            hub_ids, start_year=start_year
        ).values_list(
            "pk", "code", "title", "academic_year__start_year", "places_taken", "capacity"
        )
    ]


def unplace_problems(eoi: ExpressionOfInterest) -> list[str]:
    """Why a placement can no longer be undone (nothing: it can): something has happened since
    in its group, or the school has written in its plan."""
    participation = eoi.participation
    if eoi.status != ExpressionOfInterest.Status.PLACED or participation is None:
        return [f"{eoi.reference} is not placed."]
    problems = placement_undo_problems(participation)
    plan = getattr(participation, "action_plan", None)
    if plan is not None and (
        plan.status != "draft"
        or (eoi.decided_at and plan.updated_at > eoi.decided_at)
        or plan.comments.exists()
    ):
        problems.append(f"{eoi.school.name} has started writing its action plan.")
    return problems
