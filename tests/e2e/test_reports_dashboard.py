"""A hub lead reads the year on the dashboard, follows a figure to its list and downloads a
return; national staff compare every hub and sort the table."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD
from tests.reports.conftest import build_world

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(hub, other_hub, hub_lead, staff_user):
    return build_world(hub, other_hub, hub_lead)


def test_hub_lead_reads_the_dashboard_and_downloads_a_return(page, world, assert_accessible):
    sign_in(page, "lead@example.org", TEST_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Academic year").select_option("2024")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Maths Hub dashboard, 2024/25")
    expect(page.get_by_role("img", name="The hub's schools that have ever reached each phase"))
    coverage = page.get_by_role("table", name="Coverage by local authority, by 2024/25")
    expect(coverage.get_by_role("row", name="Authority B")).to_contain_text("67%")
    assert_accessible(page)

    page.get_by_role(
        "table", name="Action plans of the schools taking part in 2024/25"
    ).get_by_role("link", name="3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Participations")
    expect(page.get_by_text("3 participations.")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "participations-test-hub-2024-25.csv"

    page.go_back()
    funnel = page.get_by_role(
        "table", name="Test Maths Hub's schools that have reached each phase by 2024/25"
    )
    funnel.get_by_role("link", name="6", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schools and their pathway")
    expect(page.get_by_text("6 schools.")).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="The last six years side by side").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Test Maths Hub year on year, 2019/20 to 2024/25"
    )
    assert_accessible(page)


def test_staff_sort_every_hub(page, world, assert_accessible):
    sign_in(page, "staff@example.org", TEST_PASSWORD)
    page.get_by_role("link", name="National view").click()
    page.get_by_label("Academic year").select_option("2024")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Every hub's figures for 2024/25")
    rows = table.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Other Maths Hub")
    table.get_by_role("link", name="Schools taking part").click()
    table.get_by_role("link", name="Schools taking part").click()
    expect(page.get_by_role("columnheader", name="Schools taking part")).to_have_attribute(
        "aria-sort", "descending"
    )
    expect(rows.nth(1)).to_contain_text("Test Maths Hub")
    assert_accessible(page)
    rows.nth(1).get_by_role("link", name="Test Maths Hub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Maths Hub dashboard, 2024/25")
    assert_accessible(page)
