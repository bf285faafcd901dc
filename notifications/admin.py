from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .models import Notification, NotificationPreference
from .services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "hub"]
    list_filter = ["status", "kind", "category"]
    list_select_related = ["hub"]
    search_fields = ["recipient", "subject", "key"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.action(description="Send the selected e-mails again")
    def resend(self, request, queryset):
        queued, refused = 0, 0
        for notification in queryset:
            try:
                notification_resend(notification=notification, acting_user=request.user)
            except ValidationError:
                refused += 1
            else:
                queued += 1
        messages.success(request, f"{queued} e-mails queued again.")
        if refused:
            messages.warning(
                request,
                f"{refused} were not: they are queued, being sent, or turned off by the recipient.",
            )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders", "digests"]
    raw_id_fields = ["user"]
