"""Plans in the admin: read and trace for national staff; schools write through the editor."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionPlan, Comment, Priority, Review


class ReadOnlyMixin:
    """Edits go through the services (versions, merging, notifications), never the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["participation", "status", "updated_at", "updated_by", "version"]
    list_filter = ["status", "participation__phase", "participation__academic_year"]
    list_select_related = ["participation__school", "participation__work_group", "updated_by"]
    search_fields = ["participation__school__name", "participation__work_group__code"]


@admin.register(Priority)
class PriorityAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "position", "version"]
    list_select_related = ["plan__participation__school", "plan__participation__work_group"]
    search_fields = ["title", "plan__participation__school__name"]


@admin.register(Action)
class ActionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["description", "plan", "owner", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["plan__participation__school", "plan__participation__work_group"]
    search_fields = ["description", "owner", "plan__participation__school__name"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "reviewer", "reviewed_at"]
    list_select_related = ["plan__participation__school", "reviewer"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "author", "author_role", "created_at"]
    list_select_related = ["plan__participation__school", "author"]
    search_fields = ["body"]
