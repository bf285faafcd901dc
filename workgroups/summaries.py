"""The summaries the hub and national figures read, kept right by the services that change
what they count.

- `SchoolPathway`: each school's first year in each phase.
- `HubPathwayYear`: how many schools of a hub's area first took part in each phase in a year
  (the pathway funnel and coverage add them up to the year asked for).
- `HubYear`: a hub's work groups in one year counted: places, grants, release days, attendance
  and support visits.

Every service that places or withdraws a school, changes a group, marks attendance or records a
visit calls `summaries_refresh` in its own transaction, so the figures are never stale. When the
register moves schools between hubs, or opens or closes them, it sends `register_changed` and the
receiver here refreshes the hubs' pathway rows. `summaries_rebuild` (the `rebuild_summaries`
command, and the end of the demo data) makes everything again from the records; when the
summaries are right it changes nothing.

What counts, in the programme's terms:

- A school *takes part* through a participation that is not withdrawn. A withdrawn school leaves
  the year's figures (places, attendance, visits, grants due, release days); a grant it had
  already claimed or been paid still counts as claimed or paid.
- *Attendance*: the lead participants' attendance at the year's workshops; one *below full
  attendance* missed at least one (absent or apologies).
- *Support visits due*: every termly visit of a school taking part, not cancelled.
"""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.dispatch import receiver

from core.locks import hold_until_commit
from schools.models import School, area_hub
from schools.signals import register_changed

from .models import (
    Attendance,
    HubPathwayYear,
    HubYear,
    Participation,
    SchoolPathway,
    SupportVisit,
    WorkGroup,
)
from .programme import PHASES, Phase
from .signals import participations_changed

WITHDRAWN = Participation.Status.WITHDRAWN
TAKING_PART = ~Q(status=WITHDRAWN)
GRANT = Participation.GrantStatus
GRANTS = {
    GRANT.DUE: TAKING_PART & Q(grant_status=GRANT.DUE),
    GRANT.CLAIMED: Q(grant_status=GRANT.CLAIMED),
    GRANT.PAID: Q(grant_status=GRANT.PAID),
}
RECORDED = (Attendance.Status.PRESENT, *Attendance.MISSED)


def summaries_refresh(*, school_ids=(), hub_years=(), participations_moved=False) -> None:
    """Work out again the summaries of the schools and of the (hub id, start year) pairs given.

    `participations_moved`: a participation was placed or withdrawn, so the apps that count
    what schools taking part do (action plans) refresh theirs too.
    """
    school_ids = set(school_ids)
    hub_years = set(hub_years)
    if school_ids:
        school_pathways_refresh(school_ids=school_ids)
        hub_pathway_years_refresh(hub_ids=_area_hubs(school_ids))
    if hub_years:
        hub_years_refresh(hub_years=hub_years)
        if participations_moved:
            participations_changed.send(sender=Participation, hub_years=hub_years)


def hub_year_of(work_group: WorkGroup) -> tuple[int, int]:
    """The (hub id, start year) pair whose figures the work group's records count in."""
    return (work_group.hub_id, work_group.academic_year.start_year)


def _area_hubs(school_ids) -> set[int]:
    hubs = (
        School.objects.filter(pk__in=school_ids, in_england=True)
        .annotate(area=area_hub())
        .values_list("area", flat=True)
    )
    return {hub for hub in hubs if hub is not None}


# Schools' pathways -------------------------------------------------------------------------------


def school_pathways_refresh(*, school_ids) -> None:
    """Work the schools' pathways out again from their participations (not withdrawn)."""
    school_ids = set(school_ids)
    hold_until_commit(*(("school pathway", school_id) for school_id in school_ids))
    firsts: dict[int, dict[str, int]] = {}
    for school_id, phase, first in (
        Participation.objects.filter(school_id__in=school_ids)
        .filter(TAKING_PART)
        .order_by()
        .values_list("school_id", "phase")
        .annotate(first=Min("academic_year__start_year"))
    ):
        firsts.setdefault(school_id, {})[phase] = first
    SchoolPathway.objects.filter(school_id__in=school_ids - firsts.keys()).delete()
    SchoolPathway.objects.bulk_create(
        [
            SchoolPathway(
                school_id=school_id,
                first_year=min(years.values()),
                **{phase: years.get(phase) for phase in Phase.values},
            )
            for school_id, years in firsts.items()
        ],
        update_conflicts=True,
        unique_fields=["school"],
        update_fields=["first_year", *Phase.values],
    )


def hub_pathway_years_refresh(*, hub_ids=None) -> None:
    """Count again, for the hubs given (None: every hub), the schools of their areas that first
    took part in each phase in each year, and the open primaries among them."""
    pathways = SchoolPathway.objects.filter(school__in_england=True).annotate(
        area=area_hub("school__")
    )
    existing = HubPathwayYear.objects.all()
    if hub_ids is not None:
        hub_ids = set(hub_ids)
        if not hub_ids:
            return
        pathways = pathways.filter(area__in=hub_ids)
        existing = existing.filter(hub_id__in=hub_ids)
    hold_until_commit(
        *(("hub pathways", hub_id) for hub_id in hub_ids)
        if hub_ids is not None
        else [("hub pathways", "every hub")]
    )
    open_primary = School.objects.primary().open().filter(pk=OuterRef("school_id"))
    pathways = pathways.annotate(open_primary=Exists(open_primary))
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for row in pathways.values("area", "first_year", "open_primary", *Phase.values):
        first = counts[(row["area"], row["first_year"])]
        first["schools"] += 1
        first["open_primary"] += row["open_primary"]
        for phase in Phase.values:
            if row[phase] is not None:
                counts[(row["area"], row[phase])][phase] += 1
    rows = [
        HubPathwayYear(hub_id=hub_id, start_year=year, **counted)
        for (hub_id, year), counted in counts.items()
    ]
    existing.delete()
    HubPathwayYear.objects.bulk_create(rows)


# Hub years ---------------------------------------------------------------------------------------


def in_hub_years(hub_years, prefix: str) -> Q:
    """Rows of the hub years given (a superset: the pairs are picked out in Python)."""
    return Q(
        **{
            f"{prefix}hub_id__in": {hub for hub, _ in hub_years},
            f"{prefix}academic_year__start_year__in": {year for _, year in hub_years},
        }
    )


def _grouped(queryset, prefix: str, *fields, **aggregates):
    hub, year = f"{prefix}hub_id", f"{prefix}academic_year__start_year"
    for row in queryset.order_by().values(hub, year, *fields).annotate(**aggregates):
        yield (row[hub], row[year]), row


def _count_hub_years(hub_years) -> dict[tuple[int, int], dict]:
    """Every figure of the hub years given, from their records (6 queries)."""
    figures: dict = defaultdict(lambda: defaultdict(int))
    groups = WorkGroup.objects.filter(in_hub_years(hub_years, ""))
    for key, row in _grouped(groups, "", work_groups=Count("pk"), capacity=Sum("capacity")):
        figures[key].update(work_groups=row["work_groups"], capacity=row["capacity"] or 0)

    participations = Participation.objects.filter(in_hub_years(hub_years, "work_group__"))
    aggregates = {
        "schools": Count("school", distinct=True, filter=TAKING_PART),
        "places": Count("pk", filter=TAKING_PART),
        "withdrawn": Count("pk", filter=Q(status=WITHDRAWN)),
        "release_days": Sum("release_days_used", filter=TAKING_PART),
    }
    for status, condition in GRANTS.items():
        aggregates[f"grants_{status}"] = Count("pk", filter=condition)
        aggregates[f"grants_{status}_amount"] = Sum("grant_amount", filter=condition)
    for key, row in _grouped(participations, "work_group__", "phase", **aggregates):
        figure = figures[key]
        figure[row["phase"]] = row["schools"]
        figure["places"] += row["places"]
        figure["withdrawn"] += row["withdrawn"]
        figure["release_days_used"] += row["release_days"] or Decimal("0")
        figure["release_days_allowed"] += row["places"] * PHASES[row["phase"]].release_days
        for status in GRANTS:
            figure[f"grants_{status}"] += row[f"grants_{status}"]
            figure[f"grants_{status}_amount"] += row[f"grants_{status}_amount"] or Decimal("0")
    # A school in two phases in one year is one school: counted apart from the phases.
    schools = Count("school", distinct=True, filter=TAKING_PART)
    for key, row in _grouped(participations, "work_group__", schools=schools):
        figures[key]["schools"] = row["schools"]

    attendances = Attendance.objects.filter(
        in_hub_years(hub_years, "workshop__work_group__"), is_lead_participant=True
    ).exclude(participation__status=WITHDRAWN)
    for key, row in _grouped(
        attendances,
        "workshop__work_group__",
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        recorded=Count("pk", filter=Q(status__in=RECORDED)),
        below=Count("contact", distinct=True, filter=Q(status__in=Attendance.MISSED)),
    ):
        figures[key].update(
            attendance_present=row["present"],
            attendance_recorded=row["recorded"],
            below_full_attendance=row["below"],
        )

    visits = (
        SupportVisit.objects.filter(in_hub_years(hub_years, "participation__work_group__"))
        .exclude(status=SupportVisit.Status.CANCELLED)
        .exclude(participation__status=WITHDRAWN)
    )
    for key, row in _grouped(
        visits,
        "participation__work_group__",
        "term",
        "status",
        "scheduled_for",
        n=Count("pk"),
    ):
        figure = figures[key]
        figure["visits_due"] += row["n"]
        if row["status"] == SupportVisit.Status.DONE:
            figure["visits_done"] += row["n"]
        else:
            day = row["scheduled_for"].isoformat() if row["scheduled_for"] else None
            figure.setdefault("open_visits", []).append([row["term"], row["status"], day, row["n"]])
    return figures


def _hub_year_rows(figures: dict) -> list[HubYear]:
    rows = []
    for (hub_id, year), figure in figures.items():
        if not figure.get("work_groups"):
            continue  # a row is kept for each hub year with work groups, and only those
        figure.setdefault("open_visits", []).sort(key=lambda v: (v[0], v[1], v[2] or ""))
        rows.append(HubYear(hub_id=hub_id, start_year=year, **figure))
    return rows


def hub_years_refresh(*, hub_years) -> None:
    """Count again the figures of the (hub id, start year) pairs given."""
    hub_years = set(hub_years)
    hold_until_commit(*(("hub year", *hub_year) for hub_year in hub_years))
    figures = _count_hub_years(hub_years)
    rows = [row for row in _hub_year_rows(figures) if (row.hub_id, row.start_year) in hub_years]
    stale = Q()
    for hub_id, year in hub_years:
        stale |= Q(hub_id=hub_id, start_year=year)
    HubYear.objects.filter(stale).delete()
    HubYear.objects.bulk_create(rows)


# Rebuild -----------------------------------------------------------------------------------------


def summaries_rebuild(*, batch_size: int = 2000) -> dict[str, int]:
    """Make every summary again from the records; how many rows of each."""
    school_ids = sorted(
        set(Participation.objects.values_list("school_id", flat=True).distinct())
        | set(SchoolPathway.objects.values_list("school_id", flat=True))
    )
    for start in range(0, len(school_ids), batch_size):
        with transaction.atomic():
            school_pathways_refresh(school_ids=school_ids[start : start + batch_size])
    with transaction.atomic():
        hub_pathway_years_refresh()
        hub_years = set(
            WorkGroup.objects.values_list("hub_id", "academic_year__start_year").distinct()
        )
        HubYear.objects.all().delete()
        HubYear.objects.bulk_create(_hub_year_rows(_count_hub_years(hub_years)))
    return {
        "school pathways": SchoolPathway.objects.count(),
        "hub pathway years": HubPathwayYear.objects.count(),
        "hub years": HubYear.objects.count(),
    }


@receiver(register_changed)
def _register_changed(sender, hub_ids=None, **kwargs):
    """Schools moved between hubs, opened or closed: their hubs' pathway rows change."""
    hub_pathway_years_refresh(hub_ids=hub_ids)
