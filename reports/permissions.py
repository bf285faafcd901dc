"""Who may read which reports, and who may handle a person's data: national staff every hub's
and the national view, a hub lead their own hubs'."""

from core.roles import roles_for


def may_read_national(actor) -> bool:
    return roles_for(actor).everywhere


def reportable_hub_ids(actor) -> frozenset[int] | None:
    """The hubs a person may report on: None for every hub, empty for nobody's."""
    roles = roles_for(actor)
    return None if roles.everywhere else roles.hub_lead_hub_ids


def may_open_personal_data(actor) -> bool:
    """The subject access and erasure screen: national staff and hub leads."""
    roles = roles_for(actor)
    return roles.everywhere or roles.is_hub_lead


def may_handle_personal_data(actor, hub) -> bool:
    """Give or erase a person's data: everywhere (no hub) for national staff and the system, or
    within a hub for its lead."""
    roles = roles_for(actor)
    return roles.everywhere if hub is None else roles.leads_hub(hub.pk)


def may_download_subject_access(actor, access_request) -> bool:
    """An export is for the person who asked for it (the system for a command's), and only
    while they may still handle that data."""
    roles = roles_for(actor)
    asker = None if roles.is_system else getattr(actor, "pk", None)
    if asker is None and not roles.is_system:
        return False
    return access_request.requested_by_id == asker and may_handle_personal_data(
        actor, access_request.hub
    )


def may_build_subject_access(actor) -> bool:
    """Only the portal itself gathers an export, in a worker."""
    return roles_for(actor).is_system


def may_apply_retention(actor) -> bool:
    return roles_for(actor).is_system
