"""Academic years, work groups, participations, workshops, attendance and support visits."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from simple_history.models import HistoricalRecords

from core.formatting import academic_year_name
from core.roles import roles_for
from core.tokens import hash_token
from schools.models import HubStaff, School, SchoolContact

from .programme import HALF_TERMS_OF_TERM, PHASES, TERM_OF_HALF_TERM, Phase, Strand, Term

# The programme runs in England: every date and time in it is London time.
LONDON = ZoneInfo("Europe/London")


def phase_order():
    """An expression sorting by the pathway order of the phase, not alphabetically."""
    return Case(
        *(When(phase=phase, then=Value(index)) for index, phase in enumerate(Phase)),
        output_field=IntegerField(),
    )


class AcademicYear(models.Model):
    """A school year, 1 September to 31 August, written 2025/26."""

    start_year = models.PositiveSmallIntegerField(unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["start_year"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_for(self.start_year)

    @staticmethod
    def name_for(start_year: int) -> str:
        return academic_year_name(start_year)

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on >= self.ends_on:
            raise ValidationError("The year must start before it ends.")

    @staticmethod
    def default_dates(start_year: int) -> tuple[date, date]:
        return date(start_year, 9, 1), date(start_year + 1, 8, 31)

    @staticmethod
    def start_year_for(day: date) -> int:
        """The academic year a day falls in: September onwards belongs to the new year."""
        return day.year if day.month >= 9 else day.year - 1

    def term_dates(self) -> dict[str, tuple[date, date]]:
        """Each term's first and last day, from the year's half-terms (prefetch them)."""
        half_terms = {h.number: h for h in self.half_terms.all()}
        return {
            term: (half_terms[first].starts_on, half_terms[last].ends_on)
            for term, (first, last) in HALF_TERMS_OF_TERM.items()
            if first in half_terms and last in half_terms
        }


class HalfTerm(models.Model):
    """One of the six half-terms of a year; staff adjust the dates to the local calendar."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="half_terms"
    )
    number = models.PositiveSmallIntegerField(choices=[(n, f"Half-term {n}") for n in range(1, 7)])
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["academic_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "number"], name="unique_half_term")
        ]

    def __str__(self):
        return f"{self.academic_year} half-term {self.number}"

    @property
    def term(self) -> Term:
        return TERM_OF_HALF_TERM[self.number]

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError("A half-term must start before it ends.")
        year = self.academic_year if self.academic_year_id else None
        dated = year and self.starts_on and self.ends_on
        if dated and (self.starts_on < year.starts_on or self.ends_on > year.ends_on):
            raise ValidationError(
                f"Half-term {self.number} must fall within {year} "
                f"({year.starts_on:%-d %B %Y} to {year.ends_on:%-d %B %Y})."
            )


class WorkGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all; hub lead: the hub's; lead: their own; school contact: their school's."""
        if not user.is_authenticated:
            return self.none()
        roles = roles_for(user)
        if roles.everywhere:
            return self
        contact_groups = Participation.objects.filter(
            school_id__in=roles.contact_school_ids
        ).values("work_group")
        return self.filter(
            Q(hub_id__in=roles.hub_lead_hub_ids) | Q(lead__user=user) | Q(pk__in=contact_groups)
        )

    def overseen_by(self, user):
        """The groups whose full page (every school's records) a person may open."""
        if not user.is_authenticated:
            return self.none()
        roles = roles_for(user)
        if roles.is_national_staff:
            return self
        return self.filter(Q(hub_id__in=roles.hub_lead_hub_ids) | Q(lead__user=user))

    def open_for_interest(self):
        return self.filter(status=WorkGroup.Status.OPEN)

    def in_pathway_order(self):
        return self.order_by(phase_order(), "code")

    def with_places_taken(self):
        return self.annotate(
            places_taken=Count(
                "participations",
                filter=~Q(participations__status=Participation.Status.WITHDRAWN),
            )
        )


class WorkGroup(models.Model):
    """One hub's group of schools in one phase for one academic year, led by a specialist."""

    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        OPEN = "open", "Open for expressions of interest"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"

    DEFAULT_CAPACITY = 7

    hub = models.ForeignKey("schools.Hub", on_delete=models.PROTECT, related_name="work_groups")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="work_groups"
    )
    code = models.CharField(
        max_length=40,
        unique=True,
        help_text="The national project code with the hub's suffix, e.g. NCP25-11-03.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(
        HubStaff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_groups_led",
        help_text="A Mastery Specialist of the hub (a Readiness Lead for Readiness groups).",
    )
    capacity = models.PositiveSmallIntegerField(
        default=DEFAULT_CAPACITY, help_text="The most schools the group takes."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text="Last year's group this one continues.",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = WorkGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-academic_year__start_year", "hub", "phase", "code"]
        indexes = [models.Index(fields=["hub", "academic_year", "phase"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="work_group_capacity_positive"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def facts(self):
        return PHASES[self.phase]

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    def clean(self):
        if self.lead_id is None or self.hub_id is None:
            return
        lead = self.lead
        if lead.hub_id != self.hub_id:
            raise ValidationError({"lead": "The lead must be a member of this hub's staff."})
        allowed = {HubStaff.Role.MASTERY_SPECIALIST}
        if self.phase == Phase.READINESS:
            allowed.add(HubStaff.Role.READINESS_LEAD)
        if lead.role not in allowed:
            raise ValidationError(
                {
                    "lead": "The lead must be a Mastery Specialist of the hub"
                    + (" (or its Readiness Lead)." if self.phase == Phase.READINESS else ".")
                }
            )


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all; hub lead: the hub's; lead: their groups'; school contact: their school's."""
        if not user.is_authenticated:
            return self.none()
        roles = roles_for(user)
        if roles.everywhere:
            return self
        return self.filter(
            Q(work_group__hub_id__in=roles.hub_lead_hub_ids)
            | Q(work_group__lead__user=user)
            | Q(school_id__in=roles.contact_school_ids)
        )

    def taking_part(self):
        """Not withdrawn: the places that count against a group's capacity."""
        return self.exclude(status=Participation.Status.WITHDRAWN)


class Participation(models.Model):
    """A school in a work group for the year."""

    class Status(models.TextChoices):
        PLACED = "placed", "Placed"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    class GrantStatus(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", "No grant"
        DUE = "due", "Due"
        CLAIMED = "claimed", "Claimed"
        PAID = "paid", "Paid"

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="participations")
    work_group = models.ForeignKey(
        WorkGroup, on_delete=models.PROTECT, related_name="participations"
    )
    # Copied from the work group so that the database itself holds "one group per phase per
    # year" as a unique constraint; a group's phase and year never change once it has schools.
    phase = models.CharField(max_length=20, choices=Phase.choices, editable=False)
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="+", editable=False
    )
    lead_participants = models.ManyToManyField(
        SchoolContact, blank=True, related_name="participations_led"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLACED)
    withdrawn_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    grant_status = models.CharField(
        max_length=20, choices=GrantStatus.choices, default=GrantStatus.NOT_APPLICABLE
    )
    grant_amount = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    grant_claimed_on = models.DateField(null=True, blank=True)
    grant_paid_on = models.DateField(null=True, blank=True)
    release_days_used = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    placed_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["phase", "academic_year"])

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["work_group", "school__name"]
        constraints = [
            # A withdrawn school keeps its record but may move to another group of the phase.
            models.UniqueConstraint(
                fields=["school", "phase", "academic_year"],
                condition=~Q(status="withdrawn"),
                name="one_work_group_per_phase_per_year",
                violation_error_message=(
                    "This school already takes part in a work group of this phase this year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.school.name} in {self.work_group.code}"

    def save(self, *args, **kwargs):
        self.phase = self.work_group.phase
        self.academic_year_id = self.work_group.academic_year_id
        super().save(*args, **kwargs)

    @property
    def is_taking_part(self) -> bool:
        return self.status != self.Status.WITHDRAWN


class SchoolPathway(models.Model):
    """A school's first year in each phase, and in any phase: what it has reached by a year.

    A summary of the school's participations (withdrawn ones aside), kept by the services that
    place and withdraw schools in the same transaction, so the funnel and coverage figures read
    one small row per school instead of every participation. `rebuild_summaries` makes it again
    from the participations and changes nothing when it is right.
    """

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, primary_key=True, related_name="pathway_years"
    )
    first_year = models.PositiveSmallIntegerField()
    readiness = models.PositiveSmallIntegerField(null=True)
    development = models.PositiveSmallIntegerField(null=True)
    embedding = models.PositiveSmallIntegerField(null=True)
    sustaining = models.PositiveSmallIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.school_id}: from {self.first_year}"


class HubPathwayYear(models.Model):
    """How many schools of a hub's area first took part in each phase in a year: the pathway
    funnel and the coverage a hub's figures show add these up to the year asked for.

    A summary of the schools' pathways, kept by the services that place and withdraw schools
    and, when the register moves schools between hubs or opens and closes them, by the receiver
    of the register's signal; `rebuild_summaries` makes it again.
    """

    hub = models.ForeignKey("schools.Hub", on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    schools = models.PositiveIntegerField(default=0)  # first year in any phase
    open_primary = models.PositiveIntegerField(default=0)  # of those, open primaries today
    readiness = models.PositiveIntegerField(default=0)
    development = models.PositiveIntegerField(default=0)
    embedding = models.PositiveIntegerField(default=0)
    sustaining = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "start_year"], name="one_pathway_row_a_hub_year")
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} in {self.start_year}: {self.schools} schools began"


class HubYear(models.Model):
    """The figures of a hub's work groups in one year: places, grants, release days,
    attendance and support visits, one small row for the dashboard, the year on year and the
    national view to read.

    Kept by the services that change what it counts, in their transaction, so it is never
    stale; `rebuild_summaries` makes it again. Whether an open visit is overdue depends on the
    day it is read, so open visits are kept counted by term, status and planned day.
    """

    hub = models.ForeignKey("schools.Hub", on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    work_groups = models.PositiveIntegerField(default=0)
    capacity = models.PositiveIntegerField(default=0)
    schools = models.PositiveIntegerField(default=0)  # taking part, in any phase
    places = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    readiness = models.PositiveIntegerField(default=0)  # schools taking part in each phase
    development = models.PositiveIntegerField(default=0)
    embedding = models.PositiveIntegerField(default=0)
    sustaining = models.PositiveIntegerField(default=0)
    release_days_used = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    release_days_allowed = models.PositiveIntegerField(default=0)
    grants_due = models.PositiveIntegerField(default=0)
    grants_due_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    grants_claimed = models.PositiveIntegerField(default=0)
    grants_claimed_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    grants_paid = models.PositiveIntegerField(default=0)
    grants_paid_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    attendance_present = models.PositiveIntegerField(default=0)
    attendance_recorded = models.PositiveIntegerField(default=0)
    below_full_attendance = models.PositiveIntegerField(default=0)
    visits_due = models.PositiveIntegerField(default=0)
    visits_done = models.PositiveIntegerField(default=0)
    # [term, status, planned day (ISO) or null, how many] for every visit not yet done.
    open_visits = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "start_year"], name="one_row_a_hub_year")
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} in {self.start_year}"


class WorkshopQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(work_group__in=WorkGroup.objects.visible_to(user))


class Workshop(models.Model):
    """One of a work group's six half-day workshops, one per half-term."""

    class Session(models.TextChoices):
        MORNING = "morning", "Morning"
        AFTERNOON = "afternoon", "Afternoon"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    # Default half-day times; the specialist can change them per workshop.
    SESSION_TIMES = {
        Session.MORNING: (time(9, 0), time(12, 0)),
        Session.AFTERNOON: (time(13, 0), time(16, 0)),
    }

    work_group = models.ForeignKey(WorkGroup, on_delete=models.CASCADE, related_name="workshops")
    number = models.PositiveSmallIntegerField()
    half_term = models.ForeignKey(
        HalfTerm, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshops"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    date = models.DateField(null=True, blank=True)
    session = models.CharField(max_length=20, choices=Session.choices, default=Session.MORNING)
    starts_at = models.TimeField(default=time(9, 0))
    ends_at = models.TimeField(default=time(12, 0))
    host_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="workshops_hosted"
    )
    strands = models.JSONField(
        default=list, blank=True, help_text="Strands covered: " + ", ".join(Strand.values)
    )
    agenda = models.TextField(blank=True)
    materials = models.TextField(blank=True, help_text="Links to materials, one per line.")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # iCalendar SEQUENCE: bumped whenever the date, time or venue changes, so calendars update.
    sequence = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["work_group", "number"]
        constraints = [
            models.UniqueConstraint(fields=["work_group", "number"], name="unique_workshop_number")
        ]

    def __str__(self):
        return f"{self.work_group.code} workshop {self.number}"

    def clean(self):
        unknown = set(self.strands or []) - set(Strand.values)
        if unknown:
            raise ValidationError({"strands": f"Unknown strands: {', '.join(sorted(unknown))}."})
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError({"ends_at": "A workshop must end after it starts."})

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.date is not None

    @property
    def starts(self) -> datetime | None:
        return datetime.combine(self.date, self.starts_at, LONDON) if self.date else None

    @property
    def ends(self) -> datetime | None:
        return datetime.combine(self.date, self.ends_at, LONDON) if self.date else None

    @property
    def strand_labels(self) -> list[str]:
        return [Strand(value).label for value in self.strands or [] if value in Strand.values]

    @property
    def material_links(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    def is_held_by(self, today: date) -> bool:
        """It has taken place (or takes place today): attendance can be recorded."""
        return self.is_scheduled and self.date <= today

    def needs_attendance(self, today: date) -> bool:
        return self.is_held_by(today) and self.attendance_recorded_at is None


class Attendance(models.Model):
    """Whether one expected attendee came to one workshop."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Not recorded"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        APOLOGIES = "apologies", "Apologies"

    # A lead participant with one of these has missed a workshop: the group page flags it.
    MISSED = (Status.ABSENT, Status.APOLOGIES)

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances")
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="attendances"
    )
    contact = models.ForeignKey(SchoolContact, on_delete=models.CASCADE, related_name="+")
    is_lead_participant = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EXPECTED)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["workshop", "participation__school__name", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "contact"], name="unique_attendee")
        ]

    def __str__(self):
        return f"{self.contact.name} at {self.workshop}: {self.get_status_display()}"

    @property
    def is_missed(self) -> bool:
        return self.status in self.MISSED


class SupportVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(participation__in=Participation.objects.visible_to(user))

    def with_term_dates(self):
        """Annotate each visit with `term_ends_on`, from its year's (adjustable) half-terms."""
        ends = {
            term: HalfTerm.objects.filter(
                academic_year=models.OuterRef("participation__academic_year"), number=last
            ).values("ends_on")[:1]
            for term, (_, last) in HALF_TERMS_OF_TERM.items()
        }
        return self.annotate(
            term_ends_on=Case(
                *(When(term=term, then=models.Subquery(end)) for term, end in ends.items()),
                output_field=models.DateField(),
            )
        )

    def overdue_on(self, today: date):
        """Not done although the term has ended or the scheduled day has passed."""
        return (
            self.with_term_dates()
            .filter(status__in=SupportVisit.OPEN_STATUSES)
            .filter(Q(scheduled_for__lt=today) | Q(term_ends_on__lt=today))
            .exclude(participation__status=Participation.Status.WITHDRAWN)
            .exclude(participation__work_group__status=WorkGroup.Status.COMPLETED)
        )


class SupportVisit(models.Model):
    """The specialist's termly visit to a school, and the in-school TRG session it supports."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Not yet scheduled"
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class State(models.TextChoices):
        """What the visits grid shows: the status, with "overdue" worked out from the dates."""

        DONE = "done", "Done"
        SCHEDULED = "scheduled", "Scheduled"
        OVERDUE = "overdue", "Overdue"
        NOT_SCHEDULED = "not_scheduled", "Not yet scheduled"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.EXPECTED, Status.SCHEDULED)
    DEFAULT_LENGTH_HOURS = 3

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="support_visits"
    )
    term = models.CharField(max_length=10, choices=Term.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EXPECTED)
    scheduled_for = models.DateField(null=True, blank=True)
    starts_at = models.TimeField(null=True, blank=True)
    visited_on = models.DateField(null=True, blank=True)
    lessons_observed = models.PositiveSmallIntegerField(default=0)
    trg_supported = models.BooleanField("in-school TRG session supported", default=False)
    trg_notes = models.TextField("TRG session notes", blank=True)
    met_headteacher = models.BooleanField("discussion with the headteacher", default=False)
    met_lead_teachers = models.BooleanField("discussion with the lead teachers", default=False)
    discussion_notes = models.TextField(blank=True)
    next_steps = models.TextField("agreed next steps", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    objects = SupportVisitQuerySet.as_manager()

    class Meta:
        ordering = ["participation", "term"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "term"], name="one_visit_per_term")
        ]

    def __str__(self):
        return f"{self.get_term_display()} visit to {self.participation.school.name}"

    def state_on(self, today: date, term_ends_on: date | None) -> "SupportVisit.State":
        if self.status == self.Status.DONE:
            return self.State.DONE
        if self.status == self.Status.CANCELLED:
            return self.State.CANCELLED
        late = (self.scheduled_for and self.scheduled_for < today) or (
            term_ends_on and term_ends_on < today
        )
        if late:
            return self.State.OVERDUE
        if self.status == self.Status.SCHEDULED:
            return self.State.SCHEDULED
        return self.State.NOT_SCHEDULED

    @property
    def starts(self) -> datetime | None:
        if not self.scheduled_for:
            return None
        return datetime.combine(self.scheduled_for, self.starts_at or time(9, 0), LONDON)


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token: str):
        return self.filter(token_hash=hash_token(token))


class CalendarFeed(models.Model):
    """A person's private calendar address, whose secret token is the only key to the feed.

    Only a hash of the token is kept, so a leaked database leaks no working address: the address
    is shown once, when it is made, and making a new one kills the old at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # When the address now in use was made: a new address moves it on.
    created_at = models.DateTimeField(auto_now=True)
    # The last day a calendar app fetched it: an address unused for a year is deleted.
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self):
        return f"Calendar feed of {self.user}"
