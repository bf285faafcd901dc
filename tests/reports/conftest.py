"""A small hub whose every dashboard figure is worked out by hand (see `world`).

Everything is built through the services (work groups, placements, attendance, visits, plans,
grants), as the portal builds it; only expressions of interest come from their factory, which
makes them as the review queue sees them.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from actionplans.programme import ActionStatus
from actionplans.services import (
    action_create,
    action_plan_create,
    action_plan_share,
    priority_create,
)
from core.roles import SYSTEM
from schools.models import HubStaff, School
from tests.factories import (
    ExpressionOfInterestFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
)
from workgroups.models import Attendance, SupportVisit, WorkGroup, Workshop
from workgroups.programme import Phase, Term
from workgroups.services import (
    academic_year_get_or_create,
    attendance_mark,
    participation_grant_update,
    participation_place,
    participation_update,
    participation_withdraw,
    support_visit_record,
    support_visit_schedule,
    work_group_create,
    workshop_invite,
    workshop_schedule,
)

# The day the figures are read on: in the spring term of 2024/25.
TODAY = date(2025, 1, 15)
YEAR = 2024


@dataclass
class World:
    hub: object
    other_hub: object
    lead_user: object
    schools: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    participations: dict = field(default_factory=dict)


def _group(world, code, phase, start_year, capacity, hub=None):
    hub = hub or world.hub
    specialist = HubStaff.objects.filter(
        hub=hub,
        role=HubStaff.Role.READINESS_LEAD
        if phase == Phase.READINESS
        else HubStaff.Role.MASTERY_SPECIALIST,
    ).first()
    group = work_group_create(
        hub=hub,
        phase=phase,
        academic_year=academic_year_get_or_create(start_year=start_year),
        code=code,
        title=f"{phase.label} work group",
        lead=specialist,
        capacity=capacity,
        status=WorkGroup.Status.RUNNING,
        acting_user=SYSTEM,
    )
    world.groups[code] = group
    return group


def _place(world, code, school_key, leads=0):
    school = world.schools[school_key]
    contacts = [
        SchoolContactFactory(school=school, name=f"{school_key} lead {n}")
        for n in range(1, leads + 1)
    ]
    participation = participation_place(
        work_group=world.groups[code], school=school, lead_participants=contacts, acting_user=SYSTEM
    )
    world.participations[(code, school_key)] = participation
    return participation


def _held(group, *days):
    """Schedule the group's first workshops on these days (each in its half-term)."""
    workshops = list(group.workshops.order_by("number"))
    for workshop, day in zip(workshops, days, strict=False):
        workshop_schedule(
            workshop=workshop, date=day, session=Workshop.Session.MORNING, acting_user=SYSTEM
        )
    return list(group.workshops.order_by("number"))


def _mark(workshop, participation, marks):
    """Mark the participation's lead participants, in name order, with `marks`."""
    leads = list(participation.lead_participants.order_by("name"))
    for contact, status in zip(leads, marks, strict=True):
        attendance_mark(workshop=workshop, contact=contact, status=status, acting_user=SYSTEM)


def build_world(hub, other_hub, lead_user) -> World:
    """The hand-worked dataset. Schools (key: where, what):

    Test hub, authority A (WA): A1, A2, A3 open primary; A4 closed primary; A5 open secondary.
    Test hub, authority B (WB): B1, B2, B3 open primary.
    Other hub, authority C (WC): C1 open primary; M open primary moved to the test hub.

    Pathways: A1 Development 2022 → Embedding 2023 → Sustaining 2024. A4 Development 2022 (since
    closed). B1 Development 2022 (withdrawn), Development 2023, Embedding 2024. A2 Development
    2023, Embedding 2024. A3 Readiness 2023 in the other hub's group, Development 2024. B2
    Development 2024 (withdrawn). B3 Development 2024. M Sustaining 2024 (a Mastery Specialist
    school). C1 Development 2024 in the other hub.
    """
    world = World(hub=hub, other_hub=other_hub, lead_user=lead_user)
    authority_a = LocalAuthorityFactory(code="WA", name="Authority A", hub=hub)
    authority_b = LocalAuthorityFactory(code="WB", name="Authority B", hub=hub)
    authority_c = LocalAuthorityFactory(code="WC", name="Authority C", hub=other_hub)
    for key, authority, fields in [
        ("A1", authority_a, {}),
        ("A2", authority_a, {}),
        ("A3", authority_a, {}),
        ("A4", authority_a, {"status": School.Status.CLOSED}),
        ("A5", authority_a, {"phase_of_education": "Secondary"}),
        ("B1", authority_b, {}),
        ("B2", authority_b, {}),
        ("B3", authority_b, {}),
        ("C1", authority_c, {}),
        ("M", authority_c, {"hub_override": hub, "is_mastery_specialist_school": True}),
    ]:
        world.schools[key] = SchoolFactory(
            name=f"School {key}", local_authority=authority, **fields
        )
    for the_hub in (hub, other_hub):
        HubStaffFactory(hub=the_hub, role=HubStaff.Role.MASTERY_SPECIALIST)
        HubStaffFactory(hub=the_hub, role=HubStaff.Role.READINESS_LEAD)

    # 2022/23
    _group(world, "DEV-22", Phase.DEVELOPMENT, 2022, 7)
    _place(world, "DEV-22", "A1")
    _place(world, "DEV-22", "A4")
    _place(world, "DEV-22", "B1")
    participation_withdraw(
        participation=world.participations[("DEV-22", "B1")], reason="Moved", acting_user=SYSTEM
    )

    # 2023/24
    _group(world, "DEV-23", Phase.DEVELOPMENT, 2023, 7)
    _group(world, "EMB-23", Phase.EMBEDDING, 2023, 7)
    _group(world, "O-RDY-23", Phase.READINESS, 2023, 7, hub=other_hub)
    _place(world, "EMB-23", "A1")
    a2 = _place(world, "DEV-23", "A2")
    b1 = _place(world, "DEV-23", "B1")
    _place(world, "O-RDY-23", "A3")
    participation_grant_update(
        participation=a2,
        grant_status="paid",
        grant_claimed_on=date(2024, 3, 1),
        grant_paid_on=date(2024, 4, 2),
        acting_user=SYSTEM,
    )
    participation_grant_update(
        participation=b1,
        grant_status="claimed",
        grant_claimed_on=date(2024, 5, 1),
        acting_user=SYSTEM,
    )

    # 2024/25
    _group(world, "SUS-24", Phase.SUSTAINING, 2024, 6)
    _group(world, "DEV-24", Phase.DEVELOPMENT, 2024, 7)
    _group(world, "EMB-24", Phase.EMBEDDING, 2024, 5)
    _group(world, "O-DEV-24", Phase.DEVELOPMENT, 2024, 7, hub=other_hub)
    a1 = _place(world, "SUS-24", "A1", leads=1)
    m = _place(world, "SUS-24", "M", leads=1)
    a3 = _place(world, "DEV-24", "A3", leads=2)
    b2 = _place(world, "DEV-24", "B2", leads=1)
    b3 = _place(world, "DEV-24", "B3")
    _place(world, "EMB-24", "A2", leads=1)
    _place(world, "EMB-24", "B1", leads=1)
    _place(world, "O-DEV-24", "C1", leads=1)

    # Attendance: workshops 1 and 2 held in SUS-24 and DEV-24; none taken in EMB-24.
    sus = _held(world.groups["SUS-24"], date(2024, 10, 1), date(2024, 11, 12))
    dev = _held(world.groups["DEV-24"], date(2024, 10, 2), date(2024, 11, 13))
    _held(world.groups["EMB-24"], date(2024, 10, 3))
    present, absent, apologies = (
        Attendance.Status.PRESENT,
        Attendance.Status.ABSENT,
        Attendance.Status.APOLOGIES,
    )
    _mark(sus[0], a1, [apologies])
    _mark(sus[1], a1, [apologies])
    _mark(sus[0], m, [present])
    _mark(sus[1], m, [present])
    _mark(dev[0], a3, [present, present])
    _mark(dev[1], a3, [present, absent])
    _mark(dev[0], b2, [absent])
    # Another teacher of A1 invited to a workshop: not a lead participant, so not counted.
    guest = SchoolContactFactory(school=world.schools["A1"], name="A1 guest")
    workshop_invite(workshop=sus[0], contact=guest, acting_user=SYSTEM)
    attendance_mark(workshop=sus[0], contact=guest, status=absent, acting_user=SYSTEM)

    # Grants and release days (B2's are recorded before it withdraws).
    participation_update(
        participation=a3,
        lead_participants=list(a3.lead_participants.all()),
        release_days_used=Decimal("4.5"),
        acting_user=SYSTEM,
    )
    participation_update(
        participation=b2,
        lead_participants=list(b2.lead_participants.all()),
        release_days_used=Decimal("2"),
        acting_user=SYSTEM,
    )
    participation_grant_update(
        participation=b2,
        grant_status="claimed",
        grant_claimed_on=date(2024, 10, 20),
        acting_user=SYSTEM,
    )
    participation_withdraw(participation=b2, reason="The lead teacher left.", acting_user=SYSTEM)

    # Support visits of DEV-24 (read on TODAY, 15 January 2025; autumn term ended 18 December).
    visits = {
        (key, v.term): v
        for key, p in (("A3", a3), ("B3", b3))
        for v in SupportVisit.objects.filter(participation=p)
    }
    support_visit_schedule(
        visit=visits[("A3", Term.SPRING)], scheduled_for=date(2025, 2, 5), acting_user=SYSTEM
    )
    support_visit_record(
        visit=visits[("B3", Term.AUTUMN)],
        visited_on=date(2024, 11, 20),
        next_steps="Keep going.",
        acting_user=SYSTEM,
    )
    support_visit_schedule(
        visit=visits[("B3", Term.SPRING)], scheduled_for=date(2025, 1, 10), acting_user=SYSTEM
    )

    # Action plans: A1 shared; M and A3 drafts, A3 with one action at risk; B2 (withdrawn) too.
    action_plan_share(
        plan=action_plan_create(participation=a1, acting_user=SYSTEM),
        acting_user=SYSTEM,
        quiet=True,
    )
    action_plan_create(participation=m, acting_user=SYSTEM)
    for participation in (a3, b2):
        plan = action_plan_create(participation=participation, acting_user=SYSTEM)
        priority = priority_create(
            plan=plan, title="Fluency", areas=["fluency"], acting_user=SYSTEM
        )
        action_create(
            priority=priority,
            acting_user=SYSTEM,
            description="Daily fluency",
            status=ActionStatus.AT_RISK,
        )
        action_create(
            priority=priority,
            acting_user=SYSTEM,
            description="Times tables",
            status=ActionStatus.ON_TRACK,
        )

    # Expressions of interest for 2024/25: five for the test hub, one for the other; one for 2023.
    year = academic_year_get_or_create(start_year=YEAR)
    for key, status, outcome in [
        ("A1", "to_review", "eligible"),
        ("A2", "to_review", "eligible"),
        ("B3", "waitlisted", "needs_review"),
        ("M", "placed", "eligible"),
        ("B2", "declined", "not_eligible"),
    ]:
        ExpressionOfInterestFactory(
            school=world.schools[key], hub=hub, academic_year=year, status=status, outcome=outcome
        )
    ExpressionOfInterestFactory(school=world.schools["C1"], hub=other_hub, academic_year=year)
    ExpressionOfInterestFactory(
        school=world.schools["A5"],
        hub=hub,
        academic_year=academic_year_get_or_create(start_year=2023),
        status="placed",
    )
    return world


@pytest.fixture
def world(hub, other_hub, hub_lead):
    return build_world(hub, other_hub, hub_lead)


def grow(world, *, hubs: int, schools_per_group: int = 4) -> None:
    """Add hubs like the test hub, each with two years of groups, attendance, visits, plans and
    expressions of interest: the same pages must then run the same number of queries."""
    from tests.factories import HubFactory

    for n in range(hubs):
        hub = HubFactory()
        authority = LocalAuthorityFactory(hub=hub)
        HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST)
        for start_year, phase in ((2023, Phase.DEVELOPMENT), (2024, Phase.SUSTAINING)):
            code = f"G{n}-{start_year}"
            group = _group(world, code, phase, start_year, schools_per_group + 1, hub=hub)
            first = _held(group, date(start_year, 10, 2 if start_year == 2023 else 1))[0]
            for s in range(schools_per_group):
                key = f"{code}-{s}"
                world.schools[key] = SchoolFactory(local_authority=authority)
                participation = _place(world, code, key, leads=1)
                _mark(
                    first,
                    participation,
                    [Attendance.Status.ABSENT if s % 2 else Attendance.Status.PRESENT],
                )
                action_plan_create(participation=participation, acting_user=SYSTEM)
            ExpressionOfInterestFactory(
                school=world.schools[f"{code}-0"],
                hub=hub,
                academic_year=academic_year_get_or_create(start_year=start_year),
                phase=Phase.EMBEDDING,
            )
        # The test hub grows too: more schools in its area, and in its 2024 Sustaining group.
        extra = SchoolFactory(local_authority=LocalAuthorityFactory(hub=world.hub))
        world.schools[f"extra-{n}"] = extra
        if n < 3:
            participation_place(work_group=world.groups["SUS-24"], school=extra, acting_user=SYSTEM)
