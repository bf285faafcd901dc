"""Who may see and do what with hubs, schools and the national register."""

from core.roles import roles_for


def may_search_register(actor) -> bool:
    """The register's schools and contacts are for the people who work with schools."""
    roles = roles_for(actor)
    return roles.everywhere or roles.is_hub_staff


def may_list_hubs(actor) -> bool:
    return roles_for(actor).everywhere


def may_manage_hub_staff(actor, hub) -> bool:
    """The hub's own leads and national staff invite and remove the hub's staff."""
    return roles_for(actor).leads_hub(hub.pk)


def may_set_hub_area(actor, hub) -> bool:
    """Only national staff redraw hub areas: moving an authority takes it from another hub."""
    return roles_for(actor).everywhere


def may_set_school_hub(actor, school) -> bool:
    """National staff, or a lead of the hub the school is in now or would be in by its area."""
    roles = roles_for(actor)
    hubs = {school.hub_override_id, school.local_authority.hub_id} - {None}
    return roles.everywhere or bool(hubs & roles.hub_lead_hub_ids)


def may_import_register(actor) -> bool:
    """Only national staff (and the system) load the national register: it moves, renames and
    closes every hub's schools."""
    return roles_for(actor).everywhere


def may_read_register_imports(actor) -> bool:
    """National staff read every import; a hub lead what each changed in their own area."""
    roles = roles_for(actor)
    return roles.everywhere or roles.is_hub_lead


def may_see_who_ran_imports(actor) -> bool:
    return roles_for(actor).everywhere


def may_see_school_contacts(actor) -> bool:
    """Contacts are for the staff who work with schools, not for other schools."""
    return may_search_register(actor)


def may_see_hub_names(actor, school, hub_id) -> bool:
    """The work group codes and specialists' names of a school's pathway entry: the staff of the
    hub whose group it was (and national staff), and the school's own contacts."""
    roles = roles_for(actor)
    return roles.everywhere or hub_id in roles.hub_ids or school.pk in roles.contact_school_ids
