"""Small display helpers for the work group pages."""

from django import template

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
