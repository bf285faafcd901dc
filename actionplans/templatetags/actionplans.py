"""How plan and action statuses look: one colour per status, readable in print too."""

from django import template

from actionplans.programme import ActionStatus, PlanStatus

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
