from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.roles import SYSTEM
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
    page = client.get(reverse("workgroups:calendar"))
    assert "Make my calendar address" in page.content.decode()
    client.post(reverse("workgroups:calendar-reset"))
    token = CalendarFeed.objects.get(user=specialist).token
    page = client.get(reverse("workgroups:calendar")).content.decode()
    assert f"/calendar/{token}.ics" in page
    client.post(reverse("workgroups:calendar-reset"))
    assert CalendarFeed.objects.get(user=specialist).token != token


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
