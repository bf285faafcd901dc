"""Academic years, work groups, participations, workshops, attendance and support visits."""

import secrets
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from schools.models import HubStaff, School, SchoolContact

from .programme import PHASES, Phase, Strand, Term


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
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on >= self.ends_on:
            raise ValidationError("The year must start before it ends.")

    @staticmethod
    def default_dates(start_year: int) -> tuple[date, date]:
        return date(start_year, 9, 1), date(start_year + 1, 8, 31)


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
        from .programme import TERM_OF_HALF_TERM

        return TERM_OF_HALF_TERM[self.number]

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError("A half-term must start before it ends.")


class WorkGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff: all; hub lead: the hub's; specialist: those they lead; contact: their school's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            Q(hub__staff__user=user, hub__staff__role=HubStaff.Role.HUB_LEAD)
            | Q(lead__user=user)
            | Q(participations__school__contacts__user=user)
        ).distinct()

    def open_for_interest(self):
        return self.filter(status=WorkGroup.Status.OPEN)


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
    capacity = models.PositiveSmallIntegerField(default=DEFAULT_CAPACITY)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
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

    def clean(self):
        if self.lead_id is None or self.hub_id is None:
            return
        lead = self.lead
        if lead.hub_id != self.hub_id:
            raise ValidationError({"lead": "The lead must be a member of this hub's staff."})
        wanted = (
            HubStaff.Role.READINESS_LEAD
            if self.phase == Phase.READINESS
            else HubStaff.Role.MASTERY_SPECIALIST
        )
        allowed = {wanted, HubStaff.Role.MASTERY_SPECIALIST}
        if lead.role not in allowed:
            raise ValidationError(
                {"lead": f"The lead must be a {HubStaff.Role(wanted).label} of the hub."}
            )


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            Q(
                work_group__hub__staff__user=user,
                work_group__hub__staff__role=HubStaff.Role.HUB_LEAD,
            )
            | Q(work_group__lead__user=user)
            | Q(school__contacts__user=user)
        ).distinct()

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
            models.UniqueConstraint(
                fields=["school", "phase", "academic_year"],
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
    # iCalendar SEQUENCE: bumped whenever the date or time changes, so calendars update.
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


class Attendance(models.Model):
    """Whether one expected attendee came to one workshop."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Not recorded"
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        APOLOGIES = "apologies", "Apologies"

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


class SupportVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(participation__in=Participation.objects.visible_to(user))


class SupportVisit(models.Model):
    """The specialist's termly visit to a school, and the in-school TRG session it supports."""

    class Status(models.TextChoices):
        EXPECTED = "expected", "Not yet scheduled"
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

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


class CalendarFeed(models.Model):
    """A person's private calendar address; resetting the token kills the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    def reset(self):
        self.token = secrets.token_urlsafe()
        self.save(update_fields=["token", "created_at"])
