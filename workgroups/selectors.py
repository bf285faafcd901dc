"""Read-side queries the work group pages share. Each returns in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from schools.models import School, SchoolContact
from schools.roles import roles_for
from schools.selectors import PathwayEntry

from .models import (
    AcademicYear,
    Attendance,
    HalfTerm,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
    phase_order,
)
from .programme import HALF_TERMS_OF_TERM, PHASES, Term


def current_start_year(today: date | None = None) -> int:
    return AcademicYear.start_year_for(today or timezone.localdate())


def _leads_in_name_order():
    return Prefetch("lead_participants", queryset=SchoolContact.objects.order_by("name"))


# The hub lead's cohort ---------------------------------------------------------------------------


def cohort(*, hub, start_year: int):
    """The hub's groups for one year, in pathway order, with the places taken in each."""
    return (
        WorkGroup.objects.filter(hub=hub, academic_year__start_year=start_year)
        .select_related("academic_year", "lead__user")
        .with_places_taken()
        .in_pathway_order()
    )


def cohort_rows(*, hub, start_year: int) -> list[dict]:
    """The cohort page's rows, in pathway order: each group as the page shows it, with its link.

    Plain values rather than groups: the page only shows them, a row per group of the year.
    """
    url = _url_for("workgroups:work-group-detail")
    rows = list(
        WorkGroup.objects.filter(hub=hub, academic_year__start_year=start_year)
        .with_places_taken()
        .order_by("code")
        .values(
            "pk",
            "phase",
            "code",
            "title",
            "capacity",
            "status",
            "places_taken",
            "lead__user__full_name",
            "lead__user__email",
        )
    )
    for row in rows:
        row["url"] = url(row["pk"])
        row["phase_label"] = PHASES[row["phase"]].name
        # As a person's get_full_name(): their name, or their e-mail address if it is not known.
        row["lead"] = row["lead__user__full_name"] or row["lead__user__email"]
        row["status_label"] = WorkGroup.Status(row["status"]).label
        row["full"] = row["places_taken"] >= row["capacity"]
    rows.sort(key=lambda row: PHASES[row["phase"]].order)
    return rows


# The specialist's home ---------------------------------------------------------------------------


@dataclass
class SpecialistHome:
    groups: list
    earlier_groups: list
    next_workshops: list
    next_visits: list
    workshops_to_date: list
    attendance_to_take: list
    visits_overdue: list

    @property
    def overdue_count(self) -> int:
        return len(self.workshops_to_date) + len(self.attendance_to_take) + len(self.visits_overdue)


def specialist_home(*, user, today: date) -> SpecialistHome:
    """What a group lead needs next: their groups, the coming dates, and what is overdue."""
    this_year = AcademicYear.start_year_for(today)
    led = (
        WorkGroup.objects.filter(lead__user=user)
        .select_related("academic_year", "hub")
        .with_places_taken()
        .order_by("-academic_year__start_year", phase_order(), "code")
    )
    workshops = Workshop.objects.filter(work_group__lead__user=user).exclude(
        work_group__status=WorkGroup.Status.COMPLETED
    )
    visits = SupportVisit.objects.filter(participation__work_group__lead__user=user).exclude(
        participation__status=Participation.Status.WITHDRAWN
    )
    visit_related = ("participation__school", "participation__work_group")
    return SpecialistHome(
        groups=list(led.filter(academic_year__start_year__gte=this_year)),
        earlier_groups=list(led.filter(academic_year__start_year__lt=this_year)),
        next_workshops=list(
            workshops.filter(status=Workshop.Status.SCHEDULED, date__gte=today)
            .select_related("work_group", "host_school")
            .order_by("date", "starts_at")[:10]
        ),
        next_visits=list(
            visits.filter(status=SupportVisit.Status.SCHEDULED, scheduled_for__gte=today)
            .select_related(*visit_related)
            .order_by("scheduled_for", "starts_at")[:10]
        ),
        workshops_to_date=list(
            workshops.filter(status=Workshop.Status.DRAFT, half_term__starts_on__lte=today)
            .select_related("work_group", "half_term")
            .order_by("half_term__starts_on", "work_group__code")
        ),
        attendance_to_take=list(
            workshops.filter(
                status=Workshop.Status.SCHEDULED,
                date__lte=today,
                attendance_recorded_at__isnull=True,
            )
            .select_related("work_group")
            .order_by("date", "work_group__code")
        ),
        visits_overdue=list(
            visits.overdue_on(today)
            .select_related(*visit_related)
            .order_by("term_ends_on", "participation__school__name")
        ),
    )


# The work group page -----------------------------------------------------------------------------
#
# The group's whole record on one page: a row per school, with a cell per workshop and per term.
# Links are built from one reverse() per kind and labels looked up once; the template draws it.


def for_group_page(queryset):
    """What every view of the group page reads about the group itself, fetched with it."""
    return queryset.select_related(
        "hub", "academic_year", "lead__user", "lead__school", "copied_from"
    )


def _url_for(name: str):
    """`name`'s URL for any pk, from one reverse() instead of one per row."""
    marker = "2147483647"
    head, tail = reverse(name, args=[marker]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _term_ends(academic_year_id: int) -> dict:
    """Each term's last day, from the year's (adjustable) half-terms."""
    ends = dict(
        HalfTerm.objects.filter(academic_year_id=academic_year_id)
        .order_by()
        .values_list("number", "ends_on")
    )
    return {
        term: ends[last]
        for term, (first, last) in HALF_TERMS_OF_TERM.items()
        if first in ends and last in ends
    }


@dataclass
class WorkshopRow:
    """One workshop of the timeline, as the page shows it."""

    number: int
    status: str
    status_label: str
    url: str
    schedule_url: str
    # Only a scheduled workshop goes in a calendar.
    ics_url: str
    half_term: HalfTerm | None
    day: date | None
    starts_at: time | None
    ends_at: time | None
    host: str
    strands: str


@dataclass(frozen=True)
class Absence:
    """A lead participant absent from a workshop, or sending apologies: the page flags it."""

    contact_id: int
    name: str
    status: str
    # "absent" or "apologies", as the page words it after the name.
    label: str


@dataclass
class AttendanceCell:
    """One school at one workshop: present of expected, who missed it, or why nothing yet."""

    workshop: Workshop
    present: int = 0
    expected: int = 0
    missed: list[Absence] = field(default_factory=list)
    recorded: bool = False
    held: bool = False


@dataclass
class VisitCell:
    """One school's visit in one term: its state and day, and the links to arrange it."""

    term: Term
    visit: SupportVisit | None
    state: str | None
    label: str = ""
    day: date | None = None
    # What the links' hidden text names: "the autumn visit to Hill Top Primary School".
    name: str = ""
    schedule_url: str = ""
    record_url: str = ""


@dataclass
class MemberRow:
    participation: Participation
    school: str
    url: str
    # The lead participants' names, in name order.
    leads: str
    leads_missing: int
    status_label: str
    grant_label: str
    attendance: list[AttendanceCell] = field(default_factory=list)
    visits: list[VisitCell] = field(default_factory=list)


@dataclass
class WorkGroupPage:
    group: WorkGroup
    members: list[MemberRow]
    workshops: list[WorkshopRow]
    visit_terms: list
    # (row, workshop, absence) for each missed workshop of a lead participant, school by school.
    flags: list

    @property
    def places_taken(self) -> int:
        return sum(member.participation.is_taking_part for member in self.members)


def _workshop_rows(workshops) -> list[WorkshopRow]:
    url = _url_for("workgroups:workshop-detail")
    schedule_url = _url_for("workgroups:workshop-schedule")
    ics_url = _url_for("workgroups:workshop-ics")
    return [
        WorkshopRow(
            number=workshop.number,
            status=workshop.status,
            status_label=workshop.get_status_display(),
            url=url(workshop.pk),
            schedule_url=schedule_url(workshop.pk),
            ics_url=ics_url(workshop.pk) if workshop.is_scheduled else "",
            half_term=workshop.half_term,
            day=workshop.date,
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            host=workshop.host_school.name if workshop.host_school else "—",
            strands=", ".join(workshop.strand_labels) or "—",
        )
        for workshop in workshops
    ]


def _attendance_cell(workshop, leads: int, records, held: bool) -> AttendanceCell:
    """One school at one workshop, from its attendance records (contact, name, lead?, status)."""
    cell = AttendanceCell(workshop, recorded=workshop.attendance_recorded_at is not None, held=held)
    invited = 0
    for contact_id, name, is_lead, status in records:
        cell.present += status == Attendance.Status.PRESENT
        invited += not is_lead
        if is_lead and status in Attendance.MISSED:
            label = Attendance.Status(status).label.lower()
            cell.missed.append(Absence(contact_id, name, status, label))
    cell.expected = leads + invited
    return cell


def work_group_page(*, group: WorkGroup, today: date) -> WorkGroupPage:
    """Members, the workshop timeline, the attendance matrix and the visits grid."""
    participations = list(
        Participation.objects.filter(work_group=group)
        .select_related("school")
        .only("status", "withdrawn_reason", "grant_status", "release_days_used", "school__name")
        .order_by("school__name")
    )
    participations.sort(key=lambda p: not p.is_taking_part)
    ids = [participation.pk for participation in participations]
    leads = {}
    for participation_id, name in (
        Participation.lead_participants.through.objects.filter(participation_id__in=ids)
        .order_by("schoolcontact__name")
        .values_list("participation_id", "schoolcontact__name")
    ):
        leads.setdefault(participation_id, []).append(name)
    workshops = list(
        Workshop.objects.filter(work_group=group)
        .select_related("half_term", "host_school")
        .only(
            "number",
            "status",
            "date",
            "starts_at",
            "ends_at",
            "strands",
            "attendance_recorded_at",
            "half_term__starts_on",
            "half_term__ends_on",
            "host_school__name",
        )
        .order_by("number")
    )
    records = {}
    for participation_id, workshop_id, *record in (
        Attendance.objects.filter(workshop__work_group=group)
        .order_by("contact__name")
        .values_list(
            "participation_id",
            "workshop_id",
            "contact_id",
            "contact__name",
            "is_lead_participant",
            "status",
        )
    ):
        records.setdefault((participation_id, workshop_id), []).append(record)
    visit_terms = list(Term) if group.facts.termly_support_visits else []
    visits, term_ends = {}, {}
    if visit_terms:
        term_ends = _term_ends(group.academic_year_id)
        for visit in (
            SupportVisit.objects.filter(participation_id__in=ids)
            .only("participation", "term", "status", "scheduled_for", "visited_on")
            .order_by()
        ):
            visits[visit.participation_id, visit.term] = visit

    facts = group.facts
    held = {workshop.pk: workshop.is_held_by(today) for workshop in workshops}
    url = _url_for("workgroups:participation-detail")
    schedule_url = _url_for("workgroups:visit-schedule")
    record_url = _url_for("workgroups:visit-record")
    members, flags = [], []
    for participation in participations:
        participation.work_group = group
        names = leads.get(participation.pk, [])
        wanted = facts.lead_participants_per_school if participation.is_taking_part else 0
        row = MemberRow(
            participation,
            school=participation.school.name,
            url=url(participation.pk),
            leads=", ".join(names),
            leads_missing=max(0, wanted - len(names)),
            status_label=participation.get_status_display(),
            grant_label=participation.get_grant_status_display(),
        )
        for workshop in workshops:
            cell = _attendance_cell(
                workshop,
                len(names),
                records.get((participation.pk, workshop.pk), ()),
                held[workshop.pk],
            )
            row.attendance.append(cell)
            flags.extend((row, workshop, absence) for absence in cell.missed)
        for term in visit_terms:
            visit = visits.get((participation.pk, term))
            if visit is None:
                row.visits.append(VisitCell(term, None, None))
                continue
            state = visit.state_on(today, term_ends.get(term))
            done = visit.status == SupportVisit.Status.DONE
            day = visit.visited_on if done else visit.scheduled_for
            row.visits.append(
                VisitCell(
                    term,
                    visit,
                    state,
                    label=SupportVisit.State(state).label,
                    day=day,
                    name=f"the {term.label.lower()} visit to {row.school}",
                    schedule_url="" if done else schedule_url(visit.pk),
                    record_url=record_url(visit.pk),
                )
            )
        members.append(row)
    return WorkGroupPage(
        group=group,
        members=members,
        workshops=_workshop_rows(workshops),
        visit_terms=visit_terms,
        flags=flags,
    )


# One workshop's attendees ------------------------------------------------------------------------


@dataclass
class AttendeeRow:
    participation: Participation
    contact: SchoolContact
    is_lead: bool
    attendance: Attendance | None

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else Attendance.Status.EXPECTED


def workshop_attendees(workshop: Workshop) -> list[AttendeeRow]:
    """Everyone expected: the lead participants of each school taking part, then invitees."""
    participations = (
        workshop.work_group.participations.taking_part()
        .select_related("school")
        .prefetch_related(_leads_in_name_order())
        .order_by("school__name")
    )
    records = {a.contact_id: a for a in workshop.attendances.select_related("contact")}
    rows = []
    for participation in participations:
        for contact in participation.lead_participants.all():
            rows.append(AttendeeRow(participation, contact, True, records.pop(contact.pk, None)))
        others = sorted(
            (a for a in records.values() if a.participation_id == participation.pk),
            key=lambda a: a.contact.name,
        )
        for attendance in others:
            rows.append(
                AttendeeRow(
                    participation, attendance.contact, attendance.is_lead_participant, attendance
                )
            )
    return rows


def invitable_contacts(workshop: Workshop, attendees: list[AttendeeRow]):
    """Other contacts at the schools taking part, who could be invited to this workshop."""
    schools = workshop.work_group.participations.taking_part().values("school")
    return (
        SchoolContact.objects.filter(school__in=schools)
        .exclude(pk__in=[row.contact.pk for row in attendees])
        .select_related("school")
        .order_by("school__name", "name")
    )


# The school contact's page and the school's pathway ----------------------------------------------


def participations_for_school_contact(user, today: date | None = None) -> list[Participation]:
    """The current and coming years' participations of the person's schools.

    Each comes with `workshop_rows` (each workshop with the school's own attendance records)
    and `visit_rows` (its support visits in term order): only the school's own records.
    """
    start_year = current_start_year(today)
    schools = roles_for(user).contact_school_ids
    participations = list(
        Participation.objects.filter(school_id__in=schools)
        .filter(academic_year__start_year__gte=start_year)
        .select_related(
            "school", "academic_year", "work_group__lead__user", "work_group__lead__school"
        )
        .prefetch_related(
            _leads_in_name_order(),
            Prefetch(
                "work_group__workshops",
                queryset=Workshop.objects.select_related("host_school").order_by("number"),
            ),
            Prefetch("attendances", queryset=Attendance.objects.select_related("contact")),
            "support_visits",
        )
        .order_by("academic_year__start_year", phase_order(), "school__name")
    )
    terms = list(Term)
    for participation in participations:
        records = {}
        for attendance in participation.attendances.all():
            records.setdefault(attendance.workshop_id, []).append(attendance)
        participation.workshop_rows = [
            (workshop, records.get(workshop.pk, []))
            for workshop in participation.work_group.workshops.all()
        ]
        participation.visit_rows = sorted(
            participation.support_visits.all(), key=lambda v: terms.index(v.term)
        )
    return participations


def school_pathway(school: School):
    """Every participation of the school, year by year in pathway order: its timeline."""
    return (
        Participation.objects.filter(school=school)
        .select_related("academic_year", "work_group__lead__user")
        .order_by("academic_year__start_year", phase_order())
    )


def pathway_entries(school: School) -> list[PathwayEntry]:
    """The school page's pathway timeline, one entry per participation (one query)."""
    entries = []
    for participation in school_pathway(school):
        group = participation.work_group
        lead = f", led by {group.lead.user.get_full_name()}" if group.lead_id else ""
        status = participation.get_status_display()
        if participation.status == Participation.Status.WITHDRAWN:
            status += f": {participation.withdrawn_reason}"
        entries.append(
            PathwayEntry(
                academic_year=participation.academic_year.name,
                phase=participation.get_phase_display(),
                title=f"{group.code} {group.title}{lead}",
                status=status,
            )
        )
    return entries


# Calendars ---------------------------------------------------------------------------------------

CALENDAR_HISTORY = timedelta(days=365)


def calendar_entries(user, today: date | None = None) -> tuple[list, list]:
    """The workshops and visits in a person's own calendar feed, from a year ago onwards.

    Theirs means: the groups they lead, their hub's groups for a hub lead, and the groups their
    school takes part in for a school contact. National staff have no calendar of their own.
    """
    roles = roles_for(user)
    since = (today or timezone.localdate()) - CALENDAR_HISTORY
    contact_groups = (
        Participation.objects.taking_part()
        .filter(school_id__in=roles.contact_school_ids)
        .values("work_group")
    )
    workshops = (
        Workshop.objects.filter(status=Workshop.Status.SCHEDULED, date__gte=since)
        .filter(
            Q(work_group__lead__user=user)
            | Q(work_group__hub_id__in=roles.hub_lead_hub_ids)
            | Q(work_group__in=contact_groups)
        )
        .select_related("work_group", "host_school")
        .order_by("date", "starts_at")
    )
    visits = (
        SupportVisit.objects.filter(
            status__in=[SupportVisit.Status.SCHEDULED, SupportVisit.Status.DONE],
            scheduled_for__gte=since,
        )
        .exclude(participation__status=Participation.Status.WITHDRAWN)
        .filter(
            Q(participation__work_group__lead__user=user)
            | Q(participation__work_group__hub_id__in=roles.hub_lead_hub_ids)
            | Q(participation__school_id__in=roles.contact_school_ids)
        )
        .select_related("participation__school", "participation__work_group__lead__user")
        .order_by("scheduled_for")
    )
    return list(workshops), list(visits)
