"""Expressions of interest: a school asking to join a phase (perhaps a work group) for a year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.roles import roles_for
from workgroups.programme import PHASES, Phase

from .eligibility import COMMITMENTS, Outcome, Person

PRIORITIES_MAX_LENGTH = 3000


class InterestStatus(models.TextChoices):
    RECEIVED = "received", "Received, being checked"
    TO_REVIEW = "to_review", "Waiting for the hub's decision"
    WAITLISTED = "waitlisted", "On the waiting list"
    PLACED = "placed", "Placed"
    DECLINED = "declined", "Declined"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


# A live expression of interest still holds the school's place in the queue; a re-submit for the
# same school, phase and year finds it rather than making another.
LIVE_STATUSES = (
    InterestStatus.RECEIVED,
    InterestStatus.TO_REVIEW,
    InterestStatus.WAITLISTED,
    InterestStatus.PLACED,
)


class ExpressionOfInterestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National staff see every hub's; a hub lead their hub's; nobody else any."""
        roles = roles_for(user)
        if roles.everywhere:
            return self
        return self.filter(hub_id__in=roles.hub_lead_hub_ids)

    def live(self):
        return self.filter(status__in=ExpressionOfInterest.LIVE_STATUSES)


class ExpressionOfInterest(models.Model):
    """One school's request to join a phase in an academic year, and what became of it."""

    Status = InterestStatus
    LIVE_STATUSES = LIVE_STATUSES
    # Where the hub lead can still place the school.
    OPEN_STATUSES = (Status.TO_REVIEW, Status.WAITLISTED)

    # Empty (NULL, so unique allows several) only between the insert and the reference being set
    # from the new row's id, inside the same transaction.
    reference = models.CharField(  # noqa: DJ001
        max_length=20, unique=True, null=True, editable=False
    )
    hub = models.ForeignKey(
        "schools.Hub", on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="expressions_of_interest"
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    academic_year = models.ForeignKey(
        "workgroups.AcademicYear", on_delete=models.PROTECT, related_name="+"
    )
    work_group = models.ForeignKey(
        "workgroups.WorkGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expressions_of_interest",
        help_text="The work group the school asked for, if one was open.",
    )
    submitter_name = models.CharField("your name", max_length=150)
    submitter_role = models.CharField("your role", max_length=100)
    submitter_email = models.EmailField("your e-mail address")
    headteacher_name = models.CharField("headteacher's name", max_length=150)
    headteacher_email = models.EmailField("headteacher's e-mail address")
    lead_participants = models.JSONField(
        default=list, blank=True, help_text='Each {"name": ..., "email": ...}.'
    )
    commitments = models.JSONField(
        default=list, blank=True, help_text="Keys of the phase's commitments the school agreed to."
    )
    priorities = models.TextField(
        "the school's priorities for maths",
        validators=[MaxLengthValidator(PRIORITIES_MAX_LENGTH)],
    )
    privacy_consent = models.BooleanField(default=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    instead_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    instead_hub = models.CharField(max_length=150, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    override_note = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        blank=True, help_text="Why the hub declined or waitlisted it, as told to the school."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    participation = models.OneToOneField(
        "workgroups.Participation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expression_of_interest",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExpressionOfInterestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "expression of interest"
        verbose_name_plural = "expressions of interest"
        indexes = [
            models.Index(fields=["hub", "academic_year", "status"]),
            # The review queue, newest first: a hub lead's hubs, and every hub for national staff.
            models.Index(fields=["hub", "-created_at", "-id"]),
            models.Index(fields=["-created_at", "-id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "phase", "academic_year"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_eoi_per_school_phase_year",
                violation_error_message=(
                    "This school already has an expression of interest in this phase this year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.reference or 'New expression of interest'} ({self.school.name})"

    @property
    def facts(self):
        return PHASES[self.phase]

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def headteacher(self) -> Person:
        return Person(name=self.headteacher_name, email=self.headteacher_email)

    @property
    def lead_people(self) -> list[Person]:
        return [
            Person(name=p.get("name", ""), email=p.get("email", ""))
            for p in self.lead_participants or []
        ]

    def commitment_texts(self) -> list[str]:
        agreed = set(self.commitments or [])
        return [c.text for c in COMMITMENTS.get(self.phase, ()) if c.key in agreed]

    def clean(self):
        errors = {}
        if not self.privacy_consent:
            errors["privacy_consent"] = "Agree to the privacy notice to send the form."
        known = {c.key for c in COMMITMENTS.get(self.phase, ())}
        if not isinstance(self.commitments, list) or set(self.commitments) - known:
            errors["commitments"] = "Only the commitments this phase asks for can be agreed."
        leads = self.lead_participants
        if not isinstance(leads, list) or not all(isinstance(p, dict) for p in leads):
            errors["lead_participants"] = "Each lead participant needs a name and e-mail address."
        else:
            for person in leads:
                if not str(person.get("name", "")).strip():
                    errors["lead_participants"] = "Each lead participant needs a name."
                    break
                try:
                    validate_email(person.get("email", ""))
                except ValidationError:
                    errors["lead_participants"] = (
                        f"{person['name']}'s e-mail address is not a valid e-mail address."
                    )
                    break
        group = self.work_group if self.work_group_id else None
        if group and (
            group.hub_id != self.hub_id
            or group.phase != self.phase
            or group.academic_year_id != self.academic_year_id
        ):
            errors["work_group"] = "Choose one of this hub's work groups for this phase and year."
        if errors:
            raise ValidationError(errors)


class ExpressionOfInterestEvent(models.Model):
    """Who did what to an expression of interest, and when: the hub lead's audit trail."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        CHECKED = "checked", "Eligibility checked"
        OVERRIDDEN = "overridden", "Review overridden"
        PLACED = "placed", "Placed"
        UNPLACED = "unplaced", "Placement undone"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%d %b %Y %H:%M}"
