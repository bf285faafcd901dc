"""Read-side queries the work group pages share. Each returns in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from core.formatting import (
    academic_year_name,
    date_range,
    days,
    long_date,
    short_date,
    short_weekday_date,
    time_of_day,
    time_range,
    weekday_date,
)
from core.links import url_for_each
from core.roles import roles_for
from schools.models import School, SchoolContact
from schools.selectors import NextStep, PathwayEntry

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
from .programme import HALF_TERMS_OF_TERM, PHASES, Strand, Term


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


def _group_rows(groups, *fields: str) -> list[dict]:
    """Groups as a table shows them, in code order: each with its link, its places taken and
    its phase and status in words, and the other `fields` asked for."""
    url = url_for_each("workgroups:work-group-detail")
    status_label = dict(WorkGroup.Status.choices)
    rows = list(
        groups.with_places_taken()
        .order_by("code")
        .values("pk", "phase", "code", "title", "capacity", "status", "places_taken", *fields)
    )
    for row in rows:
        row["url"] = url(row["pk"])
        row["phase_label"] = PHASES[row["phase"]].name
        row["status_label"] = status_label[row["status"]]
    return rows


def cohort_rows(*, hub, start_year: int) -> list[dict]:
    """The cohort page's rows, in pathway order: each group as the page shows it, with its link.

    Plain values rather than groups: the page only shows them, a row per group of the year.
    """
    rows = _group_rows(
        WorkGroup.objects.filter(hub=hub, academic_year__start_year=start_year),
        "lead__user__full_name",
        "lead__user__email",
    )
    for row in rows:
        # As a person's get_full_name(): their name, or their e-mail address if it is not known.
        row["lead"] = row["lead__user__full_name"] or row["lead__user__email"]
        row["full"] = row["places_taken"] >= row["capacity"]
    rows.sort(key=lambda row: PHASES[row["phase"]].order)
    return rows


# Copying a year's groups into the next -----------------------------------------------------------


def next_year_group_count(*, hub, start_year: int) -> int:
    """How many groups the hub already has in the year after `start_year`."""
    return WorkGroup.objects.filter(hub=hub, academic_year__start_year=start_year + 1).count()


def copy_problem(*, hub, start_year: int, next_year_groups: int) -> str | None:
    """Why the hub's groups of the year starting `start_year` cannot be copied into the next,
    or None: a year is set up by copying only while it has no groups yet, so nothing is set up
    twice. The cohort page, the copy page and the copy service all ask this."""
    if not next_year_groups:
        return None
    next_name = academic_year_name(start_year + 1)
    return (
        f"{next_name} already has {next_year_groups} work group"
        f"{'s' if next_year_groups != 1 else ''} of {hub.name}: set up any more there one by "
        "one."
    )


# The specialist's home ---------------------------------------------------------------------------


@dataclass
class SpecialistHome:
    # Each a list of rows as the page shows them, with their links.
    groups: list[dict]
    earlier_groups: list[dict]
    next_workshops: list[dict]
    next_visits: list[dict]
    workshops_to_date: list[dict]
    attendance_to_take: list[dict]
    visits_overdue: list[dict]

    @property
    def overdue_count(self) -> int:
        return len(self.workshops_to_date) + len(self.attendance_to_take) + len(self.visits_overdue)


# How many coming workshops and visits the home lists.
HOME_NEXT = 10


def _led_groups(user) -> list[dict]:
    """The groups a person leads, newest year first, each year in pathway order then by code."""
    rows = _group_rows(
        WorkGroup.objects.filter(lead__user=user), "academic_year_id", "academic_year__start_year"
    )
    for rank, row in enumerate(rows):
        # Where the group comes in code order: its workshops sort by it.
        row["rank"] = rank
        row["start_year"] = row.pop("academic_year__start_year")
        row["year"] = academic_year_name(row["start_year"])
        row["under_way"] = row["status"] != WorkGroup.Status.COMPLETED
    rows.sort(key=lambda row: (-row["start_year"], PHASES[row["phase"]].order))
    return rows


def _sorted_rows(keyed: list) -> list:
    """The rows of (sort key, row) pairs, in the order of their keys."""
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _home_workshops(groups: dict, today: date) -> tuple[list, list, list]:
    """The coming workshops of the groups under way, and the overdue ones: those with no day
    although their half-term has begun, and those held without attendance taken."""
    detail_url = url_for_each("workgroups:workshop-detail")
    schedule_url = url_for_each("workgroups:workshop-schedule")
    scheduled = Workshop.Status.SCHEDULED
    coming, to_date, to_take = [], [], []
    for pk, group_id, number, status, day, starts_at, ends_at, recorded, begun, host in (
        Workshop.objects.filter(
            work_group_id__in=[pk for pk, g in groups.items() if g["under_way"]]
        )
        .filter(
            Q(status=scheduled, date__gte=today)
            | Q(status=Workshop.Status.DRAFT, half_term__starts_on__lte=today)
            | Q(status=scheduled, date__lte=today, attendance_recorded_at__isnull=True)
        )
        .order_by("number")
        .values_list(
            "pk",
            "work_group_id",
            "number",
            "status",
            "date",
            "starts_at",
            "ends_at",
            "attendance_recorded_at",
            "half_term__starts_on",
            "host_school__name",
        )
    ):
        group = groups[group_id]
        name = f"{group['code']} workshop {number}"
        if status == Workshop.Status.DRAFT:
            row = {"url": schedule_url(pk), "name": name, "number": number}
            to_date.append(((begun, group["rank"]), row | {"begun": long_date(begun)}))
            continue
        if day >= today:
            row = {"url": detail_url(pk), "name": name, "host": host}
            coming.append(((day, starts_at, pk), (row, day, starts_at, ends_at)))
        if day <= today and recorded is None:
            row = {"url": detail_url(pk), "name": name, "day": long_date(day)}
            to_take.append(((day, group["rank"]), row))
    next_workshops = [
        row | {"day": weekday_date(day), "times": time_range(starts_at, ends_at)}
        for row, day, starts_at, ends_at in _sorted_rows(coming)[:HOME_NEXT]
    ]
    return next_workshops, _sorted_rows(to_date), _sorted_rows(to_take)


def _home_visits(groups: dict, term_ends: dict, today: date) -> tuple[list, list]:
    """The coming visits planned, and the overdue visits of the groups under way: not done
    although the term has ended or the planned day has passed."""
    record_url = url_for_each("workgroups:visit-record")
    schedule_url = url_for_each("workgroups:visit-schedule")
    term_label = dict(Term.choices)
    this_year = AcademicYear.start_year_for(today)
    under_way = {pk for pk, group in groups.items() if group["under_way"]}
    # The visits not yet done of this year's groups and later ones (a visit is planned within
    # its group's year, so only these have visits to come) and of the groups under way.
    current = {pk for pk, group in groups.items() if group["start_year"] >= this_year}
    coming, overdue = [], []
    for visit in (
        SupportVisit.objects.filter(
            participation__work_group_id__in=current | under_way,
            status__in=SupportVisit.OPEN_STATUSES,
        )
        .exclude(participation__status=Participation.Status.WITHDRAWN)
        .annotate(
            school_name=F("participation__school__name"),
            work_group_id=F("participation__work_group_id"),
            academic_year_id=F("participation__academic_year_id"),
        )
        .only("term", "status", "scheduled_for", "starts_at")
        # In the schools' name order, that overdue visits keep within a term.
        .order_by("participation__school__name", "pk")
    ):
        group = groups[visit.work_group_id]
        planned = visit.status == SupportVisit.Status.SCHEDULED
        if planned and visit.scheduled_for >= today:
            # Unset times last, as the database sorts them; at one time, in the schools' order.
            coming.append(((visit.scheduled_for, visit.starts_at is None, visit.starts_at), visit))
        if not group["under_way"]:
            continue
        ends = term_ends.get((visit.academic_year_id, visit.term))
        if visit.state_on(today, ends) == SupportVisit.State.OVERDUE:
            row = {"school": visit.school_name, "code": group["code"], "planned": planned}
            row |= {
                "url": record_url(visit.pk) if planned else schedule_url(visit.pk),
                "term": term_label[visit.term],
                "day": long_date(visit.scheduled_for if planned else ends),
            }
            overdue.append(((ends is None, ends), row))
    next_visits = [
        {
            "url": record_url(visit.pk),
            "school": visit.school_name,
            "code": groups[visit.work_group_id]["code"],
            "day": weekday_date(visit.scheduled_for),
            "time": time_of_day(visit.starts_at),
            "term": term_label[visit.term].lower(),
        }
        for visit in _sorted_rows(coming)[:HOME_NEXT]
    ]
    return next_visits, _sorted_rows(overdue)


def specialist_home(*, user, today: date) -> SpecialistHome:
    """What a group lead needs next: their groups, the coming dates, and what is overdue."""
    this_year = AcademicYear.start_year_for(today)
    led = _led_groups(user)
    groups = {row["pk"]: row for row in led}
    next_workshops, workshops_to_date, attendance_to_take = _home_workshops(groups, today)
    half_terms = _half_terms({row["academic_year_id"] for row in led if row["under_way"]})
    next_visits, visits_overdue = _home_visits(groups, _term_ends(half_terms), today)
    return SpecialistHome(
        groups=[row for row in led if row["start_year"] >= this_year],
        earlier_groups=[row for row in led if row["start_year"] < this_year],
        next_workshops=next_workshops,
        next_visits=next_visits,
        workshops_to_date=workshops_to_date,
        attendance_to_take=attendance_to_take,
        visits_overdue=visits_overdue,
    )


# The work group page -----------------------------------------------------------------------------
#
# The group's whole record on one page: a row per school, with a cell per workshop and per term.
# The rows are plain values the template only prints: links from one reverse() per kind, labels
# looked up and dates formatted once here.

# The group's own fields, and the few fields of what it refers to that its pages show.
_GROUP_PAGE_FIELDS = (
    *(f.name for f in WorkGroup._meta.concrete_fields),
    "hub__name",
    "hub__slug",
    "academic_year__start_year",
    "academic_year__starts_on",
    "academic_year__ends_on",
    "lead__role",
    "lead__user__full_name",
    "lead__user__email",
    "copied_from__code",
    "copied_from__title",
)


def for_group_page(queryset):
    """What every view of the group page reads about the group itself, fetched with it, and
    `lead_school_name`: the lead's school (a subquery, a join fewer to plan); `teaching_ends_on`
    (see `with_teaching_end`)."""
    return with_teaching_end(
        queryset.select_related("hub", "academic_year", "lead__user", "copied_from")
        .only(*_GROUP_PAGE_FIELDS)
        .annotate(
            lead_school_name=Subquery(
                School.objects.filter(pk=OuterRef("lead__school_id")).values("name")
            )
        )
    )


def with_teaching_end(queryset):
    """Groups with `teaching_ends_on`: the last day of their year's last half-term."""
    return queryset.annotate(
        teaching_ends_on=Subquery(
            HalfTerm.objects.filter(academic_year=OuterRef("academic_year"))
            .order_by("-ends_on")
            .values("ends_on")[:1]
        )
    )


# Completing a group's year -----------------------------------------------------------------------


def completion_problem(group: WorkGroup, workshops, *, today: date) -> str | None:
    """Why the group's year cannot be completed yet, or None once it can: its year has begun,
    and every workshop is past (or cancelled) or the year's teaching is over.

    `group` has `teaching_ends_on` (`with_teaching_end`); `workshops` are dicts with `number`,
    `status` and `held` (as the group page has them). The group page's offer, the complete page
    and the service all ask this, so they cannot disagree."""
    year = group.academic_year
    if group.is_completed:
        return f"{group.code} is already completed."
    name = academic_year_name(year.start_year)
    if today < year.starts_on:
        return (
            f"{name} has not begun: a group's year is completed once its workshops are past, "
            "or at the end of the year."
        )
    teaching_ends_on = getattr(group, "teaching_ends_on", None) or year.ends_on
    if today > teaching_ends_on:
        return None
    to_come = [
        w["number"] for w in workshops if not w["held"] and w["status"] != Workshop.Status.CANCELLED
    ]
    if not to_come:
        return None
    numbers = ", ".join(str(n) for n in sorted(to_come))
    return (
        f"Workshop{'s' if len(to_come) > 1 else ''} {numbers} of {group.code} "
        f"{'are' if len(to_come) > 1 else 'is'} still to come: the year can be completed once "
        f"its workshops are past, or after {long_date(teaching_ends_on)}, when {name}'s "
        "teaching ends."
    )


def work_group_completion_problem(group: WorkGroup, *, today: date | None = None) -> str | None:
    """`completion_problem` for a group as the database has it now."""
    today = today or timezone.localdate()
    group = with_teaching_end(WorkGroup.objects.select_related("academic_year")).get(pk=group.pk)
    workshops = [
        {
            "number": number,
            "status": status,
            "held": status == Workshop.Status.SCHEDULED and day is not None and day <= today,
        }
        for number, status, day in group.workshops.values_list("number", "status", "date")
    ]
    return completion_problem(group, workshops, today=today)


@dataclass
class WorkGroupPage:
    # A row per school, those taking part first: its details, and `attendance` (a cell per
    # workshop) and `visits` (a cell per term) for the matrix and the grid.
    members: list[dict]
    workshops: list[dict]
    visit_terms: list
    # Each missed workshop of a lead participant, school by school.
    flags: list[dict]
    places_taken: int


def _half_terms(year_ids) -> dict:
    """The (adjustable) half-terms of some academic years, by id: (year, number, first, last)."""
    return {
        pk: (year_id, number, starts_on, ends_on)
        for pk, year_id, number, starts_on, ends_on in HalfTerm.objects.filter(
            academic_year_id__in=year_ids
        )
        .order_by()
        .values_list("pk", "academic_year_id", "number", "starts_on", "ends_on")
    }


def _term_ends(half_terms: dict) -> dict:
    """Each term's last day, by (academic year, term)."""
    ends = {(year_id, number): ends_on for year_id, number, _, ends_on in half_terms.values()}
    return {
        (year_id, term): ends[year_id, last]
        for year_id in {year_id for year_id, _ in ends}
        for term, (first, last) in HALF_TERMS_OF_TERM.items()
        if (year_id, first) in ends and (year_id, last) in ends
    }


def _workshops(group: WorkGroup, today: date) -> tuple[list[dict], dict, dict]:
    """The group's workshops in order; each school's attendance records at each: (contact,
    name, lead participant?, status) in name order; and the workshops' half-terms, as
    `_half_terms` gives them."""
    url = url_for_each("workgroups:workshop-detail")
    schedule_url = url_for_each("workgroups:workshop-schedule")
    ics_url = url_for_each("workgroups:workshop-ics")
    status_label = dict(Workshop.Status.choices)
    strand_label = dict(Strand.choices)
    rows, records, half_terms = {}, {}, {}
    for row in (
        Workshop.objects.filter(work_group=group)
        .order_by("number", "attendances__contact__name")
        .values_list(
            "pk",
            "number",
            "half_term_id",
            "half_term__academic_year_id",
            "half_term__number",
            "half_term__starts_on",
            "half_term__ends_on",
            "status",
            "date",
            "starts_at",
            "ends_at",
            "strands",
            "attendance_recorded_at",
            "host_school__name",
            "attendances__participation_id",
            "attendances__contact_id",
            "attendances__contact__name",
            "attendances__is_lead_participant",
            "attendances__status",
        )
    ):
        pk, number, half_term_id, *half_term = row[:7]
        status, day, starts, ends, strands, recorded_at, host, *record = row[7:]
        if record[0] is not None:
            records.setdefault((record[0], pk), []).append(record[1:])
        if pk in rows:
            continue
        scheduled = status == Workshop.Status.SCHEDULED and day is not None
        if half_term_id is not None:
            half_terms[half_term_id] = tuple(half_term)
        rows[pk] = {
            "pk": pk,
            "number": number,
            "status": status,
            "status_label": status_label[status],
            "url": url(pk),
            "schedule_url": schedule_url(pk),
            # Only a scheduled workshop goes in a calendar.
            "ics_url": ics_url(pk) if scheduled else "",
            "half_term": date_range(half_term[2], half_term[3]) if half_term_id else "—",
            "day": f"{short_weekday_date(day)}, {time_range(starts, ends)}" if day else "",
            "host": host or "—",
            "strands": ", ".join(strand_label[s] for s in strands or [] if s in strand_label)
            or "—",
            "recorded": recorded_at is not None,
            # It has taken place (or takes place today): attendance can be recorded.
            "held": scheduled and day <= today,
        }
    return list(rows.values()), records, half_terms


def _member_rows(group: WorkGroup) -> tuple[list[dict], dict]:
    """The group's schools, those taking part first, each with its lead participants' names;
    and their support visits by (school, term)."""
    url = url_for_each("workgroups:participation-detail")
    status_label = dict(Participation.Status.choices)
    grant_label = dict(Participation.GrantStatus.choices)
    rows, visits = {}, {}
    # A row for each lead participant and visit of a school (a handful): the two are told apart
    # by their keys.
    for pk, status, reason, grant, days_used, school, lead_pk, lead, *visit in (
        Participation.objects.filter(work_group=group)
        .order_by("school__name", "pk", "lead_participants__name", "lead_participants__pk")
        .values_list(
            "pk",
            "status",
            "withdrawn_reason",
            "grant_status",
            "release_days_used",
            "school__name",
            "lead_participants__pk",
            "lead_participants__name",
            "support_visits__pk",
            "support_visits__term",
            "support_visits__status",
            "support_visits__scheduled_for",
            "support_visits__visited_on",
        )
    ):
        if pk not in rows:
            rows[pk] = {
                "pk": pk,
                "school": school,
                "url": url(pk),
                "leads": {},
                "status": status,
                "status_label": status_label[status],
                "withdrawn_reason": reason,
                "taking_part": status != Participation.Status.WITHDRAWN,
                "grant_status": grant,
                "grant_label": grant_label[grant],
                "release_days_used": days(days_used),
            }
        if lead_pk is not None:
            rows[pk]["leads"][lead_pk] = lead
        visit_pk, term, visit_status, scheduled_for, visited_on = visit
        if visit_pk is not None and (pk, term) not in visits:
            visits[pk, term] = SupportVisit(
                pk=visit_pk,
                participation_id=pk,
                term=term,
                status=visit_status,
                scheduled_for=scheduled_for,
                visited_on=visited_on,
            )
    members = sorted(rows.values(), key=lambda row: not row["taking_part"])
    return members, visits


_MISSED_LABELS = {status: Attendance.Status(status).label.lower() for status in Attendance.MISSED}


def _attendance_cell(workshop: dict, leads: int, records) -> dict:
    """One school at one workshop: present of expected, and which lead participants missed it."""
    present = invited = 0
    missed = []
    for contact_id, name, is_lead, status in records:
        present += status == Attendance.Status.PRESENT
        invited += not is_lead
        if is_lead and status in _MISSED_LABELS:
            missed.append(
                {
                    "contact_id": contact_id,
                    "name": name,
                    "status": status,
                    # As the page words it after the name.
                    "label": _MISSED_LABELS[status],
                }
            )
    expected = leads + invited
    return {
        "recorded": workshop["recorded"],
        "held": workshop["held"],
        "present": present,
        "expected": expected,
        "count": f"{present} of {expected}",
        "missed": missed,
    }


def _visit_cells(visits: dict, term_ends: dict, today: date) -> dict:
    """Each school's visit in each term: its state and day, and the links to arrange it."""
    schedule_url = url_for_each("workgroups:visit-schedule")
    record_url = url_for_each("workgroups:visit-record")
    state_label = dict(SupportVisit.State.choices)
    cells = {}
    for key, visit in visits.items():
        state = visit.state_on(today, term_ends.get(visit.term))
        done = visit.status == SupportVisit.Status.DONE
        cells[key] = {
            "state": state,
            "label": state_label[state],
            "day": short_date(visit.visited_on if done else visit.scheduled_for),
            "schedule_url": "" if done else schedule_url(visit.pk),
            "record_url": record_url(visit.pk),
        }
    return cells


_NO_VISIT = {"state": None}


def work_group_page(*, group: WorkGroup, today: date) -> WorkGroupPage:
    """Members, the workshop timeline, the attendance matrix and the visits grid."""
    facts = group.facts
    year = group.academic_year_id
    workshops, records, half_terms = _workshops(group, today)
    members, visits = _member_rows(group)
    visit_terms = list(Term) if facts.termly_support_visits else []
    if visit_terms:
        ends = _term_ends(half_terms)
        if any((year, term) not in ends for term in visit_terms):
            # A term the workshops leave out (each is in its half-term): the year's say.
            ends = _term_ends(_half_terms([year]))
        visits = _visit_cells(visits, {term: ends.get((year, term)) for term in visit_terms}, today)
    flags = []
    for row in members:
        names = list(row["leads"].values())
        wanted = facts.lead_participants_per_school if row["taking_part"] else 0
        row["leads_missing"] = max(0, wanted - len(names))
        row["leads"] = ", ".join(names)
        row["attendance"] = []
        for workshop in workshops:
            cell = _attendance_cell(
                workshop, len(names), records.get((row["pk"], workshop["pk"]), ())
            )
            row["attendance"].append(cell)
            flags.extend(
                {**absence, "school": row["school"], "number": workshop["number"]}
                for absence in cell["missed"]
            )
        row["visits"] = []
        for term in visit_terms:
            cell = visits.get((row["pk"], term), _NO_VISIT)
            if cell is not _NO_VISIT:
                # What the links' hidden text names: "the autumn visit to Hill Top Primary School".
                cell["name"] = f"the {term.label.lower()} visit to {row['school']}"
            row["visits"].append(cell)
    return WorkGroupPage(
        members=members,
        workshops=workshops,
        visit_terms=visit_terms,
        flags=flags,
        places_taken=sum(row["taking_part"] for row in members),
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
    records = {a.contact_id: a for a in workshop.attendances.select_related("contact").order_by()}
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


def workshop_people_to_tell(
    workshop: Workshop, *, host_school_ids=(), attendees: list[AttendeeRow] | None = None
) -> list[SchoolContact]:
    """Whom a workshop's new day, time or host is e-mailed to, each once (by e-mail address):
    everyone expected (`workshop_attendees`), then the contacts of the host schools given (the
    new host, and the old one when it moves)."""
    attendees = workshop_attendees(workshop) if attendees is None else attendees
    hosts = SchoolContact.objects.filter(school__in=[pk for pk in host_school_ids if pk])
    people = {}
    for contact in [
        *(row.contact for row in attendees),
        *hosts.select_related("user").order_by("school__name", "role", "name"),
    ]:
        email = (contact.email or "").strip().lower()
        if email:
            people.setdefault(email, contact)
    return list(people.values())


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
            # Each workshop's records in name order; the visits are put in term order below.
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("contact").order_by("contact__name"),
            ),
            Prefetch("support_visits", queryset=SupportVisit.objects.order_by()),
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


def _participation_urls(school: School, user, participations) -> dict[int, str]:
    """The page of each participation `user` may open: the group's page of the school for
    those who oversee the group, and for the school's own contacts their "Our work groups" page
    (this year's and next year's groups; one query, none without a user)."""
    if user is None or not user.is_authenticated or not participations:
        return {}
    overseen = set(
        WorkGroup.objects.overseen_by(user)
        .filter(participations__school=school)
        .values_list("pk", flat=True)
    )
    is_contact = school.pk in roles_for(user).contact_school_ids
    this_year = current_start_year()
    urls = {}
    for participation in participations:
        if participation.work_group_id in overseen:
            urls[participation.pk] = reverse(
                "workgroups:participation-detail", args=[participation.pk]
            )
        elif is_contact and participation.academic_year.start_year >= this_year:
            urls[participation.pk] = (
                reverse("workgroups:my-participation") + f"#participation-{participation.pk}"
            )
    return urls


def pathway_entries(school: School, user=None) -> list[PathwayEntry]:
    """The school page's pathway timeline, one entry per participation (one query, and one more
    for the links `user` may follow)."""
    entries = []
    participations = list(school_pathway(school))
    urls = _participation_urls(school, user, participations)
    for participation in participations:
        group = participation.work_group
        lead = f", led by {group.lead.user.get_full_name()}" if group.lead_id else ""
        withdrawn = participation.status == Participation.Status.WITHDRAWN
        entries.append(
            PathwayEntry(
                academic_year=participation.academic_year.name,
                phase=participation.get_phase_display(),
                title=f"{group.code} {group.title}{lead}",
                status=participation.get_status_display(),
                note=participation.withdrawn_reason if withdrawn else "",
                url=urls.get(participation.pk, ""),
                hub_id=group.hub_id,
            )
        )
    return entries


def next_steps(school: School, user, steps: list) -> list[NextStep]:
    """For the school's own contacts: each group the school takes part in this year or next,
    with its specialist and its next workshop, where and when (two queries)."""
    if user is None or school.pk not in roles_for(user).contact_school_ids:
        return steps
    today = timezone.localdate()
    participations = (
        Participation.objects.taking_part()
        .filter(school=school, academic_year__start_year__gte=current_start_year(today))
        .select_related("academic_year", "work_group__lead__user")
        .prefetch_related(
            Prefetch(
                "work_group__workshops",
                queryset=Workshop.objects.filter(date__gte=today)
                .select_related("host_school")
                .order_by("date", "starts_at"),
                to_attr="coming_workshops",
            )
        )
        .order_by("academic_year__start_year", phase_order())
    )
    my_page = reverse("workgroups:my-participation")
    for participation in participations:
        group = participation.work_group
        lead = group.lead.user if group.lead_id else None
        step = NextStep(
            participation_id=participation.pk,
            title=f"{group.code} {group.title}",
            phase=participation.get_phase_display(),
            academic_year=participation.academic_year.name,
            url=f"{my_page}#participation-{participation.pk}",
            status=participation.get_status_display(),
            specialist=lead.get_full_name() if lead else "",
            specialist_email=lead.email if lead else "",
        )
        workshop = next(iter(group.coming_workshops), None)
        if workshop is not None:
            step.workshop = (
                f"Workshop {workshop.number}: {weekday_date(workshop.date)}, "
                f"{time_range(workshop.starts_at, workshop.ends_at)}"
            )
            if workshop.host_school_id:
                step.workshop_host = workshop.host_school.name
                step.workshop_address = workshop.host_school.address
            step.workshop_calendar_url = reverse("workgroups:workshop-ics", args=[workshop.pk])
        steps.append(step)
    return steps


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


def placement_undo_problems(participation: Participation) -> list[str]:
    """Why a placement can no longer be undone (nothing: it can)."""
    name = participation.school.name
    problems = []
    if participation.status not in (Participation.Status.PLACED, Participation.Status.ACTIVE):
        problems.append(f"{name} has {participation.get_status_display().lower()} the group.")
    if participation.attendances.filter(
        status__in=(Attendance.Status.PRESENT, *Attendance.MISSED)
    ).exists():
        problems.append(f"Attendance has been recorded for {name}.")
    if participation.support_visits.exclude(status=SupportVisit.Status.EXPECTED).exists():
        problems.append(f"A support visit to {name} has been arranged.")
    if participation.grant_status in (
        Participation.GrantStatus.CLAIMED,
        Participation.GrantStatus.PAID,
    ):
        problems.append(f"{name}'s grant has been claimed.")
    return problems
