from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .forms import NotificationPreferenceForm, OutboxFilterForm
from .models import Notification, NotificationPreference
from .selectors import can_read_outbox, outbox_filtered, outbox_status_counts
from .services import can_resend, notification_resend, notifications_resend_failed

OUTBOX_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """A person turns optional reminders and digests on or off; transactional mail always goes."""
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification preferences are saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


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


@login_required
@require_POST
def outbox_resend(request, pk):
    notification = _visible_notification(request, pk)
    if not can_resend(request.user, notification):
        raise Http404
    try:
        notification_resend(notification=notification, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The e-mail to {notification.recipient} is queued again.")
    return redirect("notifications:outbox-detail", pk=notification.pk)


@login_required
@require_POST
def outbox_resend_failed(request):
    _require_outbox_reader(request.user)
    queued = notifications_resend_failed(acting_user=request.user)
    if queued:
        messages.success(
            request, f"{queued} failed e-mail{'s' if queued != 1 else ''} queued again."
        )
    else:
        messages.info(request, "There are no failed e-mails to send again.")
    return redirect("notifications:outbox-list")
