from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from icalendar import Calendar

from core.formatting import date_time
from core.roles import SYSTEM
from core.tokens import hash_token
from tests.factories import UserFactory
from workgroups.models import CalendarFeed
from workgroups.programme import Term
from workgroups.services import (
    calendar_feed_reset,
    participation_withdraw,
    support_visit_schedule,
    workshop_schedule,
)

from .conftest import make_group

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def dated(world):
    """Two workshops either side of the clock change, and a visit, in the diary."""
    october = workshop_schedule(
        workshop=world.workshop(1),
        date=date(2026, 10, 7),
        session="morning",
        host_school=world.other_school,
        agenda="Welcome",
        acting_user=SYSTEM,
    )
    december = workshop_schedule(
        workshop=world.workshop(2), date=date(2026, 12, 3), session="afternoon", acting_user=SYSTEM
    )
    visit = support_visit_schedule(
        visit=world.participation.support_visits.get(term=Term.AUTUMN),
        scheduled_for=date(2026, 12, 2),
        starts_at=time(9, 30),
        acting_user=SYSTEM,
    )
    return october, december, visit


def feed_of(client, user) -> Calendar:
    token = calendar_feed_reset(user=user, acting_user=user).token
    response = client.get(reverse("workgroups:calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_feed_parses_back_and_matches_the_data(client, world, dated, specialist):
    october, december, visit = dated
    calendar = feed_of(client, specialist)
    events = {str(event.uid): event for event in calendar.events}
    assert set(events) == {
        f"workshop-{october.pk}@127.0.0.1",
        f"workshop-{december.pk}@127.0.0.1",
        f"visit-{visit.pk}@127.0.0.1",
    }
    first = events[f"workshop-{october.pk}@127.0.0.1"]
    # London times: 09:00 in October is British Summer Time, 13:00 in December is GMT.
    assert first.start == datetime(2026, 10, 7, 9, 0, tzinfo=LONDON)
    assert first.start.utcoffset().total_seconds() == 3600
    assert first.end == datetime(2026, 10, 7, 12, 0, tzinfo=LONDON)
    assert str(first["DTSTART"].params["TZID"]) == "Europe/London"
    assert str(first["SUMMARY"]) == "NCP26-11-01 workshop 1: Development work group"
    assert world.other_school.name in str(first["LOCATION"])
    assert "Welcome" in str(first["DESCRIPTION"])
    second = events[f"workshop-{december.pk}@127.0.0.1"]
    assert second.start == datetime(2026, 12, 3, 13, 0, tzinfo=LONDON)
    assert second.start.utcoffset().total_seconds() == 0
    visit_event = events[f"visit-{visit.pk}@127.0.0.1"]
    assert visit_event.start == datetime(2026, 12, 2, 9, 30, tzinfo=LONDON)
    assert world.participation.school.name in str(visit_event["SUMMARY"])
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]


def test_a_changed_day_keeps_the_uid_and_bumps_the_sequence(client, world, dated, specialist):
    _, december, _ = dated
    before = {str(e.uid): e.sequence for e in feed_of(client, specialist).events}
    workshop_schedule(
        workshop=december, date=date(2026, 12, 8), session="afternoon", acting_user=SYSTEM
    )
    after = {str(e.uid): e for e in feed_of(client, specialist).events}
    uid = f"workshop-{december.pk}@127.0.0.1"
    assert before[uid] == 0 and after[uid].sequence == 1
    assert after[uid].start == datetime(2026, 12, 8, 13, 0, tzinfo=LONDON)


def test_each_person_sees_their_own_workshops_and_visits(
    client, world, dated, school_contact, hub, hub_lead, staff_user, outsider
):
    elsewhere = make_group(hub, None, code="OTHER-1")
    workshop_schedule(
        workshop=elsewhere.workshops.get(number=2),
        date=date(2026, 12, 9),
        session="morning",
        acting_user=SYSTEM,
    )
    contact_uids = {str(e.uid).split("@")[0] for e in feed_of(client, school_contact).events}
    october, december, visit = dated
    assert contact_uids == {
        f"workshop-{october.pk}",
        f"workshop-{december.pk}",
        f"visit-{visit.pk}",
    }
    # The hub lead's feed has all the hub's workshops; national staff and outsiders have none.
    assert len(feed_of(client, hub_lead).events) == 4
    assert feed_of(client, staff_user).events == []
    assert feed_of(client, outsider).events == []


def test_a_school_that_withdrew_loses_the_workshops(client, world, dated, school_contact):
    participation_withdraw(participation=world.participation, reason="Closing.", acting_user=SYSTEM)
    assert feed_of(client, school_contact).events == []


def test_resetting_the_token_kills_the_old_address(client, specialist, world, dated):
    old = calendar_feed_reset(user=specialist, acting_user=specialist).token
    old_url = reverse("workgroups:calendar-feed", args=[old])
    assert client.get(old_url).status_code == 200
    new = calendar_feed_reset(user=specialist, acting_user=specialist).token
    assert new != old and CalendarFeed.objects.filter(user=specialist).count() == 1
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("workgroups:calendar-feed", args=[new])).status_code == 200


def test_the_calendar_page_makes_and_resets_the_address(client, specialist):
    client.force_login(specialist)
    page = client.get(reverse("workgroups:calendar")).content.decode()
    assert "Make my calendar address" in page and "shown only once" in page
    made = client.post(reverse("workgroups:calendar-reset"))
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    address = made.context["new_address"]
    assert address.startswith("http://testserver/") and address in made.content.decode()
    assert "Copy it now" in made.content.decode()
    assert client.get(address).status_code == 200
    remade = client.post(reverse("workgroups:calendar-reset"))
    assert "the old one no longer works" in remade.content.decode()
    assert remade.context["new_address"] != address
    assert client.get(remade.context["new_address"]).status_code == 200
    # Making a new address kills the old one at once.
    assert client.get(address).status_code == 404
    assert CalendarFeed.objects.filter(user=specialist).count() == 1


def test_a_later_visit_to_the_page_does_not_show_the_address(client, specialist):
    client.force_login(specialist)
    address = client.post(reverse("workgroups:calendar-reset")).context["new_address"]
    token = address.removesuffix(".ics").rsplit("/", 1)[1]
    page = client.get(reverse("workgroups:calendar")).content.decode()
    assert token not in page and ".ics" not in page and 'id="feed-url"' not in page
    feed = CalendarFeed.objects.get(user=specialist)
    assert f"You made a calendar address on {date_time(feed.created_at)}" in page
    assert "Make a new address" in page
    # The page is only a page: reading it again changes nothing.
    assert client.get(address).status_code == 200


def test_the_database_keeps_no_working_address(client, specialist):
    token = calendar_feed_reset(user=specialist, acting_user=specialist).token
    row = CalendarFeed.objects.filter(user=specialist).values_list().get()
    assert not any(token in str(value) for value in row)
    # What it keeps opens nothing: an address made of the stored hash is not found.
    stored = CalendarFeed.objects.get(user=specialist).token_hash
    assert stored == hash_token(token)
    assert client.get(reverse("workgroups:calendar-feed", args=[stored])).status_code == 404
    assert client.get(reverse("workgroups:calendar-feed", args=[token])).status_code == 200


def test_unknown_or_inactive_feeds_are_not_found(client):
    assert client.get(reverse("workgroups:calendar-feed", args=["nope"])).status_code == 404
    user = UserFactory(is_active=False)
    token = calendar_feed_reset(user=user, acting_user=user).token
    assert client.get(reverse("workgroups:calendar-feed", args=[token])).status_code == 404


def test_add_to_calendar_file_for_one_workshop(client, world, dated, school_contact):
    october, _, _ = dated
    client.force_login(school_contact)
    response = client.get(reverse("workgroups:workshop-ics", args=[october.pk]))
    assert response.status_code == 200
    assert 'filename="NCP26-11-01-1.ics"' in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).events
    assert str(event.uid) == f"workshop-{october.pk}@127.0.0.1" and event.sequence == 0
    # A draft has no file.
    draft = world.workshop(3)
    assert client.get(reverse("workgroups:workshop-ics", args=[draft.pk])).status_code == 404


BEFORE_HASHES, WITH_HASHES = "0004_hub_year_summaries", "0005_calendar_feed_token_hash"


def _migrate(name: str | None = None):
    """Take workgroups to its migration `name` (by default its latest); its models there."""
    executor = MigrationExecutor(connection)
    target = [("workgroups", name or executor.loader.graph.leaf_nodes("workgroups")[0][1])]
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_hashes_keeps_existing_addresses_working(client):
    user, other = UserFactory(), UserFactory()
    try:
        old_feeds = _migrate(BEFORE_HASHES).get_model("workgroups", "CalendarFeed")
        old_feeds.objects.create(user_id=user.pk, token="an-address-already-subscribed-to")
        old_feeds.objects.create(user_id=other.pk, token="another-one")
        _migrate(WITH_HASHES)
    finally:
        _migrate()  # whatever happened, leave the tables as the other tests expect them
    feed = CalendarFeed.objects.get(user=user)
    assert feed.token_hash == hash_token("an-address-already-subscribed-to")
    url = reverse("workgroups:calendar-feed", args=["an-address-already-subscribed-to"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("workgroups:calendar-feed", args=["another-one"])).status_code == 200
    row = CalendarFeed.objects.filter(user=user).values_list().get()
    assert "an-address-already-subscribed-to" not in str(row)


@pytest.mark.django_db(transaction=True)
def test_going_back_from_hashes_gives_each_feed_a_new_token():
    given = {
        calendar_feed_reset(user=user, acting_user=user).token
        for user in UserFactory.create_batch(2)
    }
    try:
        old_feeds = _migrate(BEFORE_HASHES).get_model("workgroups", "CalendarFeed")
        tokens = set(old_feeds.objects.values_list("token", flat=True))
    finally:
        _migrate()
    assert len(tokens) == 2 and all(tokens) and not tokens & given
