"""Who may do what with expressions of interest."""

from core.roles import roles_for


def may_submit_interest(actor) -> bool:
    """The public form: anyone, signed in or not, may send a school's expression of interest.
    What guards it is the form's own checks and its rate limits, not who sends it."""
    return True


def may_check_interest(actor, eoi=None) -> bool:
    """The eligibility check is the system's (a task after each submission, and its sweep);
    the hub's lead may run one that is still waiting, from its page."""
    roles = roles_for(actor)
    return roles.is_system or (eoi is not None and eoi.hub_id in roles.hub_lead_hub_ids)


def may_review_interest(actor) -> bool:
    """The review queue: hub leads (their hubs') and national staff (every hub's, to read)."""
    roles = roles_for(actor)
    return roles.everywhere or roles.is_hub_lead


def may_place_interests(actor) -> bool:
    """Placing several schools at once from the queue: hub leads (each school only if they may
    decide on it)."""
    roles = roles_for(actor)
    return roles.is_system or roles.is_hub_lead


def may_decide(actor, eoi) -> bool:
    """Every decision on an expression of interest is the hub lead's, for their own hub's."""
    roles = roles_for(actor)
    return roles.is_system or eoi.hub_id in roles.hub_lead_hub_ids
