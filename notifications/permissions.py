"""Who may read the outbox and send its mail again."""

from core.roles import roles_for


def may_read_outbox(actor) -> bool:
    """National staff (every mail) and hub leads (their hub's mail); others have no outbox."""
    roles = roles_for(actor)
    return roles.everywhere or roles.is_hub_lead


def may_resend(actor, notification) -> bool:
    """National staff, and the leads of the hub whose mail it is."""
    roles = roles_for(actor)
    return roles.everywhere or (
        notification.hub_id is not None and notification.hub_id in roles.hub_lead_hub_ids
    )


def may_set_preferences(actor, preference) -> bool:
    """A person's reminder switches are their own."""
    return actor.is_authenticated and preference.user_id == actor.pk
