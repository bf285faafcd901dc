"""Who may do what with accounts: inviting people and taking up an invitation."""

from core.roles import roles_for


def may_invite(actor, *, national_staff: bool = False) -> bool:
    """National staff (and the system) invite anyone, national staff included. A hub lead invites
    their hub's people: the service giving them a role at the hub checks which hub."""
    roles = roles_for(actor)
    return roles.everywhere or (roles.is_hub_lead and not national_staff)


def may_accept_invitation(actor, invitation) -> bool:
    """Setting a password by the link: anyone holding it, signed in or not (the one-time token is
    the credential), but only on an invitation to an account nobody controls yet. An invitation
    to an existing account is answered by its owner, signed in (`may_answer_invitation`)."""
    return not invitation.for_existing_account


def may_answer_invitation(actor, invitation) -> bool:
    """An invitation to an existing account is accepted or declined by that account's owner,
    signed in as themselves: holding the link is not enough."""
    return (
        invitation.for_existing_account
        and getattr(actor, "is_authenticated", False)
        and actor.pk is not None
        and actor.pk == invitation.user_id
    )
