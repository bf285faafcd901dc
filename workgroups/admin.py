"""National staff's admin: academic years and their half-terms are adjusted here.

Work groups and their records are run from the portal's own pages, where the programme's rules
are applied; the admin lists them for support and lets staff correct a record by hand.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AcademicYear,
    Attendance,
    CalendarFeed,
    HalfTerm,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
)
from .summaries import summaries_refresh


class KeepsSummaries:
    """An edit here changes what the figures count: the summaries follow, as they do after the
    portal's own services. `summary_paths`: how a row reaches its school (None: it doesn't)
    and its work group ("": the row is one)."""

    summary_paths: tuple[str | None, str] = (None, "")

    def _scope(self, queryset) -> tuple[set, set]:
        school, group = self.summary_paths
        prefix = f"{group}__" if group else ""
        hub_years = queryset.values_list(f"{prefix}hub_id", f"{prefix}academic_year__start_year")
        schools = set(queryset.values_list(school, flat=True)) if school else set()
        return schools - {None}, {pair for pair in hub_years if None not in pair}

    def _refresh(self, *scopes) -> None:
        summaries_refresh(
            school_ids=set().union(*(schools for schools, _ in scopes)),
            hub_years=set().union(*(hub_years for _, hub_years in scopes)),
            participations_moved=True,
        )

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = self._scope(model.objects.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)
        self._refresh(before, self._scope(model.objects.filter(pk=obj.pk)))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._refresh(self._scope(type(form.instance).objects.filter(pk=form.instance.pk)))

    def delete_model(self, request, obj):
        before = self._scope(type(obj).objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        self._refresh(before)

    def delete_queryset(self, request, queryset):
        before = self._scope(queryset.model.objects.filter(pk__in=list(queryset.values("pk"))))
        super().delete_queryset(request, queryset)
        self._refresh(before)


class HalfTermFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = sorted(
            (form.cleaned_data for form in self.forms if form.cleaned_data.get("number")),
            key=lambda row: row["number"],
        )
        for before, after in zip(rows, rows[1:], strict=False):
            if (
                before.get("ends_on")
                and after.get("starts_on")
                and after["starts_on"] <= before["ends_on"]
            ):
                raise forms.ValidationError(
                    f"Half-term {after['number']} must start after half-term "
                    f"{before['number']} ends."
                )


class HalfTermInline(admin.TabularInline):
    model = HalfTerm
    formset = HalfTermFormSet
    extra = 0
    max_num = 6


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    inlines = [HalfTermInline]


class WorkshopInline(admin.TabularInline):
    model = Workshop
    fields = ["number", "status", "date", "session", "host_school", "sequence"]
    readonly_fields = ["sequence"]
    raw_id_fields = ["host_school"]
    extra = 0
    show_change_link = True


@admin.register(WorkGroup)
class WorkGroupAdmin(KeepsSummaries, SimpleHistoryAdmin):
    summary_paths = ("participations__school_id", "")
    list_display = ["code", "title", "hub", "phase", "academic_year", "lead", "capacity", "status"]
    list_filter = ["phase", "status", "academic_year", "hub"]
    search_fields = ["code", "title"]
    raw_id_fields = ["lead", "copied_from"]
    list_select_related = ["hub", "academic_year", "lead__user", "lead__hub"]
    inlines = [WorkshopInline]


@admin.register(Participation)
class ParticipationAdmin(KeepsSummaries, SimpleHistoryAdmin):
    summary_paths = ("school_id", "work_group")
    list_display = ["school", "work_group", "phase", "academic_year", "status", "grant_status"]
    list_filter = ["phase", "status", "grant_status", "academic_year"]
    search_fields = ["school__name", "school__urn", "work_group__code"]
    raw_id_fields = ["school", "work_group", "lead_participants"]
    readonly_fields = ["phase", "academic_year"]
    list_select_related = ["school", "work_group", "academic_year"]


@admin.register(Workshop)
class WorkshopAdmin(KeepsSummaries, SimpleHistoryAdmin):
    summary_paths = (None, "work_group")
    list_display = ["__str__", "status", "date", "session", "host_school", "sequence"]
    list_filter = ["status", "work_group__academic_year"]
    search_fields = ["work_group__code"]
    raw_id_fields = ["work_group", "host_school", "half_term"]
    readonly_fields = ["sequence"]
    list_select_related = ["work_group", "host_school"]


@admin.register(Attendance)
class AttendanceAdmin(KeepsSummaries, admin.ModelAdmin):
    summary_paths = (None, "workshop__work_group")
    list_display = ["contact", "workshop", "status", "is_lead_participant", "recorded_at"]
    list_filter = ["status"]
    raw_id_fields = ["workshop", "participation", "contact", "recorded_by"]
    list_select_related = ["contact", "workshop__work_group"]


@admin.register(SupportVisit)
class SupportVisitAdmin(KeepsSummaries, SimpleHistoryAdmin):
    summary_paths = (None, "participation__work_group")
    list_display = ["__str__", "term", "status", "scheduled_for", "visited_on"]
    list_filter = ["status", "term"]
    search_fields = ["participation__school__name", "participation__work_group__code"]
    raw_id_fields = ["participation", "recorded_by"]
    readonly_fields = ["sequence"]
    list_select_related = ["participation__school"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    # Staff see that a feed exists and when its address was made; the token's hash is no use to
    # them, and its address is kept nowhere.
    exclude = ["token_hash"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        # Only its owner makes an address, on their calendar page: one made here would be unknown
        # to anyone. Deleting a feed (which kills its address) stays possible.
        return False
