"""The outbox: every e-mail the portal sends, recorded once, sent by a worker."""

from django.conf import settings
from django.db import models

from core.roles import roles_for


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National staff see every mail; a hub lead their hub's."""
        roles = roles_for(user)
        if roles.everywhere:
            return self
        return self.filter(hub_id__in=roles.hub_lead_hub_ids)


SECRET_MARK = "[one-time link: sent, not kept]"


class Notification(models.Model):
    """One e-mail to one recipient for one occasion: (kind, key, recipient) is unique."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Not sent (turned off by the recipient)"

    kind = models.CharField(max_length=50, db_index=True)
    key = models.CharField(
        max_length=200, help_text="The object and occasion, e.g. eoi:42:outcome."
    )
    recipient = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # Which hub's outbox page lists this mail (none for national mails).
    hub = models.ForeignKey(
        "schools.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(
        max_length=20,
        blank=True,
        help_text="The preference that can turn it off; empty for transactional mail.",
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    # A one-time link (a password reset, an invitation): the bodies hold SECRET_MARK in its
    # place, and it is kept only until the mail is sent.
    secret = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A queued mail is not tried before this (its backoff after a failure).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # While sending: until when the worker's claim holds; the sweep takes back a lapsed one.
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last time a person asked for it to go again, and who: the outbox page shows it.
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="one_notification_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["hub", "status", "-created_at"])]

    def __str__(self):
        return f"{self.kind} to {self.recipient} ({self.get_status_display()})"

    @property
    def can_be_resent(self) -> bool:
        return self.status in RESENDABLE

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a mail sent twice is one mail to a reader."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "hubportal.local"
        return f"<outbox-{self.pk}@{domain}>"


# A mail still queued or being sent will go out anyway; a suppressed one was turned off by its
# recipient, and sending it would override their choice.
RESENDABLE = (Notification.Status.FAILED, Notification.Status.SENT)


class NotificationPreference(models.Model):
    """What optional e-mail a person wants; transactional mail always goes.

    Each boolean field is a category that `notify(optional=...)` names.
    """

    CATEGORIES = ("reminders", "digests")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminders = models.BooleanField(
        "Reminders (workshops, visits, attendance, action plans)", default=True
    )
    digests = models.BooleanField("Digests for hub leads (daily and weekly)", default=True)

    def __str__(self):
        return f"Notification preferences of {self.user}"

    def wants(self, category: str) -> bool:
        return getattr(self, category)
