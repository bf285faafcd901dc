"""What needs a hub lead on the dashboard belongs to whatever year it is for: interest arrives
for next year while this year runs."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ExpressionOfInterestFactory, LocalAuthorityFactory, SchoolFactory
from workgroups.services import academic_year_get_or_create

pytestmark = pytest.mark.django_db

# A December: 2026/27 runs, schools express interest for 2027/28.
TODAY = date(2026, 12, 3)


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def interest(hub, on_today):
    """Waiting: four for 2027/28, one for 2026/27; one 2027/28 placed and one 2024/25 waiting
    (a year gone, not counted)."""
    authority = LocalAuthorityFactory(hub=hub)

    def eoi(start_year, **fields):
        return ExpressionOfInterestFactory(
            school=SchoolFactory(local_authority=authority),
            academic_year=academic_year_get_or_create(start_year=start_year),
            **fields,
        )

    return {
        "coming": [eoi(2027) for _ in range(4)],
        "running": [eoi(2026)],
        "placed": eoi(2027, status="placed"),
        "old": eoi(2024),
    }


def _dashboard(client, query=""):
    response = client.get(reverse("reports:dashboard") + query)
    assert response.status_code == 200
    return response


def test_what_needs_you_counts_interest_waiting_in_every_open_year(client, hub_lead, interest):
    client.force_login(hub_lead)
    response = _dashboard(client)
    assert response.context["year"] == 2026
    page = response.context["page"]
    assert [(name, n) for name, n, _ in page["waiting"]] == [("2027/28", 4), ("2026/27", 1)]
    assert response.context["page"]["dashboard"].waiting_total == 5
    html = response.content.decode()
    assert "5</p>" in html and "4 for 2027/28" in html and "1 for 2026/27" in html
    # Each figure's link opens the queue with just those expressions of interest.
    for name, n, link in page["waiting"]:
        query = parse_qs(urlsplit(link).query)
        assert query["status"] == ["to_review"]
        queue = client.get(link)
        assert queue.context["page"].paginator.count == n
        assert f"({name}, Waiting for the hub&#x27;s decision)" in queue.content.decode()


def test_the_same_figure_shows_on_an_earlier_years_dashboard(client, hub_lead, interest):
    client.force_login(hub_lead)
    page = _dashboard(client, "?year=2024").context["page"]
    assert [(name, n) for name, n, _ in page["waiting"]] == [("2027/28", 4), ("2026/27", 1)]


def test_interest_figures_and_export_are_shown_for_the_year_interest_is_for(
    client, hub_lead, interest
):
    client.force_login(hub_lead)
    response = _dashboard(client)
    page = response.context["page"]
    assert page["coming_interests"]["total"][0] == 5
    assert page["interests"]["total"][0] == 1
    html = response.content.decode()
    assert "Expressions of interest for 2027/28 by status and eligibility outcome" in html
    assert "Expressions of interest for 2026/27 by status and eligibility outcome" in html
    assert "?hub=test-hub&amp;year=2027" in html
    export = client.get(
        reverse("reports:export-interests", args=["csv"]) + "?hub=test-hub&year=2027"
    )
    rows = b"".join(export.streaming_content).decode().strip().splitlines()
    assert len(rows) == 1 + 5


def test_the_coming_years_dashboard_shows_its_interest_once(client, hub_lead, interest):
    client.force_login(hub_lead)
    response = _dashboard(client, "?year=2027")
    assert response.context["page"]["coming_interests"] is None
    assert response.context["page"]["interests"]["total"][0] == 5


def test_the_dashboard_reads_open_years_interest_in_a_fixed_number_of_queries(
    client, hub, hub_lead, interest
):
    client.force_login(hub_lead)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            _dashboard(client)
        return len(captured)

    before = queries()
    authority = LocalAuthorityFactory(hub=hub)
    for year in (2026, 2027):
        for _ in range(3):
            ExpressionOfInterestFactory(
                school=SchoolFactory(local_authority=authority),
                academic_year=academic_year_get_or_create(start_year=year),
            )
    assert queries() == before


def test_the_queue_honours_a_year_with_nothing_in_it_and_says_so(client, hub_lead, on_today):
    client.force_login(hub_lead)
    response = client.get(reverse("enrolment:eoi-list") + "?academic_year__start_year=2026")
    assert response.context["page"].paginator.count == 0
    html = response.content.decode()
    assert "0 expressions of interest (2026/27)" in html
    assert 'value="2026" selected' in html
