"""Read-side queries the work group pages share. Each returns in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from schools.models import School, SchoolContact
from schools.roles import roles_for
from schools.selectors import PathwayEntry

from .models import (
    AcademicYear,
    Attendance,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
    phase_order,
)
from .programme import Term


def current_start_year(today: date | None = None) -> int:
    return AcademicYear.start_year_for(today or timezone.localdate())


def _withdrawn_last():
    return Case(
        When(status=Participation.Status.WITHDRAWN, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


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


@dataclass
class AttendanceCell:
    workshop: Workshop
    records: list = field(default_factory=list)
    expected: int = 0
    held: bool = False

    @property
    def present(self) -> int:
        return sum(1 for a in self.records if a.status == Attendance.Status.PRESENT)

    @property
    def missed(self) -> list:
        """Lead participants who missed this workshop: the page flags them."""
        return [a for a in self.records if a.is_lead_participant and a.is_missed]

    @property
    def recorded(self) -> bool:
        return self.workshop.attendance_recorded_at is not None


@dataclass
class VisitCell:
    term: str
    visit: SupportVisit | None
    state: str | None

    @property
    def label(self) -> str:
        return SupportVisit.State(self.state).label if self.state else ""


@dataclass
class MemberRow:
    participation: Participation
    leads: list
    attendance: list
    visits: list

    @property
    def leads_missing(self) -> int:
        if not self.participation.is_taking_part:
            return 0
        wanted = self.participation.work_group.facts.lead_participants_per_school
        return max(0, wanted - len(self.leads))


@dataclass
class WorkGroupPage:
    group: WorkGroup
    members: list
    workshops: list
    visit_terms: list
    places_taken: int

    @property
    def flags(self) -> list:
        """Each missed workshop of a lead participant, school by school."""
        return [
            (row.participation, cell.workshop, attendance)
            for row in self.members
            for cell in row.attendance
            for attendance in cell.missed
        ]


def for_group_page(queryset):
    """What the group page shows about the group itself, fetched with it."""
    return queryset.select_related(
        "hub", "academic_year", "lead__user", "lead__school", "copied_from"
    ).prefetch_related("academic_year__half_terms")


def work_group_page(*, group: WorkGroup, today: date) -> WorkGroupPage:
    """Members, the workshop timeline, the attendance matrix and the visits grid."""
    participations = list(
        group.participations.select_related("school")
        .prefetch_related(_leads_in_name_order(), "support_visits")
        .order_by(_withdrawn_last(), "school__name")
    )
    workshops = list(group.workshops.select_related("host_school", "half_term").order_by("number"))
    records = {}
    for attendance in Attendance.objects.filter(workshop__work_group=group).select_related(
        "contact"
    ):
        records.setdefault((attendance.participation_id, attendance.workshop_id), []).append(
            attendance
        )
    terms = group.academic_year.term_dates()
    visit_terms = list(Term) if group.facts.termly_support_visits else []
    members = []
    for participation in participations:
        participation.work_group = group
        leads = list(participation.lead_participants.all())
        cells = []
        for workshop in workshops:
            found = records.get((participation.pk, workshop.pk), [])
            invited = sum(1 for a in found if not a.is_lead_participant)
            cells.append(
                AttendanceCell(
                    workshop=workshop,
                    records=sorted(found, key=lambda a: a.contact.name),
                    expected=len(leads) + invited,
                    held=workshop.is_held_by(today),
                )
            )
        by_term = {v.term: v for v in participation.support_visits.all()}
        visits = []
        for term in visit_terms:
            visit = by_term.get(term)
            term_end = terms.get(term, (None, None))[1]
            visits.append(
                VisitCell(Term(term), visit, visit.state_on(today, term_end) if visit else None)
            )
        members.append(MemberRow(participation, leads, cells, visits))
    return WorkGroupPage(
        group=group,
        members=members,
        workshops=workshops,
        visit_terms=visit_terms,
        places_taken=sum(1 for p in participations if p.is_taking_part),
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
