from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.roles import SYSTEM
from schools.models import HubStaff
from tests.factories import HubStaffFactory, ParticipationFactory
from workgroups.models import Participation, WorkGroup, Workshop
from workgroups.programme import Phase
from workgroups.services import (
    academic_year_get_or_create,
    next_year_code,
    participation_place,
    participation_withdraw,
    work_group_complete,
    work_group_create,
    work_group_update,
    work_groups_copy_to_next_year,
    workshop_schedule,
)

from .conftest import after_the_year, make_group, school_in

pytestmark = pytest.mark.django_db


def test_a_new_group_has_six_draft_workshops_one_per_half_term(hub, specialist, hub_school):
    group = make_group(hub, specialist)
    workshops = list(group.workshops.select_related("half_term").order_by("number"))
    assert [w.number for w in workshops] == [1, 2, 3, 4, 5, 6]
    assert {w.status for w in workshops} == {Workshop.Status.DRAFT}
    assert [w.half_term.number for w in workshops] == [1, 2, 3, 4, 5, 6]
    # The first workshop is at the specialist's school; the others are chosen later.
    assert workshops[0].host_school == hub_school
    assert [w.host_school for w in workshops[1:]] == [None] * 5
    assert group.capacity == 7 and group.status == WorkGroup.Status.RUNNING


def test_the_lead_is_a_specialist_of_the_same_hub(hub, other_hub, hub_lead):
    stranger = HubStaffFactory(hub=other_hub, role=HubStaff.Role.MASTERY_SPECIALIST)
    with pytest.raises(ValidationError, match="member of this hub's staff"):
        work_group_create(
            hub=hub,
            phase=Phase.DEVELOPMENT,
            academic_year=academic_year_get_or_create(start_year=2026),
            code="X1",
            title="Development",
            lead=stranger,
            acting_user=SYSTEM,
        )
    with pytest.raises(ValidationError, match="must be a Mastery Specialist"):
        make_group(hub, hub_lead, code="X2")
    assert not WorkGroup.objects.exists()


def test_a_readiness_lead_leads_readiness_groups_only(hub):
    readiness = HubStaffFactory(hub=hub, role=HubStaff.Role.READINESS_LEAD).user
    group = make_group(hub, readiness, code="R1", phase=Phase.READINESS)
    assert group.lead.role == HubStaff.Role.READINESS_LEAD
    with pytest.raises(ValidationError, match="must be a Mastery Specialist of the hub"):
        make_group(hub, readiness, code="D1", phase=Phase.DEVELOPMENT)


def test_codes_are_unique(hub, specialist):
    make_group(hub, specialist, code="NCP26-11-01")
    with pytest.raises(ValidationError):
        make_group(hub, specialist, code="NCP26-11-01")


def test_capacity_cannot_drop_below_the_schools_taking_part(world):
    with pytest.raises(ValidationError, match="2 schools already take part"):
        work_group_update(work_group=world.group, capacity=1, acting_user=SYSTEM)
    assert work_group_update(work_group=world.group, capacity=2, acting_user=SYSTEM).capacity == 2


def test_phase_and_year_are_fixed_once_schools_are_in(world):
    with pytest.raises(ValidationError, match="cannot change"):
        work_group_update(work_group=world.group, phase=Phase.EMBEDDING, acting_user=SYSTEM)
    next_year = academic_year_get_or_create(start_year=2027)
    with pytest.raises(ValidationError, match="cannot change"):
        work_group_update(work_group=world.group, academic_year=next_year, acting_user=SYSTEM)


def test_a_running_group_makes_its_placed_schools_active(hub, specialist):
    group = make_group(hub, specialist, status=WorkGroup.Status.OPEN)
    participation = participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    assert participation.status == Participation.Status.PLACED
    work_group_update(work_group=group, status=WorkGroup.Status.RUNNING, acting_user=SYSTEM)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACTIVE


def test_completion_is_not_an_edit(world):
    with pytest.raises(ValidationError, match="own button"):
        work_group_update(
            work_group=world.group, status=WorkGroup.Status.COMPLETED, acting_user=SYSTEM
        )


def test_changing_the_lead_moves_the_unscheduled_first_workshop(hub, specialist, world):
    new_school = school_in(hub)
    other = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST, school=new_school)
    work_group_update(work_group=world.group, lead=other, acting_user=SYSTEM)
    assert world.workshop(1).host_school == new_school


@pytest.mark.parametrize(
    ("code", "expected"),
    [("NCP25-11-03", "NCP26-11-03"), ("NCP25-11", "NCP26-11"), ("EAST-SUST-A", "EAST-SUST-A-26")],
)
def test_next_year_code(code, expected):
    assert next_year_code(code, 2026) == expected


def test_copying_sets_up_next_years_groups_once(hub, specialist, world, hub_lead):
    make_group(hub, specialist, code="NCP26-11-02", phase=Phase.SUSTAINING)
    copies = work_groups_copy_to_next_year(hub=hub, academic_year=world.year, acting_user=hub_lead)
    assert sorted(c.code for c in copies) == ["NCP27-11-01", "NCP27-11-02"]
    copy = next(c for c in copies if c.phase == Phase.DEVELOPMENT)
    assert copy.academic_year.name == "2027/28"
    assert (copy.lead, copy.capacity, copy.title) == (
        world.group.lead,
        world.group.capacity,
        world.group.title,
    )
    assert copy.status == WorkGroup.Status.PLANNING and copy.copied_from == world.group
    assert copy.workshops.count() == 6 and not copy.participations.exists()
    assert copy.history.first().history_user == hub_lead
    with pytest.raises(ValidationError, match="2027/28 already has 2 work groups of"):
        work_groups_copy_to_next_year(hub=hub, academic_year=world.year, acting_user=SYSTEM)


def test_copying_is_refused_once_next_year_has_a_group(hub, specialist, world):
    make_group(hub, specialist, code="EARLY-27", year=2027)
    with pytest.raises(ValidationError, match="2027/28 already has 1 work group of Test Maths Hub"):
        work_groups_copy_to_next_year(hub=hub, academic_year=world.year, acting_user=SYSTEM)
    assert WorkGroup.objects.filter(copied_from=world.group).count() == 0


def test_copying_refuses_a_code_clash_and_saves_nothing(hub, other_hub, world):
    # Another hub's group has the code this hub's copy would take.
    make_group(other_hub, None, code="NCP27-11-01", year=2027)
    with pytest.raises(ValidationError, match="already exists"):
        work_groups_copy_to_next_year(hub=hub, academic_year=world.year, acting_user=SYSTEM)
    assert WorkGroup.objects.filter(copied_from=world.group).count() == 0


def test_completing_a_group_completes_its_schools_but_not_the_withdrawn(world, hub):
    leaver = ParticipationFactory(work_group=world.group, school=school_in(hub))
    participation_withdraw(participation=leaver, reason="Moved to another hub.", acting_user=SYSTEM)
    with after_the_year():
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
    statuses = dict(world.group.participations.values_list("pk", "status"))
    assert statuses == {
        world.participation.pk: Participation.Status.COMPLETED,
        world.other_participation.pk: Participation.Status.COMPLETED,
        leaver.pk: Participation.Status.WITHDRAWN,
    }
    world.group.refresh_from_db()
    assert world.group.status == WorkGroup.Status.COMPLETED and world.group.completed_at
    with pytest.raises(ValidationError, match="already completed"):
        work_group_complete(work_group=world.group, acting_user=SYSTEM)


def test_a_completed_group_is_closed(world, hub):
    with after_the_year():
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="completed"):
        participation_place(work_group=world.group, school=school_in(hub), acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="records are closed"):
        workshop_schedule(
            workshop=world.workshop(3), date=None, session="morning", acting_user=SYSTEM
        )
    with pytest.raises(ValidationError, match="no longer change"):
        work_group_update(work_group=world.group, title="New title", acting_user=SYSTEM)


def test_a_group_is_completed_once_its_workshops_are_past_or_its_year_is_over(world, hub):
    coming = make_group(hub, None, code="NCP27-11-09", year=2027)
    with pytest.raises(ValidationError, match="2027/28 has not begun"):
        work_group_complete(work_group=coming, acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="Workshops 1, 2, 3, 4, 5, 6 of NCP26-11-01 are"):
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
    # Every workshop held or cancelled: the year's work is done, before the summer.
    world.group.workshops.filter(number__lte=2).update(
        status=Workshop.Status.SCHEDULED, date=date(2026, 11, 18)
    )
    world.group.workshops.filter(number=3).update(status=Workshop.Status.CANCELLED)
    with pytest.raises(ValidationError, match="Workshops 4, 5, 6 of"):
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
    world.group.workshops.filter(number__gte=4).update(status=Workshop.Status.CANCELLED)
    assert work_group_complete(work_group=world.group, acting_user=SYSTEM).is_completed
    with pytest.raises(ValidationError, match="already completed"):
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
