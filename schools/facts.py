"""What `core.roles` reads about a person from the register: their hubs and schools."""

from django.db.models import CharField, Value

from .models import HubStaff, SchoolContact

CONTACT = "school contact"


def person_facts(user) -> tuple[list[tuple[int, str]], list[int]]:
    """(hub id, role) of each hub the person works for, and the schools they are a contact for.

    One query. No ordering: the models' default order would join hubs and schools for nothing.
    """
    rows = (
        HubStaff.objects.filter(user=user)
        .order_by()
        .values_list("hub_id", "role")
        .union(
            SchoolContact.objects.filter(user=user)
            .order_by()
            .values_list("school_id", Value(CONTACT, output_field=CharField())),
            all=True,
        )
    )
    hubs, schools = [], []
    for pk, role in rows:
        if role == CONTACT:
            schools.append(pk)
        else:
            hubs.append((pk, role))
    return hubs, schools
