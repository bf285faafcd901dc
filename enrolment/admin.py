from django.contrib import admin

from .models import ExpressionOfInterest, ExpressionOfInterestEvent


class EventInline(admin.TabularInline):
    model = ExpressionOfInterestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "note", "actor", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["reference", "school", "hub", "phase", "academic_year", "outcome", "status"]
    list_filter = ["phase", "status", "outcome", "academic_year", "hub"]
    search_fields = ["reference", "school__name", "school__urn", "submitter_email"]
    raw_id_fields = ["school", "work_group", "participation", "decided_by", "overridden_by"]
    readonly_fields = ["reference", "reasons", "checked_at", "created_at", "updated_at"]
    list_select_related = ["school", "hub", "academic_year"]
    inlines = [EventInline]
