from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.access import require
from core.links import url_for_each
from core.roles import roles_for
from core.views import button_action, button_view, form_page

from .forms import NotificationPreferenceForm, OutboxFilterForm
from .models import Notification, NotificationPreference
from .permissions import may_read_outbox
from .selectors import outbox_filtered, outbox_status_counts
from .services import notification_resend, notifications_resend_failed, preferences_set

OUTBOX_PER_PAGE = 50
STATUS_LABELS = dict(Notification.Status.choices)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """A person turns optional reminders and digests on or off; transactional mail always goes."""
    # Saved on the first change, not on a look.
    preference = NotificationPreference.objects.filter(user=request.user).first()
    preference = preference or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    return form_page(
        request,
        form,
        act=lambda data: preferences_set(preference=preference, acting_user=request.user, **data),
        success="Your notification preferences are saved.",
        redirect_to="notifications:preferences",
        page="notifications/preferences.html",
    )


@login_required
def outbox_list(request):
    require(may_read_outbox(request.user))
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
        "show_hub": roles_for(request.user).everywhere,
    }
    return render(request, "notifications/outbox_list.html", context)


def _visible_notification(request, pk) -> Notification:
    return get_object_or_404(
        Notification.objects.visible_to(request.user).select_related("hub", "user", "resent_by"),
        pk=pk,
    )


@login_required
def outbox_detail(request, pk):
    notification = _visible_notification(request, pk)
    return render(request, "notifications/outbox_detail.html", {"notification": notification})


def _detail_url(notification) -> str:
    return reverse("notifications:outbox-detail", args=[notification.pk])


outbox_resend = button_view(
    _visible_notification,
    lambda notification, user: notification_resend(notification=notification, acting_user=user),
    success=lambda notification: f"The e-mail to {notification.recipient} is queued again.",
    redirect_to=_detail_url,
)


@login_required
@require_POST
def outbox_resend_failed(request):
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
