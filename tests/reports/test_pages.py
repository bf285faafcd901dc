"""The report pages: what they show, the lists behind their figures, and sorting."""

from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import resolve, reverse

from core.roles import SYSTEM
from reports.headlines import HEADLINE_BY_KEY

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db

# Headlines whose list holds exactly the rows the figure counts (on this dataset, where no
# school is in two phases in one year).
COUNTED_BY_THEIR_LIST = [
    "schools",
    "in_readiness",
    "in_development",
    "in_embedding",
    "in_sustaining",
    "withdrawn",
    "reached_readiness",
    "reached_development",
    "reached_embedding",
    "reached_sustaining",
    "plans_missing",
    "grants_due",
    "grants_claimed",
    "grants_paid",
    "visits_done",
]


@pytest.fixture
def on_today():
    with time_machine.travel(TODAY):
        yield


def _count(client, link) -> int:
    response = client.get(link)
    assert response.status_code == 200, link
    return response.context["page"].paginator.count


def test_dashboard_shows_the_hubs_year(client, world, on_today):
    client.force_login(world.lead_user)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Test Maths Hub dashboard, 2024/25</h1>" in page
    assert page.count("<h1") == 1
    assert "86% (6 of 7)" in page  # coverage
    assert "A3 lead 2" in page  # below full attendance
    assert page.count('class="report-chart"') == 6
    headlines = response.context["page"]["headlines"]
    assert headlines["places"].text == "6 of 18"
    assert headlines["release_days"].text == "4.5 of 20"
    assert headlines["grants_due"].text == "2 (£2,000)"
    assert headlines["attendance"].text == "62%"


@pytest.mark.parametrize("key", COUNTED_BY_THEIR_LIST)
def test_each_figure_links_to_the_list_behind_it(client, world, on_today, key):
    client.force_login(world.lead_user)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    figures = response.context["page"]["figures"]
    link = response.context["page"]["headlines"][key].link
    assert _count(client, link) == HEADLINE_BY_KEY[key].value(figures)


def test_every_link_on_the_dashboard_opens(client, world, on_today):
    client.force_login(world.lead_user)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    for cell in response.context["page"]["headlines"].values():
        path = urlsplit(cell.link)
        resolve(path.path)
        assert client.get(cell.link).status_code == 200, cell.link


def test_coverage_links_list_the_schools_of_each_local_authority(client, world, on_today):
    client.force_login(world.lead_user)
    base = reverse("reports:school-list") + f"?hub=test-hub&year={YEAR}&open_primary=on&la=WB"
    assert _count(client, base) == 3
    assert _count(client, base + "&taken_part=yes") == 2
    response = client.get(base + "&taken_part=no")
    assert [school.name for school in response.context["page"]] == ["School B2"]


def test_lists_of_visits_in_each_state(client, world, on_today):
    client.force_login(world.lead_user)
    base = reverse("reports:participation-list") + f"?hub=test-hub&year={YEAR}&visits="
    names = {
        state: sorted(p.school.name for p in client.get(base + state).context["page"])
        for state in ("done", "scheduled", "overdue", "not_scheduled")
    }
    assert names == {
        "done": ["School B3"],
        "scheduled": ["School A3"],
        "overdue": ["School A3", "School B3"],
        "not_scheduled": ["School A3", "School B3"],
    }


def test_list_of_schools_with_a_lead_participant_below_full_attendance(client, world, on_today):
    client.force_login(world.lead_user)
    link = reverse("reports:participation-list") + f"?hub=test-hub&year={YEAR}&below_full=on"
    names = sorted(p.school.name for p in client.get(link).context["page"])
    assert names == ["School A1", "School A3"]


def test_year_on_year_shows_six_years(client, world, on_today):
    client.force_login(world.lead_user)
    response = client.get(reverse("reports:year-on-year") + f"?year={YEAR}")
    assert response.context["years"] == [
        "2019/20",
        "2020/21",
        "2021/22",
        "2022/23",
        "2023/24",
        "2024/25",
    ]
    rows = dict(response.context["page"]["rows"])
    assert [cell.text for cell in rows["Schools taking part"]] == ["0", "0", "0", "2", "3", "6"]
    coverage = [cell.text for cell in rows["Coverage of open primary schools"]]
    assert coverage[-3:] == ["14% (1 of 7)", "57% (4 of 7)", "86% (6 of 7)"]


def test_national_view_sorts_by_any_figure(client, world, staff_user, on_today):
    client.force_login(staff_user)
    path = reverse("reports:national") + f"?year={YEAR}"
    by_name = client.get(path)
    assert [hub.name for hub, _, _ in by_name.context["page"]["rows"]] == [
        "Other Maths Hub",
        "Test Maths Hub",
    ]
    by_schools = client.get(path + "&sort=schools&order=desc")
    assert [hub.name for hub, _, _ in by_schools.context["page"]["rows"]] == [
        "Test Maths Hub",
        "Other Maths Hub",
    ]
    headers = {h["label"]: h for h in by_schools.context["headers"]}
    assert headers["Schools taking part"]["aria_sort"] == "descending"
    assert "order=asc" in headers["Schools taking part"]["url"]
    # No attendance recorded in the other hub: "no figure" sorts last either way.
    for order in ("asc", "desc"):
        response = client.get(path + f"&sort=attendance&order={order}")
        assert [hub.name for hub, _, _ in response.context["page"]["rows"]][-1] == "Other Maths Hub"


def test_a_staff_member_chooses_any_hubs_dashboard(client, world, staff_user, on_today):
    client.force_login(staff_user)
    response = client.get(reverse("reports:dashboard") + f"?hub=other-hub&year={YEAR}")
    assert response.context["hub"] == world.other_hub
    assert response.context["page"]["figures"].taking_part["development"] == 1


def test_an_empty_year_shows_zeros(client, world, on_today):
    client.force_login(world.lead_user)
    response = client.get(reverse("reports:dashboard") + "?year=2021")
    assert response.status_code == 200
    assert response.context["page"]["figures"].schools == 0
    assert "No work groups in 2021/22." in response.content.decode()


def test_a_change_shows_at_once(client, world, on_today):
    from workgroups.services import participation_withdraw

    client.force_login(world.lead_user)
    path = reverse("reports:dashboard") + f"?year={YEAR}"
    assert client.get(path).context["page"]["figures"].withdrawn == 1
    assert 'show=withdrawn">1</a>' in client.get(path).content.decode()
    participation_withdraw(
        participation=world.participations[("EMB-24", "A2")], reason="Closed", acting_user=SYSTEM
    )
    after = client.get(path)
    assert after.context["page"]["figures"].withdrawn == 2
    assert 'show=withdrawn">2</a>' in after.content.decode()
