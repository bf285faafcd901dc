"""Reads of the outbox that its pages share."""

from django.db.models import Count, F, Q

from .forms import OutboxFilterForm
from .models import Notification


def outbox_status_counts(user) -> dict[str, int]:
    """How many of the person's visible mails are in each status, every status present."""
    rows = Notification.objects.visible_to(user).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Notification.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def outbox_filtered(user, form: OutboxFilterForm):
    """The person's visible mails, newest first, narrowed by the filter form when it is valid:
    what the outbox's table shows of each, as values."""
    notifications = Notification.objects.visible_to(user)
    if form.is_valid():
        if form.cleaned_data["status"]:
            notifications = notifications.filter(status=form.cleaned_data["status"])
        if query := form.cleaned_data["q"].strip():
            notifications = notifications.filter(
                Q(recipient__icontains=query) | Q(subject__icontains=query)
            )
    return notifications.values(
        "pk",
        "created_at",
        "recipient",
        "subject",
        "status",
        "last_error",
        "attempts",
        hub_name=F("hub__name"),
    )
