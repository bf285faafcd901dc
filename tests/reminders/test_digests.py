"""The hub lead's digests: expressions of interest waiting, and the weekly summary."""

import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from enrolment.models import ExpressionOfInterest
from notifications.models import Notification, NotificationPreference
from reminders.tasks import digest_eois_waiting, digest_weekly
from tests.factories import (
    ExpressionOfInterestFactory,
    HubFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)
from workgroups.models import LONDON
from workgroups.services import academic_year_get_or_create

from .conftest import recipients, schedule

pytestmark = pytest.mark.django_db

SUBMITTED = date(2025, 10, 1)


def submit(hub, *, on: date = SUBMITTED, **fields) -> ExpressionOfInterest:
    """An expression of interest submitted on the morning of `on`, checked and to review."""
    school = SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))
    with time_machine.travel(datetime.combine(on, time(9), LONDON), tick=False):
        return ExpressionOfInterestFactory(
            school=school, academic_year=academic_year_get_or_create(start_year=2026), **fields
        )


def test_after_ten_days_waiting_the_hub_lead_gets_a_digest_each_morning(run, hub, hub_lead):
    waiting = submit(hub)
    submit(hub, status=ExpressionOfInterest.Status.DECLINED)
    submit(hub, on=SUBMITTED + timedelta(days=5))
    assert run(digest_eois_waiting, SUBMITTED + timedelta(days=10)) == []

    mails = run(digest_eois_waiting, SUBMITTED + timedelta(days=11))

    assert recipients(mails) == {hub_lead.email}
    assert "1 expression of interest has waited more than ten days" in mails[0].body
    assert f"{waiting.reference} {waiting.school.name}" in mails[0].body
    assert "11 days" in mails[0].body
    assert run(digest_eois_waiting, SUBMITTED + timedelta(days=11)) == []
    assert len(run(digest_eois_waiting, SUBMITTED + timedelta(days=12))) == 1


def test_nothing_once_decided_and_nothing_for_other_hubs_leads(run, hub, hub_lead, other_hub):
    eoi = submit(hub)
    other = submit(other_hub)
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(status=ExpressionOfInterest.Status.PLACED)

    mails = run(digest_eois_waiting, SUBMITTED + timedelta(days=11))

    # The other hub has no lead yet: its own address gets the digest.
    assert recipients(mails) == {other_hub.contact_email}
    assert other.reference in mails[0].body


def test_a_hub_lead_can_turn_digests_off(run, hub, hub_lead):
    submit(hub)
    NotificationPreference.objects.create(user=hub_lead, digests=False)

    assert run(digest_eois_waiting, SUBMITTED + timedelta(days=11)) == []
    assert Notification.objects.get().status == Notification.Status.SUPPRESSED


def digest_lines(mail) -> dict[str, int]:
    """Each "- label: count" line of the digest's text."""
    return {label: int(n) for label, n in re.findall(r"^- (.+?): (\d+)", mail.body, re.M)}


def test_the_weekly_digest_counts_the_hubs_week_and_what_is_overdue(run, world, hub, hub_lead):
    monday = date(2025, 11, 17)
    submit(hub, on=monday - timedelta(days=20))
    submit(hub, on=monday - timedelta(days=3))
    submit(HubFactory(), on=monday - timedelta(days=3))  # another hub's
    schedule(world.workshop(1), date(2025, 10, 16))
    schedule(world.workshop(2), monday - timedelta(days=4))

    mails = run(digest_weekly, monday)

    assert recipients(mails) == {hub_lead.email}
    counts = digest_lines(mails[0])
    assert counts["Expressions of interest received"] == 1
    assert counts["Workshops held"] == 1
    assert counts["Expressions of interest waiting more than 10 days"] == 1
    assert counts["Workshops with attendance not recorded"] == 2
    # Both schools taking part; the withdrawn one is not counted.
    assert counts["Action plans not shared 4 weeks after the first workshop"] == 2
    assert counts["Support visits overdue"] == 0
    assert mails[0].subject == f"Your hub's week to Monday 17 November ({hub.name})"


def test_the_weekly_digest_goes_once_a_week(run, world, hub_lead):
    monday = date(2025, 11, 17)
    assert len(run(digest_weekly, monday)) == 1

    assert run(digest_weekly, monday + timedelta(days=2)) == []
    assert len(run(digest_weekly, monday + timedelta(days=7))) == 1
