"""Small display helpers for the work group pages."""

from django import template
from django.urls import reverse

from core.templatetags.components import badge as badge_markup

register = template.Library()

# Bootstrap badge classes whose colours pass WCAG AA contrast with their text.
BADGES = {
    "done": "text-bg-success",
    "present": "text-bg-success",
    "completed": "text-bg-success",
    "paid": "text-bg-success",
    "scheduled": "text-bg-primary",
    "running": "text-bg-primary",
    "active": "text-bg-primary",
    "claimed": "text-bg-primary",
    "open": "text-bg-info",
    "placed": "text-bg-info",
    "due": "text-bg-info",
    "overdue": "text-bg-danger",
    "absent": "text-bg-danger",
    "withdrawn": "text-bg-dark",
    "apologies": "text-bg-warning",
    "draft": "text-bg-light border",
    "not_scheduled": "text-bg-light border",
    "expected": "text-bg-light border",
    "planning": "text-bg-light border",
}


@register.filter
def badge(value) -> str:
    """The badge class for a status or state value."""
    return BADGES.get(str(value), "text-bg-secondary")


@register.simple_tag
def status_badge(value, label) -> str:
    """A status or state as a badge in its colour: `{% status_badge visit.status label %}`."""
    return badge_markup(badge(value), label)


@register.inclusion_tag("core/_breadcrumbs.html")
def work_group_breadcrumbs(group, *, workshop=None, here=""):
    """The way back to the work group (and to its workshop) from a page under it.

    With a workshop and nothing `here`, the workshop's own page is the one shown.
    """
    trail = [(str(group), reverse("workgroups:work-group-detail", args=[group.pk]))]
    if workshop is not None:
        name = f"Workshop {workshop.number}"
        if not here:
            return {"trail": trail, "here": name}
        trail.append((name, reverse("workgroups:workshop-detail", args=[workshop.pk])))
    return {"trail": trail, "here": here}
