from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.roles import SYSTEM
from tests.factories import SchoolContactFactory
from workgroups.models import Participation, SupportVisit
from workgroups.programme import Phase, Term
from workgroups.services import (
    PlacementError,
    participation_grant_update,
    participation_place,
    participation_update,
    participation_withdraw,
)

from .conftest import make_group, school_in

pytestmark = pytest.mark.django_db


def test_capacity_is_never_exceeded(hub, specialist):
    group = make_group(hub, specialist, capacity=2)
    participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    with pytest.raises(PlacementError, match="is full: all 2 places are taken"):
        participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    assert group.participations.count() == 2


def test_a_withdrawal_frees_a_place(hub, specialist):
    group = make_group(hub, specialist, capacity=1)
    first = participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    participation_withdraw(participation=first, reason="Headteacher left.", acting_user=SYSTEM)
    participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    assert group.participations.taking_part().count() == 1


def test_one_group_per_phase_per_year(hub, specialist, hub_school):
    first = make_group(hub, specialist, code="D1")
    second = make_group(hub, specialist, code="D2")
    participation_place(work_group=first, school=hub_school, acting_user=SYSTEM)
    with pytest.raises(PlacementError, match="already takes part in a Development work group"):
        participation_place(work_group=second, school=hub_school, acting_user=SYSTEM)
    # Another phase in the same year, or the same phase another year, is allowed.
    participation_place(
        work_group=make_group(hub, specialist, code="S1", phase=Phase.SUSTAINING),
        school=hub_school,
        acting_user=SYSTEM,
    )
    participation_place(
        work_group=make_group(hub, specialist, code="D27", year=2027),
        school=hub_school,
        acting_user=SYSTEM,
    )
    assert Participation.objects.filter(school=hub_school).count() == 3


def test_a_school_that_withdrew_may_join_another_group_of_the_phase(hub, specialist, hub_school):
    first = make_group(hub, specialist, code="D1")
    second = make_group(hub, specialist, code="D2")
    participation = participation_place(work_group=first, school=hub_school, acting_user=SYSTEM)
    participation_withdraw(
        participation=participation, reason="Moved to a nearer group.", acting_user=SYSTEM
    )
    assert participation_place(
        work_group=second, school=hub_school, acting_user=SYSTEM
    ).is_taking_part


def test_lead_participants_are_as_many_as_the_phase_says_and_from_the_school(hub, specialist):
    school = school_in(hub)
    contacts = SchoolContactFactory.create_batch(3, school=school)
    development = make_group(hub, specialist, code="D1")
    with pytest.raises(ValidationError, match="2 lead teachers: choose at most 2"):
        participation_place(
            work_group=development, school=school, lead_participants=contacts, acting_user=SYSTEM
        )
    sustaining = make_group(hub, specialist, code="S1", phase=Phase.SUSTAINING)
    with pytest.raises(ValidationError, match="choose at most 1"):
        participation_place(
            work_group=sustaining, school=school, lead_participants=contacts[:2], acting_user=SYSTEM
        )
    stranger = SchoolContactFactory(school=school_in(hub), name="Sam Elsewhere")
    with pytest.raises(ValidationError, match="Sam Elsewhere is not"):
        participation_place(
            work_group=development, school=school, lead_participants=[stranger], acting_user=SYSTEM
        )
    assert not Participation.objects.exists()
    participation = participation_place(
        work_group=development, school=school, lead_participants=contacts[:2], acting_user=SYSTEM
    )
    assert set(participation.lead_participants.all()) == set(contacts[:2])


def test_naming_lead_participants_and_release_days(world):
    new = SchoolContactFactory(school=world.participation.school)
    participation_update(
        participation=world.participation,
        lead_participants=[new],
        release_days_used=Decimal("3.5"),
        acting_user=SYSTEM,
    )
    world.participation.refresh_from_db()
    assert list(world.participation.lead_participants.all()) == [new]
    assert world.participation.release_days_used == Decimal("3.5")
    with pytest.raises(ValidationError, match="at most 2"):
        participation_update(
            participation=world.participation,
            lead_participants=SchoolContactFactory.create_batch(
                3, school=world.participation.school
            ),
            release_days_used=0,
            acting_user=SYSTEM,
        )


def test_development_schools_get_a_grant_and_three_termly_visits(world, hub, specialist):
    assert world.participation.grant_status == Participation.GrantStatus.DUE
    assert world.participation.grant_amount == 1000
    assert sorted(world.participation.support_visits.values_list("term", flat=True)) == sorted(
        Term.values
    )
    sustaining = participation_place(
        work_group=make_group(hub, specialist, code="S1", phase=Phase.SUSTAINING),
        school=school_in(hub),
        acting_user=SYSTEM,
    )
    assert sustaining.grant_status == Participation.GrantStatus.NOT_APPLICABLE
    assert not sustaining.support_visits.exists()


def test_the_grant_moves_from_due_to_claimed_to_paid_with_its_dates(world):
    with pytest.raises(ValidationError) as refused:
        participation_grant_update(
            participation=world.participation, grant_status="paid", acting_user=SYSTEM
        )
    assert set(refused.value.error_dict) == {"grant_claimed_on", "grant_paid_on"}
    with pytest.raises(ValidationError, match="before it was claimed"):
        participation_grant_update(
            participation=world.participation,
            grant_status="paid",
            grant_claimed_on=date(2026, 11, 2),
            grant_paid_on=date(2026, 10, 1),
            acting_user=SYSTEM,
        )
    with pytest.raises(ValidationError, match="in the future"):
        participation_grant_update(
            participation=world.participation,
            grant_status="claimed",
            grant_claimed_on=date(2026, 12, 1),
            acting_user=SYSTEM,
        )
    participation = participation_grant_update(
        participation=world.participation,
        grant_status="paid",
        grant_claimed_on=date(2026, 10, 1),
        grant_paid_on=date(2026, 11, 2),
        acting_user=SYSTEM,
    )
    assert (participation.grant_status, participation.grant_paid_on) == ("paid", date(2026, 11, 2))


def test_no_grant_in_a_phase_without_one(hub, specialist):
    sustaining = participation_place(
        work_group=make_group(hub, specialist, code="S1", phase=Phase.SUSTAINING),
        school=school_in(hub),
        acting_user=SYSTEM,
    )
    with pytest.raises(ValidationError, match="receive no grant"):
        participation_grant_update(
            participation=sustaining,
            grant_status="claimed",
            grant_claimed_on=date(2026, 10, 1),
            acting_user=SYSTEM,
        )


def test_withdrawal_needs_a_reason_and_cancels_open_visits(world, hub_lead):
    with pytest.raises(ValidationError, match="Say why"):
        participation_withdraw(participation=world.participation, reason="  ", acting_user=SYSTEM)
    participation = participation_withdraw(
        participation=world.participation, reason="Staffing changes.", acting_user=hub_lead
    )
    assert participation.status == Participation.Status.WITHDRAWN
    assert participation.withdrawn_reason == "Staffing changes." and participation.withdrawn_at
    assert set(participation.support_visits.values_list("status", flat=True)) == {
        SupportVisit.Status.CANCELLED
    }
    assert participation.history.first().history_user == hub_lead
    with pytest.raises(ValidationError, match="already withdrawn"):
        participation_withdraw(participation=participation, reason="Again.", acting_user=SYSTEM)
