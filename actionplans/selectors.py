"""Reads the action plan pages share. Each runs a fixed number of queries, whatever the size."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.formatting import long_date
from workgroups.models import Participation, WorkGroup, Workshop

from .models import Action, ActionPlan, Comment, Priority, Review
from .programme import AREA_NAMES, NEEDS_ATTENTION, PlanStatus


def plans_for_pages(user):
    """The plans a person may open, with what every plan page shows about its school and group.

    Each join costs PostgreSQL time to plan: a page that shows more (the editor, last year's
    plan) adds its own with select_related.
    """
    return ActionPlan.objects.visible_to(user).select_related(
        "participation__school",
        "participation__academic_year",
        "participation__work_group__lead__user",
        "updated_by",
    )


def previous_plan_for(participation: Participation) -> ActionPlan | None:
    """The school's most recent plan from an earlier year; the same phase first."""
    return (
        ActionPlan.objects.filter(
            participation__school_id=participation.school_id,
            participation__academic_year__start_year__lt=participation.academic_year.start_year,
        )
        .select_related("participation")
        .annotate(
            other_phase=Case(
                When(participation__phase=participation.phase, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("-participation__academic_year__start_year", "other_phase", "-pk")
        .first()
    )


@dataclass
class PlanParts:
    priorities: list[Priority]
    plan_comments: list[Comment]
    # Comments on actions that have since been removed: still part of the conversation.
    orphan_comments: list[Comment]


def plan_parts(plan: ActionPlan) -> PlanParts:
    """Priorities with `action_list`, each action with `comment_list`: three queries."""
    priorities = list(plan.priorities.order_by("position", "pk"))
    actions = list(plan.actions.order_by("position", "pk"))
    comments = list(plan.comments.select_related("author").order_by("created_at", "pk"))
    by_action: dict[int, list[Comment]] = {}
    plan_comments, orphans = [], []
    for comment in comments:
        if comment.action_id:
            by_action.setdefault(comment.action_id, []).append(comment)
        elif comment.action_summary:
            orphans.append(comment)
        else:
            plan_comments.append(comment)
    by_priority: dict[int, list[Action]] = {}
    for action in actions:
        action.comment_list = by_action.get(action.pk, [])
        by_priority.setdefault(action.priority_id, []).append(action)
    for priority in priorities:
        priority.plan = plan
        priority.action_list = by_priority.get(priority.pk, [])
        for action in priority.action_list:
            action.priority = priority
            action.plan = plan
    return PlanParts(priorities, plan_comments, orphans)


def latest_review(plan: ActionPlan) -> Review | None:
    return plan.reviews.select_related("reviewer").order_by("-reviewed_at", "-pk").first()


# --- overviews ----------------------------------------------------------------------------------


def _count_per(queryset, outer: str):
    """A subquery counting `queryset`'s rows for the outer row: no join multiplies rows."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


def _with_plan_facts(participations):
    reviews = Review.objects.filter(plan__participation=OuterRef("pk")).order_by("-reviewed_at")
    return participations.select_related(
        "school", "action_plan__updated_by", "work_group__lead__user"
    ).annotate(
        attention_count=_count_per(
            Action.objects.filter(status__in=NEEDS_ATTENTION), "plan__participation"
        ),
        action_count=_count_per(Action.objects.all(), "plan__participation"),
        comment_count=_count_per(Comment.objects.all(), "plan__participation"),
        last_reviewed_at=Subquery(reviews.values("reviewed_at")[:1]),
    )


def _attach_attention(rows: list[Participation], actions) -> list[Participation]:
    """Give each row `attention`: its plan's actions at risk or off track, one query in all."""
    by_plan: dict[int, list[Action]] = {}
    attention = actions.filter(status__in=NEEDS_ATTENTION).order_by(
        "priority__position", "position", "pk"
    )
    for action in attention:
        by_plan.setdefault(action.plan_id, []).append(action)
    for row in rows:
        plan = getattr(row, "action_plan", None)
        row.attention = by_plan.get(plan.pk, []) if plan else []
    return rows


def group_overview(work_group: WorkGroup) -> list[Participation]:
    """The group's schools, each with its plan (if any), last change and what is at risk."""
    rows = list(_with_plan_facts(work_group.participations.all()).order_by("school__name", "pk"))
    return _attach_attention(
        rows, Action.objects.filter(plan__participation__work_group=work_group)
    )


def hub_overview(hub, start_year: int) -> list[Participation]:
    """Every school in the hub's groups of one year, by group, with its plan's state."""
    participations = Participation.objects.filter(
        work_group__hub=hub, academic_year__start_year=start_year
    )
    rows = list(
        _with_plan_facts(participations)
        .select_related("work_group")
        .order_by("work_group__code", "school__name", "pk")
    )
    return _attach_attention(
        rows,
        Action.objects.filter(
            plan__participation__work_group__hub=hub,
            plan__participation__academic_year__start_year=start_year,
        ),
    )


def work_groups_with_plan_counts(work_groups):
    """Work groups, each with `status_counts` [(label, n)] and `attention_count`."""
    counts = {
        status.value: Count(
            "participations__action_plan",
            filter=Q(participations__action_plan__status=status.value),
            distinct=True,
        )
        for status in PlanStatus
    }
    attention = Action.objects.filter(status__in=NEEDS_ATTENTION)
    groups = list(
        work_groups.select_related("hub", "academic_year", "lead__user").annotate(
            school_count=Count("participations", distinct=True),
            attention_count=_count_per(attention, "plan__participation__work_group"),
            **{f"status_{key}": value for key, value in counts.items()},
        )
    )
    for group in groups:
        group.status_counts = [
            (status.label, getattr(group, f"status_{status.value}")) for status in PlanStatus
        ]
    return groups


# --- what changed -------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class PartChange:
    kind: str  # "added", "removed", "changed" or "unchanged"
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    actions: list["PartChange"] = field(default_factory=list)


@dataclass
class PlanChanges:
    review: Review | None
    plan_fields: list[FieldChange]
    priorities: list[PartChange]
    unchanged_count: int

    @property
    def any(self) -> bool:
        return bool(self.plan_fields or self.priorities)


def shown_value(model, name: str, value) -> str:
    """A field's value as a person reads it."""
    if value in (None, "", []):
        return "—"
    if name == "areas":
        return ", ".join(AREA_NAMES.get(code, code) for code in value)
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _field_changes(model, names, old, new) -> list[FieldChange]:
    """The fields that differ between two history records (either may be None)."""
    if old is not None and new is not None:
        names = new.diff_against(old, included_fields=names).changed_fields
    changes = []
    for name in names:
        before = shown_value(model, name, getattr(old, name)) if old is not None else "—"
        after = shown_value(model, name, getattr(new, name)) if new is not None else "—"
        if before != after:
            changes.append(FieldChange(_label(model, name), before, after))
    return changes


def _latest_records(model, plan: ActionPlan) -> dict[int, object]:
    """The latest history record of every priority (or action) the plan has ever had."""
    history = model.history.model.objects
    latest = history.filter(plan_id=plan.pk).values("id").annotate(top=Max("history_id"))
    return {
        record.id: record
        for record in history.filter(history_id__in=latest.values("top"))
        if record.history_type != "-"
    }


def _records(model, ids: dict) -> dict[int, object]:
    return {
        record.id: record
        for record in model.history.model.objects.filter(history_id__in=list(ids.values()))
    }


def _part_change(model, old, new) -> PartChange:
    record = new if new is not None else old
    title = record.title if model is Priority else record.description
    kind = "added" if old is None else "removed" if new is None else "changed"
    fields = _field_changes(model, model.CONTENT_FIELDS, old, new)
    return PartChange(kind if fields or kind != "changed" else "unchanged", title, fields)


def plan_changes(plan: ActionPlan, review: Review | None) -> PlanChanges:
    """What changed in the plan, its priorities and actions since a review, field by field."""
    if review is None:
        return PlanChanges(None, [], [], 0)
    ids = review.history_ids
    plan_history = ActionPlan.history.model.objects
    then_plan = plan_history.filter(history_id=ids.get("plan")).first()
    now_plan = plan_history.filter(id=plan.pk).order_by("-history_id").first()
    plan_fields = _field_changes(ActionPlan, ActionPlan.CONTENT_FIELDS, then_plan, now_plan)

    then_priorities = _records(Priority, ids.get("priorities", {}))
    now_priorities = _latest_records(Priority, plan)
    then_actions = _records(Action, ids.get("actions", {}))
    now_actions = _latest_records(Action, plan)

    unchanged = 0
    actions_by_priority: dict[int, list[PartChange]] = {}
    for pk in sorted(then_actions.keys() | now_actions.keys()):
        old, new = then_actions.get(pk), now_actions.get(pk)
        change = _part_change(Action, old, new)
        if change.kind == "unchanged":
            unchanged += 1
            continue
        priority_id = (new or old).priority_id
        actions_by_priority.setdefault(priority_id, []).append(change)

    def order(pk):
        record = now_priorities.get(pk) or then_priorities.get(pk)
        return (pk not in now_priorities, record.position, pk)

    priorities = []
    for pk in sorted(then_priorities.keys() | now_priorities.keys(), key=order):
        change = _part_change(Priority, then_priorities.get(pk), now_priorities.get(pk))
        change.actions = actions_by_priority.get(pk, [])
        if change.kind == "unchanged" and not change.actions:
            unchanged += 1
            continue
        priorities.append(change)
    return PlanChanges(review, plan_fields, priorities, unchanged)


# --- who changed what ---------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    when: object
    who: object
    what: str
    kind: str  # "created", "changed", "moved" or "removed"
    fields: list[FieldChange]


def plan_history(plan: ActionPlan) -> list[HistoryEntry]:
    """Every change to the plan and its parts, newest first, each with who made it."""
    sources = [
        (ActionPlan, ActionPlan.history.model.objects.filter(id=plan.pk), ("status",)),
        (Priority, Priority.history.model.objects.filter(plan_id=plan.pk), ()),
        (Action, Action.history.model.objects.filter(plan_id=plan.pk), ()),
    ]
    entries = []
    for model, records, extra in sources:
        fields = (*model.CONTENT_FIELDS, *extra)
        previous: dict[int, object] = {}
        for record in records.select_related("history_user").order_by("history_id"):
            entry = _history_entry(model, fields, previous.get(record.id), record)
            previous[record.id] = record
            if entry:
                entries.append(entry)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _history_entry(model, fields, before, record) -> HistoryEntry | None:
    if model is ActionPlan:
        what = "the plan"
    elif model is Priority:
        what = f"priority “{record.title}”"
    else:
        what = f"action “{record.description[:80]}”"
    if record.history_type == "-":
        kind, changes = "removed", []
    elif before is None:
        kind, changes = "created", _field_changes(model, fields, None, record)
    else:
        changes = _field_changes(model, fields, before, record)
        if changes:
            kind = "changed"
        elif getattr(record, "position", None) != getattr(before, "position", None):
            kind = "moved"
        else:
            return None  # bookkeeping only, nothing a person changed
    return HistoryEntry(record.history_date, record.history_user, what, kind, changes)


# What is due on a plan, in the order the year asks for it (the reminders' rules: shared four
# weeks after the first workshop, the mid-year review before the fourth, the reflection before
# the sixth).
SHARE_AFTER_FIRST_WORKSHOP = timedelta(weeks=4)


def plan_due(plan: ActionPlan, workshop_dates: dict[int, date]) -> str:
    """What the school is to do next on its plan, and by when, in words."""
    if plan.shared_at is None:
        first = workshop_dates.get(1)
        by = f" by {long_date(first + SHARE_AFTER_FIRST_WORKSHOP)}" if first else ""
        return f"Write it and share it with your specialist{by}."
    if plan.status == PlanStatus.REVISED:
        return "Share your revised plan with your specialist."
    for field_name, words, number in (
        ("mid_year_review", "Write the mid-year review", 4),
        ("end_of_year_reflection", "Write the end-of-year reflection", 6),
    ):
        if not getattr(plan, field_name):
            day = workshop_dates.get(number)
            when = f" (on {long_date(day)})" if day else ""
            return f"{words} before workshop {number}{when}."
    return "Nothing due: keep it up to date as the year goes."


def next_steps(school, user, steps: list) -> list:
    """Each step's action plan: its state, what is due and its page (two queries)."""
    ids = [step.participation_id for step in steps]
    if not ids:
        return steps
    plans = {
        plan.participation_id: plan for plan in ActionPlan.objects.filter(participation_id__in=ids)
    }
    dates = {}
    for participation_id, number, day in Workshop.objects.filter(
        work_group__participations__pk__in=ids, number__in=(1, 4, 6), date__isnull=False
    ).values_list("work_group__participations__pk", "number", "date"):
        dates.setdefault(participation_id, {})[number] = day
    for step in steps:
        plan = plans.get(step.participation_id)
        if plan is None:
            step.plan = "Not started yet"
            continue
        step.plan = plan.get_status_display()
        step.plan_due = plan_due(plan, dates.get(step.participation_id, {}))
        step.plan_url = reverse("actionplans:plan-detail", args=[plan.pk])
    return steps
