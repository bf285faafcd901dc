"""The main navigation: each entry shows only to the roles that can use it.

An app adds its start pages here when they land; the order here is the order on screen. A role
that sees more than MAX_INLINE entries finds those marked `more` (the ones used less often) under
a "More" menu, so that the bar stays on one line on a desk (1280 px).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from core.roles import Roles


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    shown_to: Callable[[Roles], bool]
    more: bool = False


MAX_INLINE = 6


ENTRIES = [
    NavEntry(
        "Find a work group",
        "enrolment:catalogue-index",
        lambda r: not (r.is_national_staff or r.is_hub_staff),
    ),
    NavEntry("National view", "reports:national", lambda r: r.is_national_staff),
    NavEntry("Hubs", "schools:hub-list", lambda r: r.is_national_staff),
    NavEntry("Dashboard", "reports:dashboard", lambda r: r.is_hub_lead and not r.is_national_staff),
    NavEntry("Work groups", "workgroups:cohort", lambda r: r.is_national_staff or r.is_hub_lead),
    NavEntry("My work groups", "workgroups:my-work-groups", lambda r: r.is_specialist),
    NavEntry("My hub", "schools:my-hub", lambda r: r.is_hub_staff, more=True),
    NavEntry(
        "Expressions of interest",
        "enrolment:eoi-list",
        lambda r: r.is_national_staff or r.is_hub_lead,
    ),
    NavEntry("Schools", "schools:school-search", lambda r: r.is_national_staff or r.is_hub_staff),
    NavEntry(
        "Register",
        "schools:register-import-list",
        lambda r: r.is_national_staff or r.is_hub_lead,
        more=True,
    ),
    NavEntry("My school", "schools:my-school", lambda r: r.is_school_contact),
    NavEntry("Our work groups", "workgroups:my-participation", lambda r: r.is_school_contact),
    NavEntry(
        "Action plans",
        "actionplans:plan-list",
        lambda r: r.is_national_staff or r.is_hub_staff or r.is_school_contact,
    ),
    NavEntry(
        "Outbox",
        "notifications:outbox-list",
        lambda r: r.is_national_staff or r.is_hub_lead,
        more=True,
    ),
]


def nav_items(roles: Roles, current_path: str) -> list[dict]:
    """The entries the role sees, in order; `more` says which go under the "More" menu."""
    entries = [entry for entry in ENTRIES if entry.shown_to(roles)]
    grouped = len(entries) > MAX_INLINE
    items = []
    for entry in entries:
        url = reverse(entry.url_name)
        items.append(
            {
                "label": entry.label,
                "url": url,
                "current": current_path == url,
                "more": grouped and entry.more,
            }
        )
    return items


def start_url(roles: Roles) -> str | None:
    """Where a person lands after signing in: the first page their role uses most."""
    if roles.is_national_staff:
        return reverse("schools:hub-list")
    if roles.is_hub_lead:
        return reverse("workgroups:cohort")
    if roles.is_specialist:
        return reverse("workgroups:my-work-groups")
    if roles.is_school_contact:
        return reverse("schools:my-school")
    return None
