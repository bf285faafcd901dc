import pytest
from django.urls import reverse

from core.roles import SYSTEM
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_resend, notify
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


def test_a_mail_that_always_fails_ends_failed_with_the_error(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.EMAIL_BACKEND = "tests.support.mail.AlwaysFailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 5
    assert "refused the connection" in notification.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=notification, acting_user=SYSTEM)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
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
