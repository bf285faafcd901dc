"""Action plans: one per participation, its priorities and actions, reviews and comments.

Every plan, priority and action keeps its full history (django-simple-history). Each carries a
`version` that goes up with every change of its content: an edit says which version it started
from, so a second person's save never overwrites the first's silently (see services.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.roles import roles_for
from workgroups.models import Participation

from .programme import AREA_NAMES, INTENDED_OUTCOMES, ActionStatus, PlanStatus, areas_for


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who see the participation: the school's contacts, the group's lead specialist,
        the hub's leads, and staff. Read from the person's roles, on the participation's own
        joins: a plan page's query has no subquery to plan."""
        if not user.is_authenticated:
            return self.none()
        roles = roles_for(user)
        if roles.everywhere:
            return self
        return self.filter(
            Q(participation__school_id__in=roles.contact_school_ids)
            | Q(participation__work_group__lead__user=user)
            | Q(participation__work_group__hub_id__in=roles.hub_lead_hub_ids)
        )


class ActionPlan(models.Model):
    """A school's plan for its year in one work group, refined as the year goes."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="action_plan"
    )
    carried_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Last year's plan this one started from.",
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    context = models.TextField(
        "the school's context",
        blank=True,
        help_text="Where the school is now in maths: strengths, needs, what has changed.",
    )
    outcomes_pupils = models.TextField("pupil outcomes", blank=True)
    outcomes_whole_school = models.TextField("whole-school policies and approaches", blank=True)
    outcomes_practice = models.TextField("practice development", blank=True)
    outcomes_professional_learning = models.TextField("professional learning", blank=True)
    mid_year_review = models.TextField(
        "mid-year review", blank=True, help_text="Progress so far and what you will adjust."
    )
    end_of_year_reflection = models.TextField(
        "end-of-year reflection on impact",
        blank=True,
        help_text="What changed for pupils, teachers and the school because of the plan.",
    )
    impact_evidence = models.TextField(
        "evidence of impact",
        blank=True,
        help_text="What shows it: pupil voice, work, observations, assessment data.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last change to the plan or any of its priorities and actions, for overviews.
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ActionPlanQuerySet.as_manager()

    # The fields a school writes; everything else is the workflow's bookkeeping.
    CONTENT_FIELDS = (
        "context",
        *(heading.field for heading in INTENDED_OUTCOMES),
        "mid_year_review",
        "end_of_year_reflection",
        "impact_evidence",
    )

    class Meta:
        ordering = ["participation__school__name"]

    def __str__(self):
        return f"Action plan of {self.participation}"

    @property
    def areas(self):
        return areas_for(self.participation.phase)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.CONTENT_FIELDS)


class PlanPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=ActionPlan.objects.visible_to(user))


class Priority(models.Model):
    """One of the school's priorities for the year, tied to the programme's areas."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    areas = models.JSONField(
        default=list, help_text="The Five Big Ideas (or Readiness key areas) it addresses."
    )
    description = models.TextField(
        "what we want to change and why",
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = PlanPartQuerySet.as_manager()

    CONTENT_FIELDS = ("title", "areas", "description")

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title

    @property
    def area_names(self) -> list[str]:
        return [AREA_NAMES.get(code, code) for code in self.areas]

    def clean(self):
        if not self.areas:
            raise ValidationError({"areas": "Choose at least one area this priority addresses."})
        allowed = {area.code for area in self.plan.areas}
        unknown = set(self.areas) - allowed
        if unknown:
            raise ValidationError(
                {"areas": f"Not an area of this phase: {', '.join(sorted(unknown))}."}
            )


class Action(models.Model):
    """A step towards a priority: who does it, when, and how the school will know it worked."""

    # The plan is the priority's: kept here so a plan's actions are one indexed lookup.
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    description = models.TextField("what will be done")
    owner = models.CharField("who leads it", max_length=150, blank=True)
    starts_on = models.DateField("start date", null=True, blank=True)
    due_on = models.DateField("due date", null=True, blank=True)
    success_criteria = models.TextField("success criteria", blank=True)
    resources = models.TextField(blank=True, help_text="Time, materials, people, money.")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = PlanPartQuerySet.as_manager()

    CONTENT_FIELDS = (
        "description",
        "owner",
        "starts_on",
        "due_on",
        "success_criteria",
        "resources",
        "status",
    )

    class Meta:
        ordering = ["priority", "position", "pk"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.priority_id and self.plan_id and self.priority.plan_id != self.plan_id:
            raise ValidationError("An action belongs to a priority of its own plan.")
        if self.starts_on and self.due_on and self.starts_on > self.due_on:
            raise ValidationError({"due_on": "The due date cannot be before the start date."})


class Review(models.Model):
    """The specialist read the plan as it stood: the history ids pin down exactly what they saw."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)
    # {"plan": history_id, "priorities": {pk: history_id}, "actions": {pk: history_id}}
    history_ids = models.JSONField(default=dict)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-reviewed_at", "-pk"]

    def __str__(self):
        return f"Review of {self.plan} on {self.reviewed_at:%d %b %Y}"


class Comment(models.Model):
    """A remark on the whole plan or on one action: the specialist's, or the school's reply."""

    class AuthorRole(models.TextChoices):
        SPECIALIST = "specialist", "Specialist"
        SCHOOL = "school", "School"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # The action's words when the comment was made: still readable if the action is removed.
    action_summary = models.CharField(max_length=200, blank=True)
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_role = models.CharField(max_length=20, choices=AuthorRole.choices)
    body = models.TextField("comment")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "created_at", "pk"]

    def __str__(self):
        return f"Comment by {self.author} on {self.plan}"


class HubYearPlans(models.Model):
    """The action plans of a hub's schools taking part in one year, counted by status, and
    their actions at risk or off track: one small row for the hub and national figures.

    Kept by the services that change plans and actions, and by the receiver of work groups'
    signal when a school is placed or withdrawn, in their transaction; `rebuild_summaries`
    makes it again.
    """

    hub = models.ForeignKey("schools.Hub", on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    draft = models.PositiveIntegerField(default=0)
    shared = models.PositiveIntegerField(default=0)
    reviewed = models.PositiveIntegerField(default=0)
    revised = models.PositiveIntegerField(default=0)
    actions_at_risk = models.PositiveIntegerField(default=0)
    plans_at_risk = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "start_year"], name="one_plans_row_a_hub_year")
        ]

    def __str__(self) -> str:
        return f"{self.hub_id} in {self.start_year}"
