"""The steps of an action plan's year. Each is atomic, validated, and records who did it.

Concurrent edits: every write to a plan or its parts first locks the plan's row, so writes to
one plan queue one behind the other. An edit names the version of the plan, priority or action
the person started from; if someone else has changed the same fields since, the save is refused
with an EditConflict that shows both versions. Changes to other fields are merged, never lost.

Who may do what: actionplans/permissions.py; each step checks it first, whoever calls it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.access import require
from core.roles import recorded
from notifications.services import notify
from schools.models import SchoolContact

from .models import Action, ActionPlan, Comment, Priority, Review
from .permissions import is_group_lead, may_comment, may_edit, may_review, may_start_plan
from .programme import INTENDED_OUTCOMES, SHAREABLE, ActionStatus, PlanStatus
from .selectors import previous_plan_for, shown_value
from .summaries import hub_year_of, plans_refresh

# --- concurrent edits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """One field both people changed: its label, and each value as a person reads it."""

    field: str
    label: str
    yours: str
    saved: str


class EditConflict(Exception):
    """Someone else changed the same fields since this person opened the page."""

    def __init__(self, obj, clashes: list[Clash], saved_by, saved_at):
        self.obj = obj
        self.clashes = clashes
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.current_version = obj.version
        names = ", ".join(clash.label for clash in clashes)
        super().__init__(f"Someone else changed {names} while you were editing.")


class StaleDelete(Exception):
    """The thing to delete changed since this person last saw it."""


def _unchanged(parts, pk: int, version: int, called):
    """The part to remove as it is now (None if it is gone already); StaleDelete if someone
    changed it since `version`, the one the person saw. `called(part)` names it."""
    part = parts.filter(pk=pk).first()
    if part is not None and part.version != version:
        raise StaleDelete(
            f"{called(part)} was changed by someone else since you opened the page: "
            "read it again before removing it."
        )
    return part


class PartRemoved(Exception):
    """The priority or action was removed by someone else while this person worked on it."""

    def __init__(self, what: str, pk: int):
        self.what = what
        self.part_id = f"{what}-{pk}-part"
        super().__init__(f"This {what} was removed by someone else while you were working on it.")


def _part(queryset, pk: int, what: str):
    part = queryset.filter(pk=pk).first()
    if part is None:
        raise PartRemoved(what, pk)
    return part


def _same(a, b) -> bool:
    def normal(value):
        if isinstance(value, str):
            return value.replace("\r\n", "\n").strip()
        if isinstance(value, list):
            return sorted(value)
        return value

    return normal(a) == normal(b)


def _merge(obj, *, version: int, submitted: dict) -> dict:
    """The fields to write: what this person changed, refused where another changed it first."""
    current = {name: getattr(obj, name) for name in submitted}
    if version == obj.version:
        base = current
    else:
        started_from = obj.history.filter(version=version).order_by("-history_id").first()
        base = (
            {name: getattr(started_from, name) for name in submitted}
            if started_from
            else {name: object() for name in submitted}  # unknown start: every field clashes
        )
    mine = {name: value for name, value in submitted.items() if not _same(value, base[name])}
    clashing = [
        name
        for name, value in mine.items()
        if not _same(base[name], current[name]) and not _same(value, current[name])
    ]
    if clashing:
        latest = obj.history.select_related("history_user").order_by("-history_id").first()
        raise EditConflict(
            obj,
            [
                Clash(
                    field=name,
                    label=str(obj._meta.get_field(name).verbose_name).capitalize(),
                    yours=shown_value(type(obj), name, submitted[name]),
                    saved=shown_value(type(obj), name, current[name]),
                )
                for name in clashing
            ],
            saved_by=latest.history_user if latest else None,
            saved_at=latest.history_date if latest else None,
        )
    return {name: value for name, value in mine.items() if not _same(value, current[name])}


def _save(obj, acting_user, **kwargs) -> None:
    obj.full_clean()
    obj._history_user = recorded(acting_user)
    obj.save(**kwargs)


def _locked_plan(plan: ActionPlan) -> ActionPlan:
    """The plan's row, locked until the end of the transaction: one writer per plan at a time."""
    return (
        ActionPlan.objects.select_for_update(of=("self",))
        .select_related("participation__work_group__lead", "participation__school")
        .get(pk=plan.pk)
    )


def _touch(plan: ActionPlan, acting_user) -> None:
    """Record a change to a priority or action on the plan: when, by whom, and 'revised'."""
    now = timezone.now()
    if plan.status == PlanStatus.REVIEWED:
        plan.status = PlanStatus.REVISED
        plan.version += 1
        plan.updated_at, plan.updated_by = now, recorded(acting_user)
        _save(plan, acting_user)
    else:
        # Only the overview's "last change" moves: no new version of the plan itself.
        ActionPlan.objects.filter(pk=plan.pk).update(
            updated_at=now, updated_by=recorded(acting_user)
        )
    plans_refresh(hub_years=[hub_year_of(plan)])


def _update(obj, *, version: int, changes: dict, acting_user) -> list[str]:
    written = _merge(obj, version=version, submitted=changes)
    if written:
        for name, value in written.items():
            setattr(obj, name, value)
        obj.version += 1
        _save(obj, acting_user)
    return list(written)


# --- the plan -----------------------------------------------------------------------------------


def action_plan_create(*, participation, acting_user, carry_over=True) -> ActionPlan:
    """The participation's plan, created (from last year's, if asked) the first time."""
    require(may_start_plan(acting_user, participation))
    existing = ActionPlan.objects.filter(participation=participation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            plan = ActionPlan(participation=participation, updated_by=recorded(acting_user))
            _save(plan, acting_user)
            plans_refresh(hub_years=[hub_year_of(plan)])
            if carry_over:
                previous = previous_plan_for(participation)
                if previous:
                    _copy_from(previous, plan, acting_user)
    except IntegrityError:
        # Two first opens at once: the other one made it.
        return ActionPlan.objects.get(participation=participation)
    return plan


def action_plan_carry_over(*, plan: ActionPlan, acting_user) -> ActionPlan:
    """Start an empty plan from the school's plan of an earlier year."""
    require(may_edit(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if not plan.is_empty or plan.priorities.exists():
            raise ValidationError("This plan already has content: nothing was copied into it.")
        previous = previous_plan_for(plan.participation)
        if previous is None:
            raise ValidationError("There is no earlier plan of this school to start from.")
        _copy_from(previous, plan, acting_user)
    return plan


def _copy_from(previous: ActionPlan, plan: ActionPlan, acting_user) -> None:
    """Context and outcomes; priorities with their unfinished actions, when the areas match.

    Readiness plans work on other areas than the Big Ideas, so their priorities do not carry
    into a later phase; their context and outcomes do. Dates and statuses belong to last year's
    calendar and start afresh.
    """
    for name in ("context", *(heading.field for heading in INTENDED_OUTCOMES)):
        setattr(plan, name, getattr(previous, name))
    plan.carried_over_from = previous
    _save(plan, acting_user)
    if previous.areas != plan.areas:
        return
    open_actions = previous.actions.exclude(status=ActionStatus.DONE).order_by("position", "pk")
    for old_priority in previous.priorities.prefetch_related(
        models.Prefetch("actions", queryset=open_actions)
    ):
        priority = Priority(
            plan=plan,
            position=old_priority.position,
            title=old_priority.title,
            areas=list(old_priority.areas),
            description=old_priority.description,
        )
        _save(priority, acting_user)
        for old_action in old_priority.actions.all():
            action = Action(
                plan=plan,
                priority=priority,
                position=old_action.position,
                description=old_action.description,
                owner=old_action.owner,
                success_criteria=old_action.success_criteria,
                resources=old_action.resources,
            )
            _save(action, acting_user)


def action_plan_update(*, plan: ActionPlan, version: int, changes: dict, acting_user) -> ActionPlan:
    """Save the school's changes to the plan's own text, merged with anyone else's."""
    require(may_edit(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        written = _merge(plan, version=version, submitted=changes)
        if written:
            for name, value in written.items():
                setattr(plan, name, value)
            if plan.status == PlanStatus.REVIEWED:
                plan.status = PlanStatus.REVISED
            plan.version += 1
            plan.updated_at, plan.updated_by = timezone.now(), recorded(acting_user)
            _save(plan, acting_user)
            plans_refresh(hub_years=[hub_year_of(plan)])
    return plan


def action_plan_share(*, plan: ActionPlan, acting_user, quiet: bool = False) -> ActionPlan:
    """The school shares the plan (again) with the group's specialist, who is told by e-mail.

    `quiet` records the step without telling anyone (demo data).
    """
    require(may_edit(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status not in SHAREABLE:
            raise ValidationError(
                f"The plan is {plan.get_status_display().lower()}: there is nothing new to share."
            )
        now = timezone.now()
        plan.status = PlanStatus.SHARED
        plan.shared_at = plan.updated_at = now
        plan.updated_by = recorded(acting_user)
        plan.version += 1
        _save(plan, acting_user)
        plans_refresh(hub_years=[hub_year_of(plan)])
        work_group = plan.participation.work_group
        if work_group.lead_id and not quiet:
            lead_user = work_group.lead.user
            notify(
                kind="actionplan_shared",
                key=f"actionplan:{plan.pk}:shared:{plan.version}",
                to=lead_user.email,
                user=lead_user,
                hub=work_group.hub,
                subject=f"Action plan shared: {plan.participation.school.name}",
                template="actionplans/email/plan_shared",
                context={
                    "plan": plan,
                    "school": plan.participation.school,
                    "by": acting_user,
                    "url": _plan_url(plan),
                },
            )
    return plan


def action_plan_review(
    *, plan: ActionPlan, acting_user, comment: str = "", quiet: bool = False
) -> Review:
    """The specialist records a review of the plan as it stands; the school is told by e-mail.

    `quiet` records the step without telling anyone (demo data).
    """
    require(may_review(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if plan.status != PlanStatus.SHARED:
            raise ValidationError("Only a plan the school has shared can be reviewed.")
        plan.status = PlanStatus.REVIEWED
        plan.version += 1
        plan.updated_at, plan.updated_by = timezone.now(), recorded(acting_user)
        _save(plan, acting_user)
        plans_refresh(hub_years=[hub_year_of(plan)])
        review = Review(plan=plan, reviewer=recorded(acting_user), history_ids=_history_ids(plan))
        _save(review, acting_user)
        if comment.strip():
            _comment_save(plan=plan, action=None, review=review, body=comment, author=acting_user)
        school = plan.participation.school
        contacts = SchoolContact.objects.filter(school=school, user__isnull=False)
        for contact in [] if quiet else contacts.select_related("user"):
            notify(
                kind="actionplan_reviewed",
                key=f"actionplan:{plan.pk}:review:{review.pk}",
                to=contact.user.email,
                user=contact.user,
                hub=plan.participation.work_group.hub,
                subject=f"Your action plan has been reviewed: {school.name}",
                template="actionplans/email/plan_reviewed",
                context={
                    "plan": plan,
                    "review": review,
                    "comment": comment.strip(),
                    "contact": contact,
                    "url": _plan_url(plan),
                },
            )
    return review


def _plan_url(plan: ActionPlan) -> str:
    return settings.SITE_URL + reverse("actionplans:plan-detail", args=[plan.pk])


def _history_ids(plan: ActionPlan) -> dict:
    """The latest history record of the plan and of each of its parts, as they stand now."""

    def latest(model, **filters) -> dict[str, int]:
        rows = (
            model.history.model.objects.filter(**filters)
            .values("id")
            .annotate(latest=Max("history_id"))
            .values_list("id", "latest")
        )
        return {str(pk): history_id for pk, history_id in rows}

    return {
        "plan": plan.history.order_by("-history_id").values_list("history_id", flat=True).first(),
        "priorities": latest(Priority, id__in=plan.priorities.values("pk")),
        "actions": latest(Action, id__in=plan.actions.values("pk")),
    }


# --- priorities and actions ---------------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def priority_create(
    *, plan: ActionPlan, title: str, areas: list[str], description: str = "", acting_user
) -> Priority:
    """Add a priority at the end of the plan."""
    require(may_edit(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        priority = Priority(
            plan=plan,
            position=_next_position(plan.priorities),
            title=title,
            areas=list(areas),
            description=description,
        )
        _save(priority, acting_user)
        _touch(plan, acting_user)
    return priority


def _part_update(part, parts, what: str, **edit):
    """Save changes to a priority or an action (`parts(plan)` finds it as it is now), merged
    with anyone else's."""
    with transaction.atomic():
        plan = _locked_plan(part.plan)
        part = _part(parts(plan), part.pk, what)
        if _update(part, **edit):
            _touch(plan, edit["acting_user"])
    return part


def priority_update(*, priority: Priority, version: int, changes: dict, acting_user) -> Priority:
    """Save changes to a priority, merged with anyone else's."""
    require(may_edit(acting_user, priority.plan))
    return _part_update(
        priority,
        lambda plan: plan.priorities,
        "priority",
        version=version,
        changes=changes,
        acting_user=acting_user,
    )


def priority_delete(*, priority: Priority, version: int, acting_user) -> None:
    """Remove a priority and its actions (their history stays), unless changed meanwhile."""
    require(may_edit(acting_user, priority.plan))
    with transaction.atomic():
        plan = _locked_plan(priority.plan)
        priority = _unchanged(plan.priorities, priority.pk, version, lambda p: f"“{p.title}”")
        if priority is None:
            return
        # One by one, so each action's history records who removed it.
        for action in priority.actions.all():
            action._history_user = acting_user
            action.delete()
        priority._history_user = acting_user
        priority.delete()
        _touch(plan, acting_user)


def _move(obj, siblings, direction: int, acting_user) -> None:
    ordered = list(siblings.order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
    target = index + direction
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling._history_user = acting_user
            sibling.save(update_fields=["position"])


def priority_move(*, priority: Priority, direction: int, acting_user) -> None:
    """Move a priority one place up (-1) or down (+1); reordering never clashes with edits."""
    require(may_edit(acting_user, priority.plan))
    with transaction.atomic():
        plan = _locked_plan(priority.plan)
        priority = _part(plan.priorities, priority.pk, "priority")
        _move(priority, plan.priorities.all(), direction, acting_user)
        _touch(plan, acting_user)


def action_create(*, priority: Priority, acting_user, **fields) -> Action:
    """Add an action at the end of a priority."""
    require(may_edit(acting_user, priority.plan))
    with transaction.atomic():
        plan = _locked_plan(priority.plan)
        priority = _part(plan.priorities, priority.pk, "priority")
        action = Action(
            plan=plan,
            priority=priority,
            position=_next_position(priority.actions),
            **fields,
        )
        _save(action, acting_user)
        _touch(plan, acting_user)
    return action


def action_update(*, action: Action, version: int, changes: dict, acting_user) -> Action:
    """Save changes to an action (its status too), merged with anyone else's."""
    require(may_edit(acting_user, action.plan))
    return _part_update(
        action,
        lambda plan: plan.actions.select_related("priority"),
        "action",
        version=version,
        changes=changes,
        acting_user=acting_user,
    )


def action_delete(*, action: Action, version: int, acting_user) -> None:
    """Remove an action (its history stays), unless someone changed it meanwhile."""
    require(may_edit(acting_user, action.plan))
    with transaction.atomic():
        plan = _locked_plan(action.plan)
        action = _unchanged(plan.actions, action.pk, version, lambda a: "This action")
        if action is None:
            return
        action._history_user = acting_user
        action.delete()
        _touch(plan, acting_user)


def action_move(*, action: Action, direction: int, acting_user) -> None:
    """Move an action one place up (-1) or down (+1) within its priority."""
    require(may_edit(acting_user, action.plan))
    with transaction.atomic():
        plan = _locked_plan(action.plan)
        action = _part(plan.actions, action.pk, "action")
        _move(action, Action.objects.filter(priority_id=action.priority_id), direction, acting_user)
        _touch(plan, acting_user)


# --- comments -----------------------------------------------------------------------------------


def _comment_save(*, plan, action, review, body, author) -> Comment:
    comment = Comment(
        plan=plan,
        action=action,
        action_summary=action.description[:200] if action else "",
        review=review,
        author=recorded(author),
        author_role=(
            Comment.AuthorRole.SPECIALIST
            if is_group_lead(author, plan.participation)
            else Comment.AuthorRole.SCHOOL
        ),
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    return comment


def comment_add(
    *, plan: ActionPlan, body: str, action: Action | None = None, acting_user
) -> Comment:
    """A comment on the plan or one of its actions, by the specialist or the school."""
    require(may_comment(acting_user, plan))
    with transaction.atomic():
        plan = _locked_plan(plan)
        if action is not None and action.plan_id != plan.pk:
            raise ValidationError("That action is not part of this plan.")
        return _comment_save(plan=plan, action=action, review=None, body=body, author=acting_user)
