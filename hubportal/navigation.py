"""The main navigation: each entry shows only to the roles that can use it.

An app adds its start pages here when they land; the order here is the order on screen.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from schools.roles import Roles


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    shown_to: Callable[[Roles], bool]


ENTRIES = [
    NavEntry("Hubs", "schools:hub-list", lambda r: r.is_national_staff),
    NavEntry("My hub", "schools:my-hub", lambda r: r.is_hub_staff),
    NavEntry("Schools", "schools:school-search", lambda r: r.is_national_staff or r.is_hub_staff),
    NavEntry("My school", "schools:my-school", lambda r: r.is_school_contact),
]


def nav_items(roles: Roles, current_path: str) -> list[dict]:
    items = []
    for entry in ENTRIES:
        if entry.shown_to(roles):
            url = reverse(entry.url_name)
            items.append({"label": entry.label, "url": url, "current": current_path == url})
    return items


def start_url(roles: Roles) -> str | None:
    """Where a person lands after signing in: the first page their role uses most."""
    if roles.is_national_staff:
        return reverse("schools:hub-list")
    if roles.is_hub_staff:
        return reverse("schools:my-hub")
    if roles.is_school_contact:
        return reverse("schools:my-school")
    return None
