"""Every work group page and action against every role: 404 for what a person may not see."""

from datetime import date

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from schools.models import HubStaff
from tests.factories import HubStaffFactory, SchoolContactFactory
from workgroups.models import Attendance, SupportVisit, WorkGroup, Workshop
from workgroups.programme import Term
from workgroups.services import workshop_schedule

from .conftest import make_group, school_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]
SIGNED_IN = set(ROLES) - {"anonymous"}
OVERSEERS = {"staff", "hub_lead", "specialist"}
RUNNERS = {"hub_lead", "specialist"}


@pytest.fixture
def objects(world, hub):
    workshop = workshop_schedule(
        workshop=world.workshop(2), date=date(2026, 11, 18), session="morning", acting_user=SYSTEM
    )
    return {
        "group": world.group,
        "participation": world.participation,
        "workshop": workshop,
        "visit": world.participation.support_visits.get(term=Term.AUTUMN),
        "contact": world.participant,
        "guest": SchoolContactFactory(school=world.other_school, name="Guest Teacher"),
        "new_school": school_in(hub),
        "lead": world.group.lead,
    }


def url(name, objects, key=None, query=""):
    return reverse(name, args=[objects[key].pk] if key else []) + query


PAGES = [
    ("workgroups:cohort", None, "", {"staff", "hub_lead"}),
    ("workgroups:my-work-groups", None, "", RUNNERS),
    ("workgroups:work-group-create", None, "", {"hub_lead"}),
    ("workgroups:work-group-copy", None, "?year=2026", {"hub_lead"}),
    ("workgroups:work-group-detail", "group", "", OVERSEERS),
    ("workgroups:work-group-edit", "group", "", {"hub_lead"}),
    ("workgroups:work-group-complete", "group", "", {"hub_lead"}),
    ("workgroups:participation-detail", "participation", "", OVERSEERS),
    ("workgroups:my-participation", None, "", {"school_contact"}),
    ("workgroups:workshop-detail", "workshop", "", OVERSEERS),
    ("workgroups:workshop-schedule", "workshop", "", RUNNERS),
    ("workgroups:workshop-ics", "workshop", "", OVERSEERS | {"school_contact"}),
    ("workgroups:visit-schedule", "visit", "", RUNNERS),
    ("workgroups:visit-record", "visit", "", RUNNERS),
    ("workgroups:calendar", None, "", SIGNED_IN),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "key", "query", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, people, objects, role, name, key, query, allowed):
    if people[role]:
        client.force_login(people[role])
    response = client.get(url(name, objects, key, query))
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response.url
    elif role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def _form(objects):
    """A valid submission for each action, so an allowed role's write goes through."""
    return {
        "workgroups:work-group-create": {
            "phase": "sustaining",
            "start_year": "2026",
            "code": "NCP26-11-09",
            "title": "New group",
            "lead": objects["lead"].pk,
            "capacity": "7",
            "status": "planning",
        },
        "workgroups:work-group-edit": {
            "phase": "development",
            "start_year": "2026",
            "code": "NCP26-11-01",
            "title": "Renamed",
            "lead": objects["lead"].pk,
            "capacity": "6",
            "status": "running",
        },
        "workgroups:participation-create": {"urn": objects["new_school"].urn},
        "workgroups:participation-edit": {
            "lead_participants": [objects["contact"].pk],
            "release_days_used": "2",
        },
        "workgroups:participation-grant": {
            "grant_status": "claimed",
            "grant_claimed_on": "2026-11-20",
        },
        "workgroups:participation-withdraw": {"withdrawn_reason": "Moving away."},
        "workgroups:workshop-schedule": {"date": "2026-11-19", "session": "afternoon"},
        "workgroups:attendance-mark": {"contact": objects["contact"].pk, "status": "present"},
        "workgroups:workshop-invite": {"contact": objects["guest"].pk},
        "workgroups:visit-schedule": {"scheduled_for": "2026-12-02"},
        "workgroups:visit-record": {
            "visited_on": "2026-11-20",
            "lessons_observed": "2",
            "next_steps": "Plan together.",
        },
    }


# (url name, object key, query, roles allowed, what changed when the write went through)
WRITES = [
    (
        "workgroups:work-group-create",
        None,
        "",
        {"hub_lead"},
        lambda o: WorkGroup.objects.filter(code="NCP26-11-09").exists(),
    ),
    (
        "workgroups:work-group-copy",
        None,
        "?year=2026",
        {"hub_lead"},
        lambda o: WorkGroup.objects.filter(copied_from=o["group"]).exists(),
    ),
    (
        "workgroups:work-group-edit",
        "group",
        "",
        {"hub_lead"},
        lambda o: WorkGroup.objects.get(pk=o["group"].pk).title == "Renamed",
    ),
    (
        "workgroups:work-group-complete",
        "group",
        "",
        {"hub_lead"},
        lambda o: WorkGroup.objects.get(pk=o["group"].pk).is_completed,
    ),
    (
        "workgroups:participation-create",
        "group",
        "",
        {"hub_lead"},
        lambda o: o["group"].participations.filter(school=o["new_school"]).exists(),
    ),
    (
        "workgroups:participation-edit",
        "participation",
        "",
        RUNNERS,
        lambda o: o["participation"].lead_participants.count() == 1,
    ),
    (
        "workgroups:participation-grant",
        "participation",
        "",
        {"hub_lead"},
        lambda o: (
            type(o["participation"]).objects.get(pk=o["participation"].pk).grant_status == "claimed"
        ),
    ),
    (
        "workgroups:participation-withdraw",
        "participation",
        "",
        {"hub_lead"},
        lambda o: (
            type(o["participation"]).objects.get(pk=o["participation"].pk).status == "withdrawn"
        ),
    ),
    (
        "workgroups:workshop-schedule",
        "workshop",
        "",
        RUNNERS,
        lambda o: type(o["workshop"]).objects.get(pk=o["workshop"].pk).sequence == 1,
    ),
    (
        "workgroups:attendance-mark",
        "workshop",
        "",
        RUNNERS,
        lambda o: Attendance.objects.filter(status="present").exists(),
    ),
    (
        "workgroups:attendance-rest-present",
        "workshop",
        "",
        RUNNERS,
        lambda o: Attendance.objects.count() == 4,
    ),
    (
        "workgroups:workshop-invite",
        "workshop",
        "",
        RUNNERS,
        lambda o: Attendance.objects.filter(contact=o["guest"]).exists(),
    ),
    (
        "workgroups:visit-schedule",
        "visit",
        "",
        RUNNERS,
        lambda o: SupportVisit.objects.get(pk=o["visit"].pk).status == "scheduled",
    ),
    (
        "workgroups:visit-record",
        "visit",
        "",
        RUNNERS,
        lambda o: SupportVisit.objects.get(pk=o["visit"].pk).status == "done",
    ),
    (
        "workgroups:calendar-reset",
        None,
        "",
        SIGNED_IN,
        lambda o: True,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "key", "query", "allowed", "changed"), WRITES, ids=[w[0] for w in WRITES]
)
def test_actions(client, people, objects, role, name, key, query, allowed, changed):
    if people[role]:
        client.force_login(people[role])
    if name == "workgroups:work-group-complete":
        # A group's year is completed once its workshops are past (or cancelled).
        objects["group"].workshops.update(status=Workshop.Status.CANCELLED)
    response = client.post(url(name, objects, key, query), _form(objects).get(name, {}))
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response.url
        assert name == "workgroups:calendar-reset" or not changed(objects)
    elif role in allowed:
        # A new calendar address is shown on the answer itself, the only time it is shown.
        done = 200 if name == "workgroups:calendar-reset" else 302
        assert response.status_code == done, response.context and response.context.get("form")
        assert changed(objects)
    else:
        assert response.status_code == 404
        assert name == "workgroups:calendar-reset" or not changed(objects)


def test_a_specialist_sees_only_the_groups_they_lead(client, hub, specialist, hub_lead):
    colleague = HubStaffFactory(hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST).user
    theirs = make_group(hub, colleague, code="NCP26-11-02")
    workshop = theirs.workshops.get(number=1)
    client.force_login(specialist)
    for name, pk in [
        ("workgroups:work-group-detail", theirs.pk),
        ("workgroups:workshop-detail", workshop.pk),
        ("workgroups:workshop-schedule", workshop.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404
    client.force_login(hub_lead)
    assert client.get(reverse("workgroups:work-group-detail", args=[theirs.pk])).status_code == 200


def test_a_hub_lead_sees_only_their_hubs_groups(client, other_hub, hub_lead):
    lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.MASTERY_SPECIALIST).user
    elsewhere = make_group(other_hub, lead, code="NCP26-99-01")
    client.force_login(hub_lead)
    assert (
        client.get(reverse("workgroups:work-group-detail", args=[elsewhere.pk])).status_code == 404
    )
    assert client.get(reverse("workgroups:cohort") + "?hub=other-hub").status_code == 404
    response = client.get(reverse("workgroups:work-group-create") + "?hub=other-hub")
    assert response.status_code == 404


def test_a_school_contact_reads_only_their_own_schools_records(client, world, school_contact, hub):
    # Another group, with another school, in the same hub.
    other_group = make_group(hub, None, code="NCP26-11-05")
    workshop = workshop_schedule(
        workshop=other_group.workshops.get(number=2),
        date=date(2026, 11, 18),
        session="morning",
        acting_user=SYSTEM,
    )
    client.force_login(school_contact)
    assert client.get(reverse("workgroups:workshop-ics", args=[workshop.pk])).status_code == 404
    page = client.get(reverse("workgroups:my-participation")).content.decode()
    assert world.group.code in page and other_group.code not in page
    assert world.other_school.name not in page  # no other school's attendance or visits


def test_the_attendance_link_in_a_reminder_opens_the_list(client, objects, specialist):
    client.force_login(specialist)
    response = client.get(reverse("workgroups:attendance-mark", args=[objects["workshop"].pk]))
    assert response.status_code == 302 and response.url.endswith("#attendance")
