"""How plan and action statuses look: one colour per status, readable in print too."""

from django import template

from actionplans.programme import ActionStatus, PlanStatus
from core.templatetags.components import badge

register = template.Library()

BADGE_CLASSES = {
    PlanStatus.DRAFT: "text-bg-secondary",
    PlanStatus.SHARED: "text-bg-primary",
    PlanStatus.REVIEWED: "text-bg-success",
    PlanStatus.REVISED: "text-bg-info",
    ActionStatus.NOT_STARTED: "text-bg-light border",
    ActionStatus.ON_TRACK: "text-bg-success",
    ActionStatus.AT_RISK: "text-bg-warning",
    ActionStatus.OFF_TRACK: "text-bg-danger",
    ActionStatus.DONE: "text-bg-dark",
}


@register.filter
def badge_class(status: str) -> str:
    return BADGE_CLASSES.get(status, "text-bg-secondary")


STATUS_LABELS = {**dict(PlanStatus.choices), **dict(ActionStatus.choices)}


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.simple_tag
def plan_badge(status: str) -> str:
    """A plan's or an action's status as a badge in its colour: `{% plan_badge plan.status %}`."""
    return badge(badge_class(status), status_label(status))


@register.filter
def part_id(item) -> str:
    """The id of the part of the editor a priority or an action is edited in: `priority-7-part`
    (the id `services` names when the part has gone)."""
    return f"{item._meta.model_name}-{item.pk}-part"
