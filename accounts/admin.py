from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_national_staff", "is_active", "last_login"]
    list_filter = ["is_national_staff", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Role", {"fields": ["is_national_staff"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "invited_by",
        "grant_kind",
        "for_existing_account",
        "created_at",
        "expires_at",
        "accepted_at",
        "declined_at",
    ]
    list_filter = ["grant_kind", "for_existing_account"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email"]
    readonly_fields = [
        "token_hash",
        "invited_by_system",
        "grant_kind",
        "grant",
        "for_existing_account",
        "created_at",
        "accepted_at",
        "declined_at",
    ]
    raw_id_fields = ["user", "invited_by"]
