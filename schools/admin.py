from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Hub,
    HubStaff,
    LocalAuthority,
    RegisterImport,
    School,
    SchoolContact,
    area_hub,
)
from .signals import register_changed


class ChangesTheRegister:
    """An edit here may move schools between hubs, open or close them: the figures that count
    schools by hub area follow, as they do after the portal's own services."""

    def area_hubs(self, queryset) -> set:
        """The hubs whose areas the rows are in."""
        raise NotImplementedError

    def _send(self, model, *hub_sets) -> None:
        register_changed.send(sender=model, hub_ids=set().union(*hub_sets) - {None})

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = self.area_hubs(model.objects.filter(pk=obj.pk)) if obj.pk else set()
        super().save_model(request, obj, form, change)
        self._send(model, before, self.area_hubs(model.objects.filter(pk=obj.pk)))

    def delete_model(self, request, obj):
        before = self.area_hubs(type(obj).objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        self._send(type(obj), before)

    def delete_queryset(self, request, queryset):
        before = self.area_hubs(queryset)
        super().delete_queryset(request, queryset)
        self._send(queryset.model, before)


class LocalAuthorityInline(admin.TabularInline):
    model = LocalAuthority
    fields = ["code", "name"]
    extra = 0
    show_change_link = True


class HubStaffInline(admin.TabularInline):
    model = HubStaff
    raw_id_fields = ["user", "school"]
    extra = 0


@admin.register(Hub)
class HubAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "contact_email"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [LocalAuthorityInline, HubStaffInline]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(ChangesTheRegister, SimpleHistoryAdmin):
    list_display = ["name", "code", "hub", "in_england"]
    list_filter = ["hub", "in_england"]
    list_editable = ["hub"]
    search_fields = ["name", "code"]

    def area_hubs(self, queryset) -> set:
        return set(queryset.values_list("hub_id", flat=True))


class SchoolContactInline(admin.TabularInline):
    model = SchoolContact
    raw_id_fields = ["user"]
    extra = 0


@admin.register(School)
class SchoolAdmin(ChangesTheRegister, SimpleHistoryAdmin):
    list_display = ["urn", "name", "local_authority", "phase_of_education", "status"]
    list_filter = ["status", "phase_of_education", "is_mastery_specialist_school", "in_england"]
    list_select_related = ["local_authority"]
    search_fields = ["=urn", "name", "postcode"]
    raw_id_fields = ["local_authority", "hub_override"]
    inlines = [SchoolContactInline]

    def area_hubs(self, queryset) -> set:
        return set(queryset.annotate(area=area_hub()).values_list("area", flat=True))


@admin.register(HubStaff)
class HubStaffAdmin(SimpleHistoryAdmin):
    list_display = ["user", "hub", "role", "school"]
    list_filter = ["role", "hub"]
    list_select_related = ["user", "hub", "school"]
    raw_id_fields = ["user", "school"]


@admin.register(SchoolContact)
class SchoolContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "school", "user"]
    list_filter = ["role"]
    list_select_related = ["school", "user"]
    search_fields = ["name", "email", "school__name", "=school__urn"]
    raw_id_fields = ["school", "user"]


@admin.register(RegisterImport)
class RegisterImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file_name", "status", "dry_run", "created_by"]
    list_filter = ["status", "dry_run"]
    list_select_related = ["created_by"]
    readonly_fields = [
        "file",
        "file_name",
        "dry_run",
        "status",
        "summary",
        "changes",
        "problems",
        "error",
        "created_by",
        "started_at",
        "finished_at",
    ]
