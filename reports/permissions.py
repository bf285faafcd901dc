"""Who may read which reports: national staff every hub's and the national view, a hub lead
their own hubs'. Reports change nothing, so reading is all there is to decide."""

from core.roles import roles_for


def may_read_national(actor) -> bool:
    return roles_for(actor).everywhere


def reportable_hub_ids(actor) -> frozenset[int] | None:
    """The hubs a person may report on: None for every hub, empty for nobody's."""
    roles = roles_for(actor)
    return None if roles.everywhere else roles.hub_lead_hub_ids
