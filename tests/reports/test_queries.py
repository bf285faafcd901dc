"""The report pages run a fixed number of queries (at most 20) whatever the size of the data;
exports a fixed number per batch."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import exports

from .conftest import TODAY, grow

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


PAGES = [
    ("hub_lead", "reports:dashboard", "?year=2024"),
    ("hub_lead", "reports:year-on-year", "?year=2024"),
    ("staff", "reports:national", "?year=2024"),
    ("staff", "reports:dashboard", "?year=2024&hub=test-hub"),
    ("hub_lead", "reports:participation-list", "?year=2024&visits=overdue"),
    ("hub_lead", "reports:participation-list", ""),
    ("staff", "reports:school-list", "?reached=development"),
]


@pytest.mark.parametrize(("role", "name", "query"), PAGES)
def test_pages_keep_a_fixed_number_of_queries(
    client, world, staff_user, role, name, query, django_assert_max_num_queries
):
    client.force_login(staff_user if role == "staff" else world.lead_user)
    path = reverse(name) + query
    with time_machine.travel(TODAY):
        with django_assert_max_num_queries(MAX_QUERIES):
            small = _queries(client, path)
        grow(world, hubs=4)
        with django_assert_max_num_queries(MAX_QUERIES):
            large = _queries(client, path)
    assert small == large


EXPORTS = [
    ("reports:export-participations", ""),
    ("reports:export-participations", "?year=2024&hub=test-hub"),
    ("reports:export-schools", ""),
    ("reports:export-interests", ""),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("name", "query"), EXPORTS)
def test_exports_keep_a_fixed_number_of_queries_per_batch(
    client, world, staff_user, monkeypatch, name, query, fmt
):
    monkeypatch.setattr(exports, "BATCH_SIZE", 5)
    client.force_login(staff_user)
    path = reverse(name, kwargs={"fmt": fmt}) + query

    def per_batch():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            body = b"".join(response.streaming_content)
        return len(queries), body

    small, _ = per_batch()
    grow(world, hubs=4)
    large, body = per_batch()
    assert body
    # Every batch (of 5 rows) adds at most three queries: what the database adds up for its rows
    # (attendance; visits), and their lead participants.
    assert small <= MAX_QUERIES
    assert large - small <= 3 * 8, (small, large)


def test_a_national_export_reads_in_batches(client, world, staff_user, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 4)
    client.force_login(staff_user)
    grow(world, hubs=3)
    path = reverse("reports:export-participations", kwargs={"fmt": "csv"})
    with CaptureQueriesContext(connection) as queries:
        rows = b"".join(client.get(path).streaming_content).decode().splitlines()
    prefetches = [q for q in queries if "lead_participants" in q["sql"].lower()]
    batches = -(-(len(rows) - 1) // 4)
    assert len(prefetches) == batches
