"""One way out for every e-mail: record it once, then a worker sends it after commit."""

import base64
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, InterfaceError, connection, transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.access import require
from core.roles import recorded
from core.tasks import hand_over

from .models import RESENDABLE, SECRET_MARK, Notification, NotificationPreference
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
    secret: str = "",
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
    if secret:
        body_text, body_html = (
            body_text.replace(secret, SECRET_MARK),
            body_html.replace(secret, SECRET_MARK),
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
        secret=secret,
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

    hand_over(send_notification, notification_id)


def _claim(notification_id: int, *, retrying: bool) -> bool:
    """Take the mail for this worker: queued and due (a retry is the attempt its backoff waited
    for), or sending under a claim that lapsed (its worker died). One worker wins; the claim
    holds for OUTBOX_LEASE_SECONDS."""
    now = timezone.now()
    due = Q(status=Notification.Status.QUEUED)
    if not retrying:
        due &= Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    lapsed = Q(status=Notification.Status.SENDING, lease_until__lt=now)
    return bool(
        Notification.objects.filter(due | lapsed, pk=notification_id).update(
            status=Notification.Status.SENDING,
            lease_until=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )


def _message(notification: Notification) -> EmailMultiAlternatives:
    def revealed(body: str) -> str:
        return body.replace(SECRET_MARK, notification.secret) if notification.secret else body

    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=revealed(notification.body_text),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": notification.message_id},
    )
    if notification.body_html:
        message.attach_alternative(revealed(notification.body_html), "text/html")
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
    return message


def _record_sent(notification: Notification) -> None:
    """Mark the mail sent, holding on through a database blink while the claim lasts: the mail
    server has it, and a claim that lapsed unrecorded would send it again."""
    deadline = time.monotonic() + settings.OUTBOX_LEASE_SECONDS / 2
    while True:
        try:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.SENT,
                sent_at=timezone.now(),
                last_error="",
                lease_until=None,
                secret="",  # the link has gone to its one reader; it is not kept
                updated_at=timezone.now(),
            )
            return
        except (DatabaseError, InterfaceError):
            if time.monotonic() >= deadline:
                raise
            time.sleep(1)
            connection.close_if_unusable_or_obsolete()  # the next try opens a new one


def _record_failure(notification: Notification, error: Exception) -> bool:
    """Queue the mail again after its backoff, or fail it for good once it has been tried for
    OUTBOX_GIVE_UP_SECONDS. Returns whether a quick retry (by the task) should follow."""
    now = timezone.now()
    quick = notification.attempts < MAX_ATTEMPTS
    if quick:
        wait = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1)
    else:
        wait = settings.OUTBOX_SLOW_RETRY_SECONDS
    given_up = not quick and (
        now - notification.created_at >= timedelta(seconds=settings.OUTBOX_GIVE_UP_SECONDS)
    )
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED if given_up else Notification.Status.QUEUED,
        last_error=f"{error.__class__.__name__}: {error}"[:2000],
        next_attempt_at=None if given_up else now + timedelta(seconds=wait),
        lease_until=None,
        updated_at=now,
    )
    logger.warning("Sending notification %s failed: %s", notification.pk, error)
    return quick


def notification_send(*, notification_id: int, retrying: bool = False) -> Notification | None:
    """Send one queued mail that is due; only one worker can claim it, and a sent mail is never
    sent again. A mail server's refusal queues it again after a backoff (SendFailed asks the task
    for a quick retry, `retrying`); a database error goes up to the task, which retries it."""
    if not _claim(notification_id, retrying=retrying):
        return None
    notification = Notification.objects.get(pk=notification_id)
    try:
        _message(notification).send()
    except Exception as error:  # any failure of the mail backend is retried, then recorded
        if _record_failure(notification, error):
            raise SendFailed(str(error)) from error
        return notification
    _record_sent(notification)
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
        next_attempt_at=None,
        lease_until=None,
        updated_at=now,
        resent_at=now,
        resent_by=recorded(acting_user),
    )


def notification_resend(*, notification: Notification, acting_user) -> Notification:
    """Queue a failed (or sent) mail again, e.g. after the mail server has been fixed."""
    require(may_resend(acting_user, notification))
    if SECRET_MARK in notification.body_text and not notification.secret:
        raise ValidationError(
            "This e-mail held a one-time link, which is not kept once sent: send a new "
            "invitation, or ask the person to reset their password again."
        )
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


def outbox_sweep(*, limit: int = 1000) -> int:
    """Hand Celery every mail that is due and not being sent, and every mail whose worker died
    while sending it (its claim lapsed): a lost task, a broker or worker outage, a mail waiting
    out its backoff. A mail handed over twice is still sent once: the claim decides."""
    now = timezone.now()
    recently = now - timedelta(seconds=settings.OUTBOX_SWEEP_SECONDS)
    due = Q(status=Notification.Status.QUEUED, updated_at__lt=recently) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    lapsed = Q(status=Notification.Status.SENDING, lease_until__lt=now)
    ids = list(
        Notification.objects.filter(due | lapsed)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    # Touched, so the next sweep leaves them to the task for a sweep's length.
    Notification.objects.filter(pk__in=ids, status=Notification.Status.QUEUED).update(
        updated_at=now
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)
