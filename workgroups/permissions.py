"""Who may do what in a work group's year.

The programme has two kinds of write: setting up the hub's year (its hub leads: groups, places,
funding) and running a group (its lead specialist, and the hub's leads, who stand in for one:
workshops, attendance, visits). The system (seeding, tasks) may do both.
"""

from core.roles import roles_for


def may_manage_work_groups(actor, hub) -> bool:
    """Create, edit, copy and complete groups; place, withdraw and fund schools: hub leads."""
    hub_id = hub if isinstance(hub, int) or hub is None else hub.pk
    roles = roles_for(actor)
    return roles.is_system or hub_id in roles.hub_lead_hub_ids


def may_run_work_group(actor, work_group) -> bool:
    """Schedule workshops, take attendance, log visits, invite teachers: the group's lead."""
    is_lead = (
        work_group.lead_id is not None
        and getattr(actor, "pk", None) is not None
        and work_group.lead.user_id == actor.pk
    )
    return is_lead or may_manage_work_groups(actor, work_group.hub_id)


def may_keep_calendar(actor, user) -> bool:
    """A person's calendar address is theirs alone."""
    return actor.is_authenticated and getattr(actor, "pk", None) == user.pk
