from django.contrib import admin, messages

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
        for notification in queryset:
            notification_resend(notification=notification, acting_user=request.user)
        messages.success(request, f"{queryset.count()} e-mails queued again.")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders", "digests"]
    raw_id_fields = ["user"]
