"""Who may do what with accounts: inviting people and taking up an invitation."""

from core.roles import roles_for


def may_invite(actor, *, national_staff: bool = False) -> bool:
    """National staff (and the system) invite anyone, national staff included. A hub lead invites
    their hub's people: the service giving them a role at the hub checks which hub."""
    roles = roles_for(actor)
    return roles.everywhere or (roles.is_hub_lead and not national_staff)


def may_accept_invitation(actor) -> bool:
    """Anyone holding the link, signed in or not: the link's one-time token is the credential."""
    return True
