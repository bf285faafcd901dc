"""The scheduled scans: each finds in the database what is due today and records its e-mails.

Due dates live in the rows themselves (a workshop's day, a visit's day, the term's half-terms, an
expression of interest's age); a scan run each morning by django-celery-beat finds what falls due
and hands each e-mail to `notifications.notify` with a key naming the object and the occasion.
A second run, or two workers running the same scan, record nothing new: the outbox refuses a
second (kind, key, recipient).

Each scan reads in a fixed number of queries, however many workshops, visits or plans there are:
what is due comes in one query with its related rows joined, the people in one or two more, and
what the outbox already holds in one more. Recording each new e-mail then costs a few queries of
its own (O(mails), not O(data)).

A reminder that falls due on a morning when no scan ran (a worker down all day) is still sent the
next morning while it is useful: each "coming up" reminder has a few days' grace, named below.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionPlan
from core.formatting import weekday_date
from enrolment.models import ExpressionOfInterest
from notifications.models import Notification
from notifications.services import notify
from schools.models import HubStaff, SchoolContact
from workgroups.calendars import workshop_ics
from workgroups.models import (
    LONDON,
    AcademicYear,
    Attendance,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
)
from workgroups.programme import HALF_TERMS_OF_TERM

# When each reminder goes: days before (or after) its day, and how many mornings late it may
# still go if a run was missed.
WORKSHOP_NEXT_WEEK_DAYS, WORKSHOP_NEXT_WEEK_GRACE = 7, 2
WORKSHOP_TOMORROW_DAYS = 1
VISIT_COMING_UP_DAYS, VISIT_COMING_UP_GRACE = 3, 1
ATTENDANCE_AFTER_DAYS, ATTENDANCE_GRACE = 2, 7
PLAN_SHARE_AFTER_FIRST_WORKSHOP = timedelta(weeks=4)
PLAN_WRITING_NOTICE_DAYS = 14
EOI_DECISION_DAYS = 10


# The people and the mails ------------------------------------------------------------------------


@dataclass
class Person:
    email: str
    name: str
    user: object | None = None
    # Why this person gets the mail, for its wording: "lead" (of the work group), "participant"
    # (a school's lead participant), "invited", "host" (a contact of the host school), "school"
    # (a contact of the school concerned), "hub_lead".
    roles: list[str] = field(default_factory=list)


class People:
    """Recipients by e-mail address, each once, with every reason they get the mail."""

    def __init__(self):
        self._by_email: dict[str, Person] = {}

    def add(self, email: str, name: str, user=None, role: str = "") -> None:
        email = (email or "").strip().lower()
        if not email:
            return
        person = self._by_email.setdefault(email, Person(email=email, name=name, user=user))
        person.user = person.user or user
        if role and role not in person.roles:
            person.roles.append(role)

    def add_contact(self, contact: SchoolContact, role: str = "") -> None:
        self.add(contact.email, contact.name, contact.user, role)

    def add_user(self, user, role: str = "") -> None:
        self.add(user.email, user.get_full_name(), user, role)

    def __iter__(self):
        return iter(self._by_email.values())


@dataclass
class Mail:
    kind: str
    key: str
    to: Person
    subject: str
    template: str
    context: dict
    hub: object
    optional: bool | str = True
    # Made only for a mail that is new: a second run builds no calendar files.
    attachments: Callable[[], tuple] = tuple


def _record(mails: list[Mail]) -> int:
    """Record the mails the outbox does not hold yet (found in one query); return how many."""
    if not mails:
        return 0
    held = set(
        Notification.objects.filter(
            kind__in={mail.kind for mail in mails}, key__in={mail.key for mail in mails}
        ).values_list("kind", "key", "recipient")
    )
    new = [mail for mail in mails if (mail.kind, mail.key, mail.to.email) not in held]
    for mail in new:
        notify(
            kind=mail.kind,
            key=mail.key,
            to=mail.to.email,
            user=mail.to.user,
            subject=mail.subject,
            template=mail.template,
            context={**mail.context, "person": mail.to},
            hub=mail.hub,
            optional=mail.optional,
            attachments=mail.attachments(),
        )
    return len(new)


# Shared reads -----------------------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, LONDON)


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _contacts_by_school(school_ids) -> dict[int, list[SchoolContact]]:
    """Every contact of these schools, with their accounts: one query."""
    by_school = defaultdict(list)
    contacts = SchoolContact.objects.filter(school__in=set(school_ids)).select_related("user")
    for contact in contacts.order_by("school_id", "role", "name"):
        by_school[contact.school_id].append(contact)
    return by_school


def _hub_leads(hub_ids) -> dict[int, list]:
    """Each hub's leads as users: one query."""
    by_hub = defaultdict(list)
    leads = HubStaff.objects.filter(hub__in=set(hub_ids), role=HubStaff.Role.HUB_LEAD)
    for member in leads.select_related("user").order_by("hub_id", "user__email"):
        by_hub[member.hub_id].append(member.user)
    return by_hub


def _with_schools_taking_part():
    return Exists(Participation.objects.taking_part().filter(work_group=OuterRef("work_group")))


def _not_completed(queryset, group_path: str = "work_group"):
    return queryset.exclude(**{f"{group_path}__status": WorkGroup.Status.COMPLETED})


def _this_years_participations(today: date):
    """Schools taking part this academic year in groups still running: whose plans are due."""
    return _not_completed(
        Participation.objects.taking_part().filter(
            academic_year__starts_on__lte=today, academic_year__ends_on__gte=today
        )
    )


def _attendance_missing(today: date):
    """Workshops held at least two days ago whose attendance nobody has recorded."""
    return _not_completed(
        Workshop.objects.filter(
            status=Workshop.Status.SCHEDULED,
            date__lte=today - timedelta(days=ATTENDANCE_AFTER_DAYS),
            attendance_recorded_at__isnull=True,
        ).filter(_with_schools_taking_part())
    )


def _plans_not_shared(today: date):
    """Participations four weeks past their group's first workshop without a shared plan."""
    first_workshop = (
        Workshop.objects.filter(
            work_group=OuterRef("work_group"), status=Workshop.Status.SCHEDULED, date__isnull=False
        )
        .order_by("date")
        .values("date")[:1]
    )
    return (
        _this_years_participations(today)
        .annotate(first_workshop_on=Subquery(first_workshop))
        .filter(first_workshop_on__lte=today - PLAN_SHARE_AFTER_FIRST_WORKSHOP)
        .filter(Q(action_plan__isnull=True) | Q(action_plan__shared_at__isnull=True))
    )


def _eois_waiting(today: date):
    """Expressions of interest waiting for the hub's decision more than ten days."""
    return ExpressionOfInterest.objects.filter(
        status=ExpressionOfInterest.Status.TO_REVIEW,
        created_at__lt=_start_of(today) - timedelta(days=EOI_DECISION_DAYS),
    )


def _calendar_attachment(workshop: Workshop) -> Callable[[], tuple]:
    """The workshop's calendar file, made once, and only if some new mail needs it."""
    return cache(
        lambda: ((f"workshop-{workshop.pk}.ics", workshop_ics(workshop), "text/calendar"),)
    )


# Workshops -------------------------------------------------------------------------------------


def workshops_coming_up(*, today: date | None = None) -> int:
    """Workshops next week and tomorrow: participants, invited teachers, host school, lead."""
    today = _today(today)
    next_week = (
        today + timedelta(days=WORKSHOP_NEXT_WEEK_DAYS - WORKSHOP_NEXT_WEEK_GRACE),
        today + timedelta(days=WORKSHOP_NEXT_WEEK_DAYS),
    )
    tomorrow = today + timedelta(days=WORKSHOP_TOMORROW_DAYS)
    workshops = list(
        _not_completed(
            Workshop.objects.filter(status=Workshop.Status.SCHEDULED).filter(
                Q(date__range=next_week) | Q(date=tomorrow)
            )
        )
        .select_related("work_group__hub", "work_group__lead__user", "host_school")
        .order_by("date", "pk")
    )
    if not workshops:
        return 0
    participations = defaultdict(list)
    for participation in (
        Participation.objects.filter(work_group__in={w.work_group_id for w in workshops})
        .select_related("school")
        .prefetch_related(
            Prefetch("lead_participants", queryset=SchoolContact.objects.select_related("user"))
        )
    ):
        participations[participation.work_group_id].append(participation)
    invited = defaultdict(list)
    for attendance in (
        Attendance.objects.filter(workshop__in=workshops, is_lead_participant=False)
        .exclude(participation__status=Participation.Status.WITHDRAWN)
        .select_related("contact__user")
    ):
        invited[attendance.workshop_id].append(attendance.contact)
    hosts = _contacts_by_school(w.host_school_id for w in workshops if w.host_school_id)

    mails = []
    for workshop in workshops:
        group = workshop.work_group
        people = People()
        withdrawn = set()
        for participation in participations[group.pk]:
            if not participation.is_taking_part:
                withdrawn.add(participation.school_id)
                continue
            for contact in participation.lead_participants.all():
                people.add_contact(contact, role="participant")
        for contact in invited[workshop.pk]:
            people.add_contact(contact, role="invited")
        if workshop.host_school_id not in withdrawn:
            for contact in hosts[workshop.host_school_id]:
                people.add_contact(contact, role="host")
        if group.lead_id:
            people.add_user(group.lead.user, role="lead")
        occasion = "tomorrow" if workshop.date == tomorrow else "next_week"
        when = "tomorrow" if occasion == "tomorrow" else "next week"
        calendar_file = _calendar_attachment(workshop)
        mails += [
            Mail(
                kind=f"workshop_{occasion}",
                key=f"workshop:{workshop.pk}:{occasion}:{workshop.date.isoformat()}",
                to=person,
                subject=(
                    f"Workshop {when}: {group.code} workshop {workshop.number}, "
                    f"{weekday_date(workshop.date, year=False)}"
                ),
                template="reminders/email/workshop_coming_up",
                context={
                    "workshop": workshop,
                    "group": group,
                    "hub": group.hub,
                    "when": when,
                    "url": _url("workgroups:workshop-detail", workshop.pk),
                },
                hub=group.hub,
                attachments=calendar_file,
            )
            for person in people
        ]
    return _record(mails)


def attendance_not_recorded(*, today: date | None = None) -> int:
    """Two days after a workshop with no attendance recorded: its lead."""
    today = _today(today)
    workshops = (
        _attendance_missing(today)
        .filter(
            date__gte=today - timedelta(days=ATTENDANCE_AFTER_DAYS + ATTENDANCE_GRACE),
            work_group__lead__isnull=False,
        )
        .select_related("work_group__hub", "work_group__lead__user")
        .order_by("date", "pk")
    )
    mails = []
    for workshop in workshops:
        group = workshop.work_group
        people = People()
        people.add_user(group.lead.user, role="lead")
        mails += [
            Mail(
                kind="attendance_not_recorded",
                key=f"workshop:{workshop.pk}:attendance:{workshop.date.isoformat()}",
                to=person,
                subject=f"Record attendance: {group.code} workshop {workshop.number}",
                template="reminders/email/attendance_not_recorded",
                context={
                    "workshop": workshop,
                    "group": group,
                    "hub": group.hub,
                    "url": _url("workgroups:attendance-mark", workshop.pk),
                },
                hub=group.hub,
            )
            for person in people
        ]
    return _record(mails)


# Support visits ------------------------------------------------------------------------------


def _open_visits(queryset):
    return _not_completed(
        queryset.exclude(participation__status=Participation.Status.WITHDRAWN),
        "participation__work_group",
    ).select_related(
        "participation__school",
        "participation__work_group__hub",
        "participation__work_group__lead__user",
    )


def support_visits_coming_up(*, today: date | None = None) -> int:
    """Support visits in three days: the school's contacts and the lead."""
    today = _today(today)
    window = (
        today + timedelta(days=VISIT_COMING_UP_DAYS - VISIT_COMING_UP_GRACE),
        today + timedelta(days=VISIT_COMING_UP_DAYS),
    )
    visits = list(
        _open_visits(
            SupportVisit.objects.filter(
                status=SupportVisit.Status.SCHEDULED, scheduled_for__range=window
            )
        ).order_by("scheduled_for", "pk")
    )
    contacts = _contacts_by_school(v.participation.school_id for v in visits)
    mails = []
    for visit in visits:
        participation = visit.participation
        group = participation.work_group
        people = People()
        for contact in contacts[participation.school_id]:
            people.add_contact(contact, role="school")
        if group.lead_id:
            people.add_user(group.lead.user, role="lead")
        mails += [
            Mail(
                kind="visit_coming_up",
                key=f"visit:{visit.pk}:coming_up:{visit.scheduled_for.isoformat()}",
                to=person,
                subject=(
                    f"Support visit on {weekday_date(visit.scheduled_for, year=False)}: "
                    f"{participation.school.name}"
                ),
                template="reminders/email/visit_coming_up",
                context={
                    "visit": visit,
                    "school": participation.school,
                    "group": group,
                    "hub": group.hub,
                    "url": _url("workgroups:participation-detail", participation.pk),
                },
                hub=group.hub,
            )
            for person in people
        ]
    return _record(mails)


def _terms_past_mid_term(today: date) -> Q:
    """The (year, term) pairs whose first half-term is over and whose second is not."""
    due = Q(pk__in=[])
    years = AcademicYear.objects.filter(starts_on__lte=today, ends_on__gte=today)
    for year in years.prefetch_related("half_terms"):
        half_terms = {half_term.number: half_term for half_term in year.half_terms.all()}
        for term, (first, last) in HALF_TERMS_OF_TERM.items():
            known = first in half_terms and last in half_terms
            if known and half_terms[first].ends_on < today <= half_terms[last].ends_on:
                due |= Q(participation__academic_year=year, term=term)
    return due


def visits_not_scheduled(*, today: date | None = None) -> int:
    """Past mid-term with this term's visits not yet scheduled: the lead, one mail per group."""
    today = _today(today)
    visits = _open_visits(
        SupportVisit.objects.filter(
            _terms_past_mid_term(today),
            status=SupportVisit.Status.EXPECTED,
            participation__work_group__lead__isnull=False,
        )
    ).order_by("participation__work_group_id", "participation__school__name")
    by_group = defaultdict(list)
    for visit in visits:
        by_group[(visit.participation.work_group_id, visit.term)].append(visit)
    mails = []
    for (group_id, term), group_visits in by_group.items():
        group = group_visits[0].participation.work_group
        term_name = group_visits[0].get_term_display().lower()
        people = People()
        people.add_user(group.lead.user, role="lead")
        mails += [
            Mail(
                kind="visits_not_scheduled",
                key=f"workgroup:{group_id}:visits_not_scheduled:{term}",
                to=person,
                subject=(
                    f"{group.code}: {len(group_visits)} {term_name} term "
                    f"visit{'s' if len(group_visits) != 1 else ''} not yet scheduled"
                ),
                template="reminders/email/visits_not_scheduled",
                context={
                    "group": group,
                    "hub": group.hub,
                    "visits": group_visits,
                    "url": _url("workgroups:work-group-detail", group.pk),
                },
                hub=group.hub,
            )
            for person in people
        ]
    return _record(mails)


# Action plans ----------------------------------------------------------------------------------


def _plan_reminders(participations, *, kind: str, subject: str, template: str, **extra) -> int:
    """One mail to each contact of each school in `participations` (one query for contacts)."""
    participations = list(
        participations.select_related(
            "school", "work_group__hub", "work_group__lead__user", "action_plan"
        ).order_by("work_group_id", "school__name")
    )
    contacts = _contacts_by_school(p.school_id for p in participations)
    mails = []
    for participation in participations:
        group = participation.work_group
        people = People()
        for contact in contacts[participation.school_id]:
            people.add_contact(contact, role="school")
        context = {
            "participation": participation,
            "school": participation.school,
            "group": group,
            "hub": group.hub,
            "url": _url("actionplans:participation-plan", participation.pk),
            **extra,
        }
        mails += [
            Mail(
                kind=kind,
                key=f"participation:{participation.pk}:{kind}",
                to=person,
                subject=f"{subject}: {participation.school.name}, {group.code}",
                template=template,
                context=context,
                hub=group.hub,
            )
            for person in people
        ]
    return _record(mails)


def action_plans_not_shared(*, today: date | None = None) -> int:
    """Four weeks after the group's first workshop with no plan shared: the school's contacts."""
    today = _today(today)
    return _plan_reminders(
        _plans_not_shared(today),
        kind="action_plan_not_shared",
        subject="Please share your action plan",
        template="reminders/email/action_plan_not_shared",
    )


@dataclass(frozen=True)
class PlanMilestone:
    """A part of the action plan the school writes before one of the group's workshops."""

    kind: str
    field: str
    name: str
    workshop_number: int


MID_YEAR_REVIEW = PlanMilestone("mid_year_review_due", "mid_year_review", "mid-year review", 4)
END_OF_YEAR_REFLECTION = PlanMilestone(
    "end_of_year_reflection_due", "end_of_year_reflection", "end-of-year reflection", 6
)


def _plan_milestone_due(milestone: PlanMilestone, today: date) -> int:
    workshop_on = (
        Workshop.objects.filter(
            work_group=OuterRef("work_group"),
            number=milestone.workshop_number,
            status=Workshop.Status.SCHEDULED,
        )
        .order_by()
        .values("date")[:1]
    )
    participations = (
        _this_years_participations(today)
        .annotate(workshop_on=Subquery(workshop_on))
        .filter(workshop_on__range=(today, today + timedelta(days=PLAN_WRITING_NOTICE_DAYS)))
        .filter(Q(action_plan__isnull=True) | Q(**{f"action_plan__{milestone.field}": ""}))
    )
    return _plan_reminders(
        participations,
        kind=milestone.kind,
        subject=f"Your {milestone.name} is due",
        template="reminders/email/plan_milestone_due",
        milestone=milestone,
    )


def mid_year_reviews_due(*, today: date | None = None) -> int:
    """The fourth workshop is within two weeks and the mid-year review is empty: the school."""
    return _plan_milestone_due(MID_YEAR_REVIEW, _today(today))


def end_of_year_reflections_due(*, today: date | None = None) -> int:
    """The sixth workshop is within two weeks and the reflection is empty: the school."""
    return _plan_milestone_due(END_OF_YEAR_REFLECTION, _today(today))


# The hub lead's digests ------------------------------------------------------------------------


def _hub_lead_mails(hubs: dict, *, kind: str, key: str, subject: str, template: str, contexts):
    """One digest to each lead of each hub (falling back to the hub's address): one query."""
    leads = _hub_leads(hubs)
    mails = []
    for hub_id, hub in hubs.items():
        people = People()
        for user in leads[hub_id]:
            people.add_user(user, role="hub_lead")
        if not leads[hub_id] and hub.contact_email:
            people.add(hub.contact_email, hub.name, role="hub_lead")
        mails += [
            Mail(
                kind=kind,
                key=key.format(hub=hub_id),
                to=person,
                subject=subject.format(hub=hub.name),
                template=template,
                context={"hub": hub, **contexts[hub_id]},
                hub=hub,
                optional="digests",
            )
            for person in people
        ]
    return _record(mails)


def eois_waiting(*, today: date | None = None) -> int:
    """Each morning that some wait more than ten days: a digest of them to the hub's leads."""
    today = _today(today)
    eois = _eois_waiting(today).select_related("school", "hub", "academic_year")
    hubs, waiting = {}, defaultdict(list)
    for eoi in eois.order_by("hub_id", "created_at"):
        hubs[eoi.hub_id] = eoi.hub
        days = (today - timezone.localtime(eoi.created_at).date()).days
        waiting[eoi.hub_id].append((eoi, days, _url("enrolment:eoi-detail", eoi.reference)))
    return _hub_lead_mails(
        hubs,
        kind="eois_waiting",
        key=f"hub:{{hub}}:eois_waiting:{today.isoformat()}",
        subject="Expressions of interest waiting for your decision ({hub})",
        template="reminders/email/eois_waiting",
        contexts={
            hub_id: {"waiting": rows, "list_url": _url("enrolment:eoi-list")}
            for hub_id, rows in waiting.items()
        },
    )


def mails_given_up(*, today: date | None = None) -> int:
    """Each morning after some of a hub's mail was given up (tried for a day and never
    accepted by the mail server): a note of them to the hub's leads, with the outbox to act."""
    today = _today(today)
    given_up = (
        Notification.objects.filter(
            status=Notification.Status.FAILED,
            updated_at__gte=_start_of(today - timedelta(days=1)),
            updated_at__lt=_start_of(today),
            hub__isnull=False,
        )
        .exclude(kind="mails_given_up")
        .select_related("hub")
        .order_by("hub_id", "created_at")
    )
    outbox_url = _url("notifications:outbox-list") + "?status=failed"
    hubs, mails = {}, defaultdict(list)
    for notification in given_up:
        hubs[notification.hub_id] = notification.hub
        mails[notification.hub_id].append(notification)
    return _hub_lead_mails(
        hubs,
        kind="mails_given_up",
        key=f"hub:{{hub}}:mails_given_up:{today.isoformat()}",
        subject="E-mails that could not be sent ({hub})",
        template="reminders/email/mails_given_up",
        contexts={
            hub_id: {"mails": rows, "outbox_url": outbox_url} for hub_id, rows in mails.items()
        },
    )


def _count_by_hub(queryset, hub_path: str) -> dict[int, int]:
    """How many rows per hub: one grouped query."""
    rows = queryset.order_by().values(hub_path).annotate(n=Count("pk", distinct=True))
    return {row[hub_path]: row["n"] for row in rows}


@dataclass(frozen=True)
class DigestLine:
    label: str
    count: int
    url: str = ""


def weekly_digest(*, today: date | None = None) -> int:
    """Once a week, to each hub lead: what happened in the last seven days and what is overdue."""
    today = _today(today)
    since_day = today - timedelta(days=7)
    since = _start_of(since_day)
    visit_hub = "participation__work_group__hub"
    # (label, count per hub, the page to act on it)
    happened = [
        (
            "Expressions of interest received",
            _count_by_hub(ExpressionOfInterest.objects.filter(created_at__gte=since), "hub"),
            "enrolment:eoi-list",
        ),
        (
            "Schools placed in work groups",
            _count_by_hub(Participation.objects.filter(placed_at__gte=since), "work_group__hub"),
            None,
        ),
        (
            "Workshops held",
            _count_by_hub(
                Workshop.objects.filter(
                    status=Workshop.Status.SCHEDULED, date__gte=since_day, date__lt=today
                ),
                "work_group__hub",
            ),
            None,
        ),
        (
            "Support visits done",
            _count_by_hub(
                SupportVisit.objects.filter(
                    status=SupportVisit.Status.DONE,
                    visited_on__gte=since_day,
                    visited_on__lt=today,
                ),
                visit_hub,
            ),
            None,
        ),
        (
            "Action plans shared",
            _count_by_hub(ActionPlan.objects.filter(shared_at__gte=since), visit_hub),
            None,
        ),
        (
            "E-mails that failed",
            _count_by_hub(
                Notification.objects.filter(
                    status=Notification.Status.FAILED, updated_at__gte=since
                ),
                "hub",
            ),
            "notifications:outbox-list",
        ),
    ]
    overdue = [
        (
            f"Expressions of interest waiting more than {EOI_DECISION_DAYS} days",
            _count_by_hub(_eois_waiting(today), "hub"),
            "enrolment:eoi-list",
        ),
        (
            "Workshops with attendance not recorded",
            _count_by_hub(_attendance_missing(today), "work_group__hub"),
            "workgroups:cohort",
        ),
        (
            "Support visits overdue",
            _count_by_hub(SupportVisit.objects.overdue_on(today), visit_hub),
            "workgroups:cohort",
        ),
        (
            "Action plans not shared 4 weeks after the first workshop",
            _count_by_hub(_plans_not_shared(today), "work_group__hub"),
            None,
        ),
    ]
    hubs = {
        member.hub_id: member.hub
        for member in HubStaff.objects.filter(role=HubStaff.Role.HUB_LEAD).select_related("hub")
    }

    def lines(measures, hub_id: int) -> list[DigestLine]:
        return [
            DigestLine(label, counts.get(hub_id, 0), _url(link) if link else "")
            for label, counts, link in measures
        ]

    year, week, _ = today.isocalendar()
    return _hub_lead_mails(
        hubs,
        kind="weekly_digest",
        key=f"hub:{{hub}}:weekly:{year}-W{week:02d}",
        subject=f"Your hub's week to {weekday_date(today, year=False)} ({{hub}})",
        template="reminders/email/weekly_digest",
        contexts={
            hub_id: {
                "happened": lines(happened, hub_id),
                "overdue": lines(overdue, hub_id),
                "since": since_day,
                "today": today,
                "hub_url": _url("schools:hub-detail", hub.slug),
                "plans_url": _url("actionplans:hub-overview", hub.slug),
            }
            for hub_id, hub in hubs.items()
        },
    )
