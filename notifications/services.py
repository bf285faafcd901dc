"""One way out for every e-mail: record it once, then a worker sends it after commit."""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.access import require
from core.roles import recorded

from .models import RESENDABLE, Notification, NotificationPreference
from .permissions import may_read_outbox, may_resend, may_set_preferences

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# At most this many failed mails are queued again at once; the rest on the next press.
RESEND_BATCH = 1000


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
    template: str = "",
    context: dict | None = None,
    body_text: str = "",
    body_html: str = "",
    user=None,
    hub=None,
    optional=False,
    attachments=(),
) -> Notification:
    """Record an e-mail for one occasion and send it after commit; a repeat sends nothing.

    The body comes from `template` (`.txt`, optional `.html`) rendered with `context`, or, for
    mail another library renders (django-allauth's), ready-made as `body_text` / `body_html`.
    """
    # The occasion: one mail to one recipient, recorded once.
    occasion = {"kind": kind, "key": key, "recipient": to.strip().lower()}
    existing = Notification.objects.filter(**occasion).first()
    if existing:
        return existing
    category = _category(optional)
    context = {
        **(context or {}),
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "optional": bool(category),
    }
    if template:
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
        **occasion,
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
        return Notification.objects.get(**occasion)
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


_NOT_RESENDABLE = {
    Notification.Status.QUEUED: "This e-mail is already queued: it goes out shortly.",
    Notification.Status.SENDING: "This e-mail is being sent right now.",
    Notification.Status.SUPPRESSED: (
        "The recipient has turned these e-mails off, so it cannot be sent again."
    ),
}


def preferences_set(*, preference: NotificationPreference, acting_user, **switches) -> None:
    """Turn a person's optional e-mail categories on or off: their own switches only."""
    require(may_set_preferences(acting_user, preference))
    for category in NotificationPreference.CATEGORIES:
        if category in switches:
            setattr(preference, category, bool(switches[category]))
    preference.save()


def _queue_again(mails, acting_user) -> int:
    """Queue `mails` again from the first attempt, recording who asked and when."""
    now = timezone.now()
    return mails.update(
        status=Notification.Status.QUEUED,
        attempts=0,
        last_error="",
        updated_at=now,
        resent_at=now,
        resent_by=recorded(acting_user),
    )


def notification_resend(*, notification: Notification, acting_user) -> Notification:
    """Queue a failed (or sent) mail again, e.g. after the mail server has been fixed."""
    require(may_resend(acting_user, notification))
    # Conditional, so two people pressing "send again" at once queue it once.
    queued = _queue_again(
        Notification.objects.filter(pk=notification.pk, status__in=RESENDABLE), acting_user
    )
    notification.refresh_from_db()
    if not queued:
        raise ValidationError(_NOT_RESENDABLE.get(notification.status, "It cannot be sent again."))
    _enqueue(notification.pk)
    return notification


def notifications_resend_failed(*, acting_user) -> int:
    """Queue again every failed mail the person may see, e.g. after a mail server outage."""
    require(may_read_outbox(acting_user))
    failed = Notification.objects.visible_to(acting_user).filter(status=Notification.Status.FAILED)
    ids = list(failed.values_list("pk", flat=True)[:RESEND_BATCH])
    _queue_again(
        Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED), acting_user
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def outbox_sweep(*, stuck_after: timedelta = timedelta(minutes=15)) -> int:
    """Re-queue mail left in sending by a dead worker, or queued but never picked up."""
    cutoff = timezone.now() - stuck_after
    stuck = list(
        Notification.objects.filter(
            status__in=[Notification.Status.SENDING, Notification.Status.QUEUED],
            updated_at__lt=cutoff,
        ).values_list("pk", flat=True)[:1000]
    )
    # Touching the queued ones too means a long outage re-queues each mail once per
    # `stuck_after`, not at every sweep.
    Notification.objects.filter(
        pk__in=stuck, status__in=[Notification.Status.SENDING, Notification.Status.QUEUED]
    ).update(status=Notification.Status.QUEUED, updated_at=timezone.now())
    for pk in stuck:
        _enqueue(pk)
    return len(stuck)
