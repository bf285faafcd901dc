from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.links import url_for_each
from core.views import button_action, button_view, form_page, permitted_or_404

from .forms import NotificationPreferenceForm, OutboxFilterForm
from .models import Notification, NotificationPreference
from .selectors import can_read_outbox, outbox_filtered, outbox_status_counts
from .services import can_resend, notification_resend, notifications_resend_failed

OUTBOX_PER_PAGE = 50
STATUS_LABELS = dict(Notification.Status.choices)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """A person turns optional reminders and digests on or off; transactional mail always goes."""
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    return form_page(
        request,
        form,
        # The person's own switches, nothing more: the model form's save is the whole write.
        act=lambda data: form.save(),
        success="Your notification preferences are saved.",
        redirect_to="notifications:preferences",
        page="notifications/preferences.html",
    )


def _require_outbox_reader(user):
    if not can_read_outbox(user):
        raise Http404


@login_required
def outbox_list(request):
    _require_outbox_reader(request.user)
    form = OutboxFilterForm(request.GET or None)
    page = Paginator(outbox_filtered(request.user, form), OUTBOX_PER_PAGE).get_page(
        request.GET.get("page")
    )
    detail_url = url_for_each("notifications:outbox-detail")
    for notification in page:
        status = notification["status"]
        notification["url"] = detail_url(notification["pk"])
        notification["status_label"] = STATUS_LABELS.get(status, status)
    query = request.GET.copy()
    query.pop("page", None)
    counts = outbox_status_counts(request.user)
    context = {
        "form": form,
        "page": page,
        "status_tabs": [
            (value, label, counts[value]) for value, label in Notification.Status.choices
        ],
        "failed": counts[Notification.Status.FAILED],
        "query_string": query.urlencode(),
        "show_hub": request.user.is_staff,
    }
    return render(request, "notifications/outbox_list.html", context)


def _visible_notification(request, pk) -> Notification:
    _require_outbox_reader(request.user)
    return get_object_or_404(
        Notification.objects.visible_to(request.user).select_related("hub", "user", "resent_by"),
        pk=pk,
    )


@login_required
def outbox_detail(request, pk):
    notification = _visible_notification(request, pk)
    return render(request, "notifications/outbox_detail.html", {"notification": notification})


def _resendable_notification(request, pk) -> Notification:
    return permitted_or_404(can_resend, request.user, _visible_notification(request, pk))


def _detail_url(notification) -> str:
    return reverse("notifications:outbox-detail", args=[notification.pk])


outbox_resend = button_view(
    _resendable_notification,
    lambda notification, user: notification_resend(notification=notification, acting_user=user),
    success=lambda notification: f"The e-mail to {notification.recipient} is queued again.",
    redirect_to=_detail_url,
)


@login_required
@require_POST
def outbox_resend_failed(request):
    _require_outbox_reader(request.user)
    return button_action(
        request,
        lambda: notifications_resend_failed(acting_user=request.user),
        success=_resent,
        redirect_to="notifications:outbox-list",
    )


def _resent(queued: int):
    if not queued:
        return Message(messages.INFO, "There are no failed e-mails to send again.")
    return f"{queued} failed e-mail{'s' if queued != 1 else ''} queued again."
