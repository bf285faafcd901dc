"""Who may do what with a school's action plan.

The school's contacts write it; the group's lead specialist reviews it and comments; the
school's contacts reply. The hub's leads and national staff read it (actionplans.models'
`visible_to`). The system (seeding, carrying plans over) may do each step.
"""

from core.roles import roles_for
from workgroups.models import Participation

from .programme import SHAREABLE, PlanStatus


def _is_school_contact(actor, participation) -> bool:
    return participation.school_id in roles_for(actor).contact_school_ids


def is_group_lead(actor, participation) -> bool:
    """The person who leads the participation's work group."""
    lead = participation.work_group.lead
    pk = getattr(actor, "pk", None)
    return pk is not None and lead is not None and lead.user_id == pk


def may_start_plan(actor, participation) -> bool:
    """A participation's plan is made the first time someone who may read it opens it, or
    when the hub lead places the school."""
    roles = roles_for(actor)
    return (
        roles.everywhere
        or _is_school_contact(actor, participation)
        or is_group_lead(actor, participation)
        or participation.work_group.hub_id in roles.hub_lead_hub_ids
    )


def may_edit(actor, plan) -> bool:
    """The school's contacts write the plan, while the school still takes part."""
    taking_part = plan.participation.status != Participation.Status.WITHDRAWN
    return roles_for(actor).is_system or (
        _is_school_contact(actor, plan.participation) and taking_part
    )


def may_share(actor, plan) -> bool:
    """What the page offers: a plan with something new to share, to those who write it."""
    return may_edit(actor, plan) and plan.status in SHAREABLE


def may_review(actor, plan) -> bool:
    """The group's lead specialist reviews what the school has shared."""
    return roles_for(actor).is_system or is_group_lead(actor, plan.participation)


def may_review_now(actor, plan) -> bool:
    """What the page offers: a review of a plan the school has shared."""
    return may_review(actor, plan) and plan.status == PlanStatus.SHARED


def may_comment(actor, plan) -> bool:
    """The lead specialist comments; the school's contacts reply."""
    return (
        roles_for(actor).is_system
        or is_group_lead(actor, plan.participation)
        or _is_school_contact(actor, plan.participation)
    )
