"""Concurrent placements on PostgreSQL: a group never goes over capacity, the losers are told why.

SQLite takes one writer at a time, so there is no race to test there; CI runs this on PostgreSQL.
"""

import os
import threading

import pytest
from django.db import connection, connections

from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from enrolment.services import eoi_check, eoi_place, eoi_submit
from schools.models import SchoolContact
from tests.factories import LocalAuthorityFactory, SchoolFactory
from workgroups.models import Participation
from workgroups.services import PlacementError

from .conftest import answers, make_group

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOLS = 20
CAPACITY = 7


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs on PostgreSQL: this test must run there.")
        pytest.skip("Row locks need PostgreSQL (set DATABASE_URL); SQLite has one writer.")


def _race(work, count):
    """Run work(i) in `count` threads released together; return what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # the race's losers: kept to assert on
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_placements_into_seven_places(postgresql, hub, hub_lead, year):
    group = make_group(hub=hub, year=year, capacity=CAPACITY)
    la = LocalAuthorityFactory(hub=hub)
    eois = []
    for _ in range(SCHOOLS):
        eoi, _ = eoi_submit(**answers(SchoolFactory(local_authority=la)))
        eois.append(eoi_check(eoi_id=eoi.pk, acting_user=SYSTEM))

    results = _race(
        lambda i: eoi_place(eoi=eois[i], work_group=group, acting_user=hub_lead), SCHOOLS
    )

    placed = [r for r in results if isinstance(r, Participation)]
    refused = [r for r in results if isinstance(r, PlacementError)]
    assert len(placed) == CAPACITY
    assert len(refused) == SCHOOLS - CAPACITY
    assert not [r for r in results if not isinstance(r, Participation | PlacementError)]
    for error in refused:
        assert error.messages == [
            f"{group.code} is full: all {CAPACITY} places are taken. Raise its capacity or "
            "choose another group."
        ]
    assert Participation.objects.filter(work_group=group).count() == CAPACITY
    statuses = list(ExpressionOfInterest.objects.values_list("status", flat=True))
    assert statuses.count("placed") == CAPACITY
    assert statuses.count("to_review") == SCHOOLS - CAPACITY
    # The losers' contacts were rolled back with their placement: nothing half-saved.
    placed_schools = {p.school_id for p in placed}
    assert set(SchoolContact.objects.values_list("school_id", flat=True)) == placed_schools


def test_a_double_submit_racing_itself_saves_one(postgresql, hub, hub_school):
    results = _race(lambda i: eoi_submit(**answers(hub_school)), 8)
    created = [r for r in results if isinstance(r, tuple) and r[1]]
    assert len(created) == 1
    assert {r[0].pk for r in results} == {created[0][0].pk}
    assert ExpressionOfInterest.objects.count() == 1
