"""One way out for every e-mail: record it once, then a worker sends it after commit."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class SendFailed(Exception):
    """Sending failed this time; the task retries with backoff until MAX_ATTEMPTS."""


def _category(optional) -> str:
    if optional is True:
        return "reminders"
    if optional and optional not in NotificationPreference.CATEGORIES:
        raise ValueError(f"Unknown notification category: {optional}")
    return optional or ""


def _wanted(user, category: str) -> bool:
    if not category or user is None:
        return True
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference is None or preference.wants(category)


def _encode(attachments) -> list[dict]:
    encoded = []
    for filename, content, mimetype in attachments:
        data = content.encode() if isinstance(content, str) else content
        encoded.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(data).decode(),
            }
        )
    return encoded


def notify(
    *,
    kind: str,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    user=None,
    hub=None,
    optional=False,
    attachments=(),
) -> Notification:
    """Record an e-mail for one occasion and send it after commit; a repeat sends nothing."""
    to = to.strip().lower()
    existing = Notification.objects.filter(kind=kind, key=key, recipient=to).first()
    if existing:
        return existing
    category = _category(optional)
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "optional": bool(category),
    }
    body_text = render_to_string(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except TemplateDoesNotExist:
        body_html = ""
    if category:
        body_text += (
            "\n\n--\nYou can turn these e-mails off on your notification preferences page: "
            f"{context['preferences_url']}\n"
        )
    wanted = _wanted(user, category)
    notification = Notification(
        kind=kind,
        key=key,
        recipient=to,
        user=user,
        hub=hub,
        category=category,
        subject=subject.strip().replace("\n", " ")[:300],
        body_text=body_text,
        body_html=body_html,
        attachments=_encode(attachments),
        status=Notification.Status.QUEUED if wanted else Notification.Status.SUPPRESSED,
    )
    try:
        # A savepoint, so a concurrent duplicate only loses this insert, not the caller's work.
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        return Notification.objects.get(kind=kind, key=key, recipient=to)
    if wanted:
        _enqueue(notification.pk)
    return notification


def _enqueue(notification_id: int) -> None:
    from .tasks import send_notification

    send_notification.delay_on_commit(notification_id)


def notification_send(*, notification_id: int) -> Notification | None:
    """Send one queued mail; only one worker can claim it, and a sent mail is never resent."""
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.QUEUED
    ).update(status=Notification.Status.SENDING, updated_at=timezone.now())
    if not claimed:
        return None
    notification = Notification.objects.get(pk=notification_id)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for attachment in notification.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    if notification.category:
        message.extra_headers["List-Unsubscribe"] = (
            f"<{settings.SITE_URL}{reverse('notifications:preferences')}>"
        )
    notification.attempts += 1
    try:
        message.send()
    except Exception as error:  # any failure of the mail backend is retried, then recorded
        notification.last_error = f"{error.__class__.__name__}: {error}"
        final = notification.attempts >= MAX_ATTEMPTS
        notification.status = Notification.Status.FAILED if final else Notification.Status.QUEUED
        notification.save(update_fields=["attempts", "last_error", "status", "updated_at"])
        logger.warning("Sending notification %s failed: %s", notification.pk, error)
        if not final:
            raise SendFailed(notification.last_error) from error
        return notification
    notification.status = Notification.Status.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "sent_at", "last_error", "updated_at"])
    return notification


def notification_resend(*, notification: Notification, acting_user=None) -> Notification:
    """Queue a failed (or sent) mail again, e.g. after the mail server has been fixed."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.QUEUED, attempts=0, last_error="", updated_at=timezone.now()
    )
    transaction.on_commit(lambda: _enqueue(notification.pk))
    notification.refresh_from_db()
    return notification


def outbox_sweep(*, stuck_after: timedelta = timedelta(minutes=15)) -> int:
    """Re-queue mail left in sending by a dead worker, or queued but never picked up."""
    cutoff = timezone.now() - stuck_after
    stuck = list(
        Notification.objects.filter(
            status__in=[Notification.Status.SENDING, Notification.Status.QUEUED],
            updated_at__lt=cutoff,
        ).values_list("pk", flat=True)[:1000]
    )
    Notification.objects.filter(pk__in=stuck, status=Notification.Status.SENDING).update(
        status=Notification.Status.QUEUED, updated_at=timezone.now()
    )
    for pk in stuck:
        _enqueue(pk)
    return len(stuck)
