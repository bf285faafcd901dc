"""Who a signed-in person is in the programme: the one place that answers it."""

from dataclasses import dataclass

from django.db.models import CharField, Value

from .models import HubStaff, SchoolContact


@dataclass(frozen=True)
class Roles:
    is_national_staff: bool = False
    hub_lead_hub_ids: frozenset[int] = frozenset()
    specialist_hub_ids: frozenset[int] = frozenset()
    contact_school_ids: frozenset[int] = frozenset()

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
    def hub_ids(self) -> frozenset[int]:
        return self.hub_lead_hub_ids | self.specialist_hub_ids


def roles_for(user) -> Roles:
    """The person's roles, read once per request (one query) and kept on the user object."""
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_portal_roles", None)
    if cached is not None:
        return cached
    # One query: the hubs the person works for (with their role) and the schools they are a
    # contact for. No ordering: the models' default order would join hubs and schools for nothing.
    contact = "school contact"
    rows = (
        HubStaff.objects.filter(user=user)
        .order_by()
        .values_list("hub_id", "role")
        .union(
            SchoolContact.objects.filter(user=user)
            .order_by()
            .values_list("school_id", Value(contact, output_field=CharField())),
            all=True,
        )
    )
    lead, specialist, schools = set(), set(), set()
    for pk, role in rows:
        {HubStaff.Role.HUB_LEAD: lead, contact: schools}.get(role, specialist).add(pk)
    roles = Roles(
        is_national_staff=user.is_staff,
        hub_lead_hub_ids=frozenset(lead),
        specialist_hub_ids=frozenset(specialist),
        contact_school_ids=frozenset(schools),
    )
    user._portal_roles = roles
    return roles
