"""Where schools are: a school sees how far each group's hosts are once it gives its school; the
hub lead reads the map of the hub on the dashboard and takes a suggested placement."""

import pytest
from playwright.sync_api import expect

from core.roles import SYSTEM
from enrolment.selectors import coming_start_year
from schools.models import HubStaff
from tests.enrolment.conftest import make_group
from tests.factories import (
    TEST_PASSWORD,
    ExpressionOfInterestFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolFactory,
    WorkshopFactory,
)
from workgroups.models import Participation, WorkGroup
from workgroups.services import academic_year_get_or_create, participation_place

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hub = HubFactory(name="Abacus Maths Hub", slug="abacus-maths-hub")
    la = LocalAuthorityFactory(hub=hub, name="Leedsshire")
    lead = HubStaffFactory(
        hub=hub, role=HubStaff.Role.HUB_LEAD, user__email="lead@abacus.example"
    ).user
    year = academic_year_get_or_create(start_year=coming_start_year())
    near_host = SchoolFactory(
        name="Hilltop Primary", local_authority=la, town="Otley", easting=403_000, northing=304_000
    )
    far_host = SchoolFactory(
        name="Riverside Primary",
        local_authority=la,
        town="Wetherby",
        easting=420_000,
        northing=300_000,
    )
    near = make_group(hub=hub, year=year, code="NCP-NEAR")
    far = make_group(hub=hub, year=year, code="NCP-FAR")
    WorkshopFactory(work_group=near, number=1, host_school=near_host)
    WorkshopFactory(work_group=far, number=1, host_school=far_host)
    school = SchoolFactory(
        name="Oakfield Primary School", local_authority=la, easting=400_000, northing=300_000
    )
    eoi = ExpressionOfInterestFactory(school=school, hub=hub, academic_year=year)
    # Schools across the area for the map, at every stage; one without a grid reference.
    this_year = academic_year_get_or_create(start_year=coming_start_year() - 1)
    running = make_group(hub=hub, year=this_year, code="NCP-NOW")
    running.status = WorkGroup.Status.RUNNING
    running.save()
    WorkshopFactory(work_group=running, number=1, host_school=near_host)
    for n in range(12):
        other = SchoolFactory(
            local_authority=la, easting=395_000 + 1500 * n, northing=290_000 + 900 * n
        )
        if n < 3:
            participation_place(work_group=running, school=other, acting_user=SYSTEM)
    SchoolFactory(
        local_authority=la, is_mastery_specialist_school=True, easting=401_000, northing=299_000
    )
    SchoolFactory(local_authority=la)
    return {"hub": hub, "lead": lead, "school": school, "eoi": eoi, "near": near}


def test_a_school_sees_how_far_each_group_is_after_giving_its_school(
    page, world, assert_accessible
):
    page.goto("/work-groups/abacus-maths-hub/")
    groups = page.get_by_role(
        "table", name="Development work groups open for expressions of interest"
    )
    expect(groups.get_by_role("row", name="NCP-NEAR")).to_contain_text("Otley")
    page.get_by_label("Your school's URN").fill("12x")
    page.get_by_role("button", name="Show distances").click()
    expect(page.get_by_text("Enter your school's URN")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your school's URN").fill(str(world["school"].urn))
    page.get_by_role("button", name="Show distances").click()
    expect(page.get_by_text("as the crow flies")).to_be_visible()
    expect(groups.get_by_role("row", name="NCP-NEAR")).to_contain_text("5.0 km")
    expect(groups.get_by_role("row", name="NCP-FAR")).to_contain_text("20.0 km")
    assert_accessible(page)

    groups.get_by_role("row", name="NCP-NEAR").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Express an interest")
    expect(page.get_by_label("Your school")).to_have_value(
        f"Oakfield Primary School ({world['school'].urn})"
    )
    distances = page.get_by_role("table", name="Distance of each work group's host schools")
    expect(distances.get_by_role("row").nth(1)).to_contain_text("NCP-NEAR")
    expect(distances.get_by_role("row").nth(1)).to_contain_text("5.0 km")
    assert_accessible(page)


def test_the_hub_lead_reads_the_map_and_takes_a_suggested_placement(page, world, assert_accessible):
    sign_in(page, "lead@abacus.example", TEST_PASSWORD)
    page.goto("/reports/")
    hub_map = page.get_by_role("img", name="Map of the hub's open primary schools")
    expect(hub_map).to_be_visible()
    expect(page.locator("figcaption")).to_contain_text("1 school with no grid reference")
    expect(page.locator("figcaption")).to_contain_text("Mastery Specialist school: 1")
    assert_accessible(page)

    page.goto("/review/")
    row = page.get_by_role("row", name=world["eoi"].reference)
    expect(row).to_contain_text("NCP-NEAR: 5.0 km, 7 places left")
    row.get_by_role("link", name=world["eoi"].reference).click()
    suggestions = page.get_by_role("table", name="Suggested groups for Oakfield Primary School")
    expect(suggestions.get_by_role("row").nth(1)).to_contain_text("NCP-NEAR")
    assert_accessible(page)
    suggestions.get_by_role("button", name="Place in NCP-NEAR").click()
    expect(page.get_by_text("Oakfield Primary School is placed in NCP-NEAR")).to_be_visible()
    assert Participation.objects.filter(school=world["school"], work_group=world["near"]).exists()


def test_the_hub_lead_reads_suggested_groups_for_next_year(page, world, assert_accessible):
    sign_in(page, "lead@abacus.example", TEST_PASSWORD)
    page.goto("/review/")
    page.get_by_role("link", name="Suggest groups for next year").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suggested groups: Development")
    expect(page.get_by_role("img", name="Map of the suggested groups")).to_be_visible()
    expect(page.get_by_role("heading", name="Group 1: hosted at")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Schools in a group").fill("2")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 group of at most 2 suggested")).to_be_visible()
    page.get_by_role("button", name="Set up group 1 and place the ticked schools").click()
    expect(page.get_by_text("is set up, open for expressions of interest")).to_be_visible()
    expect(page.get_by_text("No school is waiting for a place in Development")).to_be_visible()
    assert Participation.objects.filter(school=world["school"]).exists()
    # A size typed into the address by hand is refused plainly.
    page.goto(page.url.replace("size=2", "size=1"))
    expect(page.get_by_text("A group needs at least 2 schools.")).to_be_visible()
    assert_accessible(page)
