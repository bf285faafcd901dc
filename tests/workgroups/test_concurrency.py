"""Two placements at the same moment, on PostgreSQL: the row lock keeps capacity whole.

SQLite lets only one writer in at a time, so there is no race to lose there; these tests skip on
it and CI runs them on PostgreSQL.
"""

import os
import threading

import pytest
from django.db import connection, connections

from core.roles import SYSTEM
from workgroups.models import Participation
from workgroups.services import PlacementError, participation_place

from .conftest import make_group, school_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql(transactional_db):
    if connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI runs on PostgreSQL: this test must run there.")
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL); SQLite has a single writer.")


def _at_once(*calls):
    """Run each call in its own thread, released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the loser's error is the result under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_schools_for_the_last_place_one_gets_it(postgresql, hub, specialist):
    group = make_group(hub, specialist, capacity=2)
    participation_place(work_group=group, school=school_in(hub), acting_user=SYSTEM)
    first, second = school_in(hub), school_in(hub)
    results = _at_once(
        lambda: participation_place(work_group=group, school=first, acting_user=SYSTEM),
        lambda: participation_place(work_group=group, school=second, acting_user=SYSTEM),
    )
    placed = [r for r in results if isinstance(r, Participation)]
    refused = [r for r in results if isinstance(r, PlacementError)]
    assert len(placed) == 1 and len(refused) == 1, results
    assert "is full" in refused[0].messages[0]
    assert group.participations.taking_part().count() == 2


def test_one_school_into_two_groups_of_a_phase_at_once(postgresql, hub, specialist):
    school = school_in(hub)
    groups = [make_group(hub, specialist, code=f"D{n}") for n in (1, 2)]
    results = _at_once(
        *(
            lambda group=group: participation_place(
                work_group=group, school=school, acting_user=SYSTEM
            )
            for group in groups
        )
    )
    assert sum(isinstance(r, Participation) for r in results) == 1, results
    assert sum(isinstance(r, PlacementError) for r in results) == 1, results
    assert Participation.objects.filter(school=school).count() == 1
