"""What the portal records of its own handling of personal data: each nightly retention run,
each subject access request and each erasure. None of them holds the personal data itself: a
person is named by a keyed hash of their address (`subject_reference`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


def subject_reference(email: str) -> str:
    """A keyed hash of an e-mail address: the same address always gives the same reference, and
    nobody without the portal's secret key can tell which address it was."""
    return salted_hmac("reports.subject", email.strip().lower()).hexdigest()


class RetentionRun(models.Model):
    """What one rule of the retention schedule removed or anonymised in one run: counts only."""

    run_started_at = models.DateTimeField(db_index=True)
    rule = models.CharField(max_length=50)
    records = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-run_started_at", "rule"]

    def __str__(self):
        return f"{self.rule} at {self.run_started_at:%d %b %Y %H:%M}: {self.records}"


class SubjectAccessRequestQuerySet(models.QuerySet):
    def asked_by(self, user):
        """A person's own requests: the file is theirs alone to download."""
        return self.filter(requested_by=user) if user.is_authenticated else self.none()


class SubjectAccessRequest(models.Model):
    """A request for everything the portal holds about one address, built by a worker."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        BUILDING = "building", "Being gathered"
        READY = "ready", "Ready to download"
        DOWNLOADED = "downloaded", "Downloaded"
        EXPIRED = "expired", "Removed unread"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A hub lead's request covers their hub's records only; none for national staff (all).
    hub = models.ForeignKey(
        "schools.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_reference = models.CharField(max_length=64, db_index=True)
    # The address asked about, kept only until the export is built.
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    file = models.FileField(upload_to="subject_access/", blank=True)
    places = models.PositiveIntegerField(default=0, help_text="Places the person was found in.")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Subject access request {self.pk} ({self.get_status_display()})"

    @property
    def is_under_way(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.BUILDING)


class Erasure(models.Model):
    """One person anonymised everywhere: who did it, when, why, and how many rows changed."""

    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hub = models.ForeignKey(
        "schools.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_reference = models.CharField(max_length=64, db_index=True)
    reason = models.TextField()
    erased_at = models.DateTimeField(default=timezone.now)
    # {place title: rows changed or removed}, and what was left alone and why.
    changed = models.JSONField(default=dict)
    kept = models.JSONField(default=list)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"Erasure {self.pk} on {self.erased_at:%d %b %Y}"
