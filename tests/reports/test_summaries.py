"""The summaries the figures read are kept by the services that change what they count, in
their transaction: after any sequence of service calls, rebuilding them from the records changes
nothing, and a change made behind the services is mended by the rebuild."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.forms.models import model_to_dict

from actionplans.models import Action, HubYearPlans
from actionplans.programme import ActionStatus
from actionplans.services import action_update
from core.roles import SYSTEM
from schools.models import HubArea, LocalAuthority, School
from schools.services import hub_area_set, school_hub_set
from tests.factories import LocalAuthorityFactory, SchoolFactory, StaffUserFactory
from workgroups.models import (
    Attendance,
    HubPathwayYear,
    HubYear,
    Participation,
    SchoolPathway,
    SupportVisit,
)
from workgroups.programme import Term
from workgroups.services import (
    attendance_mark,
    participation_grant_update,
    participation_withdraw,
    support_visit_record,
    work_group_update,
)

from .conftest import YEAR, build_world

pytestmark = pytest.mark.django_db

SUMMARIES = (HubArea, SchoolPathway, HubPathwayYear, HubYear, HubYearPlans)


def _kept() -> dict:
    """Every summary row, without its own id: what the figures read."""
    kept = {}
    for model in SUMMARIES:
        rows = [model_to_dict(row, exclude=["id"]) for row in model.objects.all()]
        kept[model.__name__] = sorted(rows, key=repr)
    return kept


def _rebuilt() -> dict:
    call_command("rebuild_summaries", stdout=StringIO())
    return _kept()


def test_rebuilding_after_the_worlds_service_calls_changes_nothing(hub, other_hub, hub_lead):
    build_world(hub, other_hub, hub_lead)
    kept = _kept()
    assert all(kept.values()), "every summary has rows to compare"
    assert _rebuilt() == kept


def test_rebuilding_after_more_changes_changes_nothing(hub, other_hub, hub_lead):
    world = build_world(hub, other_hub, hub_lead)
    staff = StaffUserFactory()
    a3 = world.participations[("DEV-24", "A3")]
    b3 = world.participations[("DEV-24", "B3")]
    # Attendance corrected, a visit done, a grant paid, a capacity raised, a school withdrawn.
    workshop = a3.work_group.workshops.get(number=2)
    contact = a3.lead_participants.order_by("pk").last()
    attendance_mark(
        workshop=workshop, contact=contact, status=Attendance.Status.PRESENT, acting_user=SYSTEM
    )
    visit = SupportVisit.objects.get(participation=a3, term=Term.SPRING)
    support_visit_record(
        visit=visit, visited_on=date(2025, 1, 14), next_steps="More reasoning.", acting_user=SYSTEM
    )
    participation_grant_update(
        participation=b3,
        grant_status="claimed",
        grant_claimed_on=date(2025, 1, 2),
        acting_user=SYSTEM,
    )
    work_group_update(work_group=a3.work_group, capacity=9, acting_user=SYSTEM)
    participation_withdraw(
        participation=b3, reason="Merged with another school.", acting_user=SYSTEM
    )
    action = Action.objects.filter(status=ActionStatus.AT_RISK).first()
    action_update(
        action=action,
        version=action.version,
        changes={"status": ActionStatus.DONE},
        acting_user=SYSTEM,
    )
    # The register: a school moved to the other hub, an authority given to it.
    school_hub_set(school=world.schools["A2"], hub=other_hub, acting_user=staff)
    hub_area_set(
        hub=other_hub,
        local_authorities=[
            *LocalAuthority.objects.filter(hub=other_hub),
            LocalAuthority.objects.get(code="WB"),
        ],
        acting_user=staff,
    )
    SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    assert _rebuilt() == _kept()


def test_the_services_keep_the_summaries_they_change(hub, other_hub, hub_lead):
    world = build_world(hub, other_hub, hub_lead)
    row = HubYear.objects.get(hub=hub, start_year=YEAR)
    b3 = world.participations[("DEV-24", "B3")]
    participation_withdraw(
        participation=b3, reason="Merged with another school.", acting_user=SYSTEM
    )
    after = HubYear.objects.get(hub=hub, start_year=YEAR)
    assert (after.places, after.withdrawn) == (row.places - 1, row.withdrawn + 1)
    assert after.visits_due < row.visits_due


def test_rebuilding_mends_summaries_changed_behind_the_services(hub, other_hub, hub_lead):
    build_world(hub, other_hub, hub_lead)
    kept = _kept()
    # Changes the services did not make (SQL, a restore): the rebuild puts them right.
    HubYear.objects.filter(hub=hub).update(places=999)
    HubArea.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM actionplans_hubyearplans")
    assert _rebuilt() == kept
    Participation.objects.filter(work_group__hub=hub).update(status="withdrawn")
    School.objects.update(status="closed")
    rebuilt = _rebuilt()
    assert rebuilt != kept
    assert HubYear.objects.get(hub=hub, start_year=YEAR).places == 0
    assert HubArea.objects.get(hub=hub).open_primary == 0
