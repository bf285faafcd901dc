"""Two transactions counting the same hub year at once: one waits for the other, so the
summary ends counting both changes (and neither fails on the row the other wrote)."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from schools.models import HubStaff
from tests.factories import AcademicYearFactory, HubFactory, HubStaffFactory
from workgroups.models import HubYear, WorkGroup
from workgroups.summaries import hub_years_refresh

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_refreshes_of_one_hub_year_count_both_changes():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL; SQLite has one writer at a time.")
    hub = HubFactory()
    year = AcademicYearFactory(start_year=2026)
    lead = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST)
    hub_year = (hub.pk, year.start_year)
    first_counted, errors = threading.Event(), []

    def add_group(code: str, *, hold: bool):
        try:
            with transaction.atomic():
                WorkGroup.objects.create(
                    hub=hub, academic_year=year, phase="development", code=code,
                    title="Development work group", lead=lead, capacity=7, status="running",
                )  # fmt: skip
                hub_years_refresh(hub_years=[hub_year])
                if hold:
                    first_counted.set()
                    # Still uncommitted while the other counts (or, now, waits to).
                    threading.Event().wait(0.5)
        except Exception as error:  # reported below, with the thread's name
            errors.append(f"{code}: {error!r}")
        finally:
            first_counted.set()
            close_old_connections()

    first = threading.Thread(target=add_group, args=("NCP26-A",), kwargs={"hold": True})
    first.start()
    first_counted.wait(10)
    second = threading.Thread(target=add_group, args=("NCP26-B",), kwargs={"hold": False})
    second.start()
    first.join(10)
    second.join(10)

    assert errors == []
    assert HubYear.objects.get(hub=hub, start_year=2026).work_groups == 2
