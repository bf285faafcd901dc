"""The retention schedule, applied by the nightly task: what is past its period goes (or is
anonymised), what is younger stays, and the hub's figures do not move."""

from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from actionplans.models import Action, HistoricalAction
from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from notifications.models import Notification
from reports import people
from reports.dashboard import dashboard
from reports.models import RetentionRun
from reports.retention import MAIL_CONTENT_REMOVED, SCHEDULE, retention_apply
from reports.tasks import apply_retention
from schools.models import RegisterImport
from tests.factories import ExpressionOfInterestFactory, UserFactory
from workgroups.models import CalendarFeed
from workgroups.services import academic_year_get_or_create, calendar_feed_reset

from .conftest import TODAY, YEAR, build_world

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _at(*day):
    return time_machine.travel(datetime(*day, 9, 0, tzinfo=LONDON), tick=False)


def _figures(world):
    return asdict(dashboard(world.hub, YEAR, TODAY).figures)


@pytest.fixture
def aged(hub, other_hub, hub_lead):
    """The reports world as built in January 2025, with a mail, an upload and an idle account."""
    with _at(2025, 1, 15):
        world = build_world(hub, other_hub, hub_lead)
        later = ExpressionOfInterestFactory(
            school=world.schools["A2"],
            hub=hub,
            academic_year=academic_year_get_or_create(start_year=2026),
            submitter_name="Later Submitter",
        )
        mail = Notification.objects.create(
            kind="test", key="k", recipient="a@school.example", subject="S", body_text="Dear A",
            status=Notification.Status.SENT,
        )  # fmt: skip
        upload = RegisterImport.objects.create(file_name="gias.csv")
        upload.file.save("gias.csv", ContentFile(b"URN\n1\n"))
        idle = UserFactory(full_name="Ida Idle", email="ida.idle@school.example")
        calendar_feed_reset(user=idle, acting_user=idle)
        Action.objects.update(owner="Owen Owner")
    return world, later, mail, upload, idle


def test_each_record_goes_after_its_period_and_not_before(aged):
    world, later, mail, upload, idle = aged

    def waiting():
        return ExpressionOfInterest.objects.filter(
            academic_year__start_year=YEAR, status="to_review"
        )

    placed = ExpressionOfInterest.objects.get(academic_year__start_year=YEAR, status="placed")
    before = _figures(world)

    with _at(2025, 3, 1):  # six weeks on: nothing is due
        apply_retention()
    mail.refresh_from_db()
    assert mail.body_text == "Dear A"

    with _at(2025, 6, 1):  # over 90 days: the mail's words and the upload go
        apply_retention()
    mail.refresh_from_db()
    upload.refresh_from_db()
    assert mail.body_text == MAIL_CONTENT_REMOVED and mail.recipient == "a@school.example"
    assert not upload.file and upload.file_name == "gias.csv"
    assert all(e.submitter_name != people.FORMER for e in waiting())

    with _at(2026, 9, 2):  # a year after 2024/25 ended: the interests that led nowhere
        apply_retention()
    assert {e.submitter_name for e in waiting()} == {people.FORMER}
    assert all(e.submitter_email.endswith("@invalid") for e in waiting())
    assert all(p["name"] == people.FORMER for e in waiting() for p in e.lead_participants)
    placed.refresh_from_db()
    later.refresh_from_db()
    assert placed.submitter_name != people.FORMER  # kept with the place
    assert later.submitter_name == "Later Submitter"  # a later year's: younger
    assert not CalendarFeed.objects.filter(user=idle).exists()  # no role, a year old
    assert _figures(world) == before

    with _at(2028, 2, 1):  # three years without signing in, and no current role
        apply_retention()
    idle.refresh_from_db()
    assert not idle.is_active and idle.full_name == people.FORMER
    assert world.lead_user.is_active  # a hub lead keeps their account

    with _at(2031, 9, 2):  # six years after 2024/25: the pathway's records
        apply_retention()
    placed.refresh_from_db()
    assert placed.submitter_name == people.FORMER
    assert not HistoricalAction.objects.filter(
        plan__participation__academic_year__start_year=YEAR
    ).exists()
    assert set(Action.objects.values_list("owner", flat=True)) == {people.FORMER}
    assert not Notification.objects.filter(pk=mail.pk).exists()
    assert _figures(world) == before


def test_each_run_is_recorded_rule_by_rule_with_counts_only(aged):
    with _at(2025, 6, 1):
        counts = apply_retention()
    runs = RetentionRun.objects.all()
    assert {run.rule for run in runs} == {rule.key for rule in SCHEDULE}
    assert {run.rule: run.records for run in runs} == counts
    assert counts["mail-content"] >= 1 and counts["register-files"] == 1


def test_a_second_run_the_same_night_finds_nothing_left(aged):
    with _at(2031, 9, 2):
        apply_retention()
        assert set(apply_retention().values()) == {0}


def test_batches_are_bounded_and_still_reach_every_row(aged):
    with _at(2026, 9, 2):
        counts = retention_apply(acting_user=SYSTEM, batch_size=1)
    assert (
        counts["eoi-not-placed"]
        == ExpressionOfInterest.objects.filter(
            submitter_name=people.FORMER, status__in=("to_review", "waitlisted", "received")
        ).count()
        > 1
    )


def test_the_privacy_notice_shows_the_schedule():
    html = Client().get("/privacy/").content.decode()
    for rule in SCHEDULE:
        assert rule.period in html
        assert escape(rule.reason)[:40] in html


def test_a_calendar_address_goes_a_year_after_a_calendar_last_fetched_it(client, hub_lead):
    with _at(2025, 1, 15):
        address = calendar_feed_reset(user=hub_lead, acting_user=hub_lead)
        feed_url = reverse("workgroups:calendar-feed", args=[address.token])
    with _at(2025, 12, 1):
        assert client.get(feed_url).status_code == 200  # the calendar app fetches it
        client.get(feed_url)  # again the same day: noted once
    feed = CalendarFeed.objects.get(user=hub_lead)
    assert feed.last_used_at.date() == date(2025, 12, 1)
    with _at(2026, 6, 1):  # a year and a half after it was made, six months after its use
        apply_retention()
    assert CalendarFeed.objects.filter(user=hub_lead).exists()
    with _at(2026, 12, 2):  # a year without a fetch
        apply_retention()
    assert not CalendarFeed.objects.filter(user=hub_lead).exists()
    assert client.get(feed_url).status_code == 404
