from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.roles import SYSTEM
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_resend, notify, outbox_sweep
from reminders.scans import mails_given_up
from tests.support.mail import FailTwiceBackend

pytestmark = pytest.mark.django_db


def _notify(**overrides):
    fields = {
        "kind": "test",
        "key": "test:1",
        "to": "Person@School.example",
        "subject": "A test",
        "template": "notifications/email/test",
        "context": {"name": "Sam"},
    }
    fields.update(overrides)
    return notify(**fields)


def test_a_mail_is_recorded_and_sent_once_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify()
        again = _notify()
    assert first.pk == again.pk
    assert Notification.objects.count() == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["person@school.example"]
    assert "Hello Sam" in mailoutbox[0].body
    first.refresh_from_db()
    assert first.status == Notification.Status.SENT
    assert first.attempts == 1
    assert first.sent_at is not None


def test_nothing_is_sent_before_the_transaction_commits(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify()
    assert mailoutbox == []
    assert len(callbacks) == 1


def test_optional_mail_links_to_preferences_and_respects_them(
    django_capture_on_commit_callbacks, mailoutbox, school_contact
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(key="a", user=school_contact, optional=True)
    assert reverse("notifications:preferences") in mailoutbox[0].body
    assert "List-Unsubscribe" in mailoutbox[0].extra_headers

    NotificationPreference.objects.create(user=school_contact, reminders=False)
    with django_capture_on_commit_callbacks(execute=True):
        suppressed = _notify(key="b", user=school_contact, optional=True)
        transactional = _notify(key="c", user=school_contact)
    assert suppressed.status == Notification.Status.SUPPRESSED
    assert transactional.status == Notification.Status.QUEUED
    assert len(mailoutbox) == 2


def test_a_failing_mail_server_is_retried_then_the_mail_is_sent(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.support.mail.FailTwiceBackend"
    FailTwiceBackend.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3
    assert len(mailoutbox) == 1


def _outage(settings):
    settings.EMAIL_BACKEND = "tests.support.mail.AlwaysFailingBackend"


def _sweep(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return outbox_sweep()


def test_a_long_mail_server_outage_is_waited_out_for_a_day_and_each_mail_sent_once(
    django_capture_on_commit_callbacks, mailoutbox, settings, hub
):
    _outage(settings)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(hub=hub)
    notification.refresh_from_db()
    # The quick attempts are spent, but the mail is not given up: it waits its slow backoff.
    assert (notification.status, notification.attempts) == (Notification.Status.QUEUED, 5)
    assert "refused the connection" in notification.last_error
    wait = notification.next_attempt_at - timezone.now()
    assert abs(wait.total_seconds() - settings.OUTBOX_SLOW_RETRY_SECONDS) < 60
    assert _sweep(django_capture_on_commit_callbacks) == 0  # not before its time

    # Three hours later the mail server works again: the sweep sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert _sweep(django_capture_on_commit_callbacks) == 1
        assert _sweep(django_capture_on_commit_callbacks) == 0
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == notification.message_id


def test_a_mail_refused_for_a_whole_day_is_given_up_and_the_hubs_leads_told(
    django_capture_on_commit_callbacks, mailoutbox, settings, hub, hub_lead
):
    _outage(settings)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(hub=hub)
    start = timezone.now()
    with time_machine.travel(start + timedelta(seconds=settings.OUTBOX_GIVE_UP_SECONDS + 60)):
        assert _sweep(django_capture_on_commit_callbacks) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 6)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with (
        time_machine.travel(start + timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert mails_given_up() == 1
    [note] = mailoutbox
    assert note.to == [hub_lead.email]
    assert "could not be sent" in note.subject
    assert "A test to person@school.example" in note.body

    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=notification, acting_user=SYSTEM)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_a_claim_left_by_a_dead_worker_lapses_and_the_mail_goes_once(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify()
    # A worker claimed it and died before the mail server answered.
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING, lease_until=timezone.now() + lease, attempts=1
    )
    assert _sweep(django_capture_on_commit_callbacks) == 0  # its claim still holds
    with time_machine.travel(timezone.now() + lease + timedelta(seconds=1)):
        assert _sweep(django_capture_on_commit_callbacks) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_preferences_page_saves_choices(client, school_contact):
    client.force_login(school_contact)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"digests": "on"}, follow=True)
    assert "preferences are saved" in response.content.decode()
    preference = NotificationPreference.objects.get(user=school_contact)
    assert preference.reminders is False
    assert preference.digests is True
