"""Who a person is in the programme: the one place that answers it.

Every app reads roles from here: it sits in core, below every app, so no app imports up for it.
Nothing else reads `is_staff`, the Django admin's own door (`opens_admin` here). National staff
is the account's `is_national_staff` flag. The hub and school facts (which hubs a person leads or
works for, which schools they are a contact for) belong to `schools`, which hands its reader to
`provide_facts` when it starts.

Besides people there are two actors: `SYSTEM`, the portal itself acting (Celery tasks, management
commands, seeding), which services accept wherever the programme's rules let the system act; and
the public, an anonymous visitor, whom only the predicates made for public forms let in.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Roles:
    is_system: bool = False
    is_national_staff: bool = False
    opens_admin: bool = False
    hub_lead_hub_ids: frozenset[int] = frozenset()
    specialist_hub_ids: frozenset[int] = frozenset()
    contact_school_ids: frozenset[int] = frozenset()

    @property
    def everywhere(self) -> bool:
        """The system and national staff: every hub's records."""
        return self.is_system or self.is_national_staff

    @property
    def is_hub_lead(self) -> bool:
        return bool(self.hub_lead_hub_ids)

    @property
    def is_specialist(self) -> bool:
        """Mastery Specialists and Readiness Leads: both lead work groups."""
        return bool(self.specialist_hub_ids)

    @property
    def is_school_contact(self) -> bool:
        return bool(self.contact_school_ids)

    @property
    def is_hub_staff(self) -> bool:
        return self.is_hub_lead or self.is_specialist

    @property
    def needs_second_factor(self) -> bool:
        """Staff roles and the admin's door read people's details: they sign in with MFA."""
        return self.opens_admin or self.is_national_staff or self.is_hub_staff

    @property
    def hub_ids(self) -> frozenset[int]:
        return self.hub_lead_hub_ids | self.specialist_hub_ids

    def leads_hub(self, hub_id: int | None) -> bool:
        """National staff, the system, or a lead of this hub."""
        return self.everywhere or hub_id in self.hub_lead_hub_ids


class SystemActor:
    """The portal acting on its own account: what a service records as nobody in particular."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = id = None
    email = ""
    full_name = "hubportal"

    def __str__(self):
        return "hubportal"

    def __repr__(self):
        return "SYSTEM"


SYSTEM = SystemActor()

# (hub_id, role) rows and school ids for a user: supplied by `schools` when it starts.
FactsReader = Callable[[object], tuple[Iterable[tuple[int, str]], Iterable[int]]]
_facts: FactsReader | None = None
HUB_LEAD = "hub_lead"


def provide_facts(reader: FactsReader) -> None:
    """Called once by `schools` at start-up with its reader of a person's hubs and schools."""
    global _facts
    _facts = reader


def roles_for(actor) -> Roles:
    """The actor's roles, read once per request (one query) and kept on the user object."""
    if actor is SYSTEM:
        return Roles(is_system=True)
    if actor is None or not actor.is_authenticated:
        return Roles()
    cached = getattr(actor, "_portal_roles", None)
    if cached is not None:
        return cached
    hub_rows, school_ids = _facts(actor)
    lead, specialist = set(), set()
    for hub_id, role in hub_rows:
        (lead if role == HUB_LEAD else specialist).add(hub_id)
    roles = Roles(
        is_national_staff=actor.is_national_staff,
        opens_admin=actor.is_staff or actor.is_superuser,
        hub_lead_hub_ids=frozenset(lead),
        specialist_hub_ids=frozenset(specialist),
        contact_school_ids=frozenset(school_ids),
    )
    actor._portal_roles = roles
    return roles


def recorded(actor):
    """The user to record as having acted (on a row or in history): None for the system."""
    return None if actor is SYSTEM or not getattr(actor, "is_authenticated", False) else actor
