"""Work group pages. Each view fetches through visible_to/overseen_by (a 404 for what a person
may not see), checks the action's permission function before a write, and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schools.models import Hub, School, SchoolContact
from schools.roles import roles_for

from . import selectors, services
from .calendars import feed_ics, workshop_ics
from .forms import (
    ATTENDANCE_MARKS,
    AttendanceForm,
    GrantForm,
    InviteForm,
    ParticipationForm,
    PlaceSchoolForm,
    VisitRecordForm,
    VisitScheduleForm,
    WithdrawForm,
    WorkGroupForm,
    WorkshopForm,
    add_service_errors,
)
from .models import AcademicYear, CalendarFeed, Participation, SupportVisit, WorkGroup, Workshop


def _today():
    return timezone.localdate()


def _int_param(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The hub lead's cohort ---------------------------------------------------------------------------


def _hubs_for_cohort(user):
    """National staff read every hub's cohort; a hub lead their own hubs'."""
    roles = roles_for(user)
    if roles.is_national_staff:
        return Hub.objects.order_by("name")
    return Hub.objects.filter(pk__in=roles.hub_lead_hub_ids).order_by("name")


def _chosen_hub(request):
    hubs = list(_hubs_for_cohort(request.user))
    if not hubs:
        raise Http404
    slug = request.GET.get("hub") or request.POST.get("hub")
    if not slug:
        return hubs[0], hubs
    for hub in hubs:
        if hub.slug == slug:
            return hub, hubs
    raise Http404


def _cohort(hub, start_year) -> dict:
    groups = selectors.cohort_rows(hub=hub, start_year=start_year)
    return {
        "groups": groups,
        "places_taken": sum(group["places_taken"] for group in groups),
        "capacity": sum(group["capacity"] for group in groups),
    }


@login_required
@require_GET
def cohort_view(request):
    hub, hubs = _chosen_hub(request)
    this_year = selectors.current_start_year()
    start_year = _int_param(request, "year", this_year)
    years = sorted(
        set(AcademicYear.objects.values_list("start_year", flat=True))
        | {this_year, this_year + 1, start_year}
    )
    can_manage = services.can_manage_work_groups(request.user, hub)
    context = {
        "hub": hub,
        "hubs": hubs,
        "start_year": start_year,
        "year_name": AcademicYear.name_for(start_year),
        "next_year_name": AcademicYear.name_for(start_year + 1),
        "years": [(y, AcademicYear.name_for(y)) for y in years],
        "cohort": _cohort(hub, start_year),
        "can_manage": can_manage,
    }
    return render(request, "workgroups/cohort.html", context)


def _managed_hub(request):
    hub, _ = _chosen_hub(request)
    if not services.can_manage_work_groups(request.user, hub):
        raise Http404
    return hub


@login_required
@require_http_methods(["GET", "POST"])
def work_group_create_view(request):
    hub = _managed_hub(request)
    this_year = selectors.current_start_year()
    years = [this_year - 1, this_year, this_year + 1, this_year + 2]
    initial = {"start_year": _int_param(request, "year", this_year + 1)}
    form = WorkGroupForm(request.POST or None, hub=hub, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.work_group_create(
                hub=hub,
                phase=data["phase"],
                academic_year=services.academic_year_get_or_create(start_year=data["start_year"]),
                code=data["code"],
                title=data["title"],
                description=data["description"],
                lead=data["lead"],
                capacity=data["capacity"],
                status=data["status"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.code} is set up with its six draft workshops.")
            return redirect("workgroups:work-group-detail", pk=group.pk)
    return render(
        request, "workgroups/work_group_form.html", {"form": form, "hub": hub, "group": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_group_copy_view(request):
    """Copy a year's groups into the next year, after showing which ones."""
    hub = _managed_hub(request)
    start_year = _int_param(request, "year", selectors.current_start_year())
    year = get_object_or_404(AcademicYear, start_year=start_year)
    groups = list(selectors.cohort(hub=hub, start_year=start_year).filter(copies__isnull=True))
    if request.method == "POST":
        try:
            copies = services.work_groups_copy_to_next_year(
                hub=hub, academic_year=year, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{len(copies)} work groups are set up for "
                f"{AcademicYear.name_for(start_year + 1)} as plans.",
            )
            return redirect(reverse("workgroups:cohort") + f"?hub={hub.slug}&year={start_year + 1}")
    return render(
        request,
        "workgroups/work_group_copy.html",
        {
            "hub": hub,
            "year": year,
            "groups": groups,
            "next_year_name": AcademicYear.name_for(start_year + 1),
        },
    )


# One work group ----------------------------------------------------------------------------------


def _overseen_group(request, pk):
    return get_object_or_404(
        selectors.for_group_page(WorkGroup.objects.overseen_by(request.user)), pk=pk
    )


def _render_group(request, group, place_form=None, status=200):
    today = _today()
    can_manage = services.can_manage_work_groups(request.user, group.hub_id)
    if can_manage and place_form is None:
        place_form = PlaceSchoolForm(hub=group.hub)
    context = {
        "group": group,
        "page": selectors.work_group_page(group=group, today=today),
        "can_update": services.can_run_work_group(request.user, group) and not group.is_completed,
        "can_manage": can_manage,
        "place_form": place_form,
    }
    return render(request, "workgroups/work_group_detail.html", context, status=status)


@login_required
@require_GET
def work_group_detail_view(request, pk):
    return _render_group(request, _overseen_group(request, pk))


def _managed_group(request, pk):
    group = _overseen_group(request, pk)
    if not services.can_manage_work_groups(request.user, group.hub_id):
        raise Http404
    return group


@login_required
@require_http_methods(["GET", "POST"])
def work_group_edit_view(request, pk):
    group = _managed_group(request, pk)
    this_year = selectors.current_start_year()
    years = sorted({group.academic_year.start_year, this_year, this_year + 1, this_year + 2})
    initial = {
        "phase": group.phase,
        "start_year": group.academic_year.start_year,
        "code": group.code,
        "title": group.title,
        "description": group.description,
        "lead": group.lead_id,
        "capacity": group.capacity,
        "status": group.status,
    }
    form = WorkGroupForm(request.POST or None, hub=group.hub, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        start_year = data.pop("start_year")
        if start_year != group.academic_year.start_year:
            data["academic_year"] = services.academic_year_get_or_create(start_year=start_year)
        try:
            services.work_group_update(work_group=group, acting_user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{data['code']} is saved.")
            return redirect("workgroups:work-group-detail", pk=group.pk)
    return render(
        request, "workgroups/work_group_form.html", {"form": form, "hub": group.hub, "group": group}
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_group_complete_view(request, pk):
    group = _managed_group(request, pk)
    if request.method == "POST":
        try:
            services.work_group_complete(work_group=group, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{group.code} is completed: its schools have completed the phase."
            )
        return redirect("workgroups:work-group-detail", pk=group.pk)
    return render(request, "workgroups/work_group_complete.html", {"group": group})


@login_required
@require_POST
def participation_create_view(request, pk):
    group = _managed_group(request, pk)
    form = PlaceSchoolForm(request.POST, hub=group.hub)
    if form.is_valid():
        school = form.cleaned_data["school"]
        try:
            participation = services.participation_place(
                work_group=group, school=school, acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{school.name} is placed: now name its lead participants.")
            return redirect("workgroups:participation-detail", pk=participation.pk)
    return _render_group(request, group, place_form=form, status=400)


# Participations ----------------------------------------------------------------------------------


def _overseen_participation(request, pk):
    return get_object_or_404(
        Participation.objects.filter(
            work_group__in=WorkGroup.objects.overseen_by(request.user)
        ).select_related("school", "work_group__hub", "work_group__lead__user", "academic_year"),
        pk=pk,
    )


def _participation_forms(participation, bound=None):
    forms = {
        "leads_form": ParticipationForm(
            participation=participation,
            initial={
                "lead_participants": list(participation.lead_participants.all()),
                "release_days_used": participation.release_days_used,
            },
        ),
        "grant_form": GrantForm(
            initial={
                "grant_status": participation.grant_status,
                "grant_claimed_on": participation.grant_claimed_on,
                "grant_paid_on": participation.grant_paid_on,
            }
        ),
        "withdraw_form": WithdrawForm(),
    }
    forms.update(bound or {})
    return forms


def _render_participation(request, participation, bound=None, status=200):
    group = participation.work_group
    context = {
        "participation": participation,
        "group": group,
        "can_run": services.can_run_work_group(request.user, group),
        "can_manage": services.can_manage_work_groups(request.user, group.hub_id),
        "changes": participation.history.select_related("history_user").order_by("-history_date")[
            :10
        ],
        **_participation_forms(participation, bound),
    }
    return render(request, "workgroups/participation_detail.html", context, status=status)


@login_required
@require_GET
def participation_detail_view(request, pk):
    return _render_participation(request, _overseen_participation(request, pk))


@login_required
@require_POST
def participation_edit_view(request, pk):
    participation = _overseen_participation(request, pk)
    if not services.can_run_work_group(request.user, participation.work_group):
        raise Http404
    form = ParticipationForm(request.POST, participation=participation)
    if form.is_valid():
        try:
            services.participation_update(
                participation=participation,
                lead_participants=form.cleaned_data["lead_participants"],
                release_days_used=form.cleaned_data["release_days_used"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{participation.school.name}'s details are saved.")
            return redirect("workgroups:participation-detail", pk=participation.pk)
    return _render_participation(request, participation, {"leads_form": form}, status=400)


@login_required
@require_POST
def participation_grant_view(request, pk):
    participation = _overseen_participation(request, pk)
    if not services.can_manage_work_groups(request.user, participation.work_group.hub_id):
        raise Http404
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            services.participation_grant_update(
                participation=participation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{participation.school.name}'s grant is saved.")
            return redirect("workgroups:participation-detail", pk=participation.pk)
    return _render_participation(request, participation, {"grant_form": form}, status=400)


@login_required
@require_POST
def participation_withdraw_view(request, pk):
    participation = _overseen_participation(request, pk)
    if not services.can_manage_work_groups(request.user, participation.work_group.hub_id):
        raise Http404
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.participation_withdraw(
                participation=participation,
                reason=form.cleaned_data["withdrawn_reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{participation.school.name} has withdrawn.")
            return redirect("workgroups:work-group-detail", pk=participation.work_group_id)
    return _render_participation(request, participation, {"withdraw_form": form}, status=400)


# Workshops and attendance ------------------------------------------------------------------------


def _overseen_workshop(request, pk):
    return get_object_or_404(
        Workshop.objects.filter(
            work_group__in=WorkGroup.objects.overseen_by(request.user)
        ).select_related("work_group__hub", "work_group__lead__user", "host_school", "half_term"),
        pk=pk,
    )


def _run_workshop(request, pk):
    workshop = _overseen_workshop(request, pk)
    if not services.can_run_work_group(request.user, workshop.work_group):
        raise Http404
    return workshop


def _render_workshop(request, workshop, invite_form=None, status=200):
    can_run = services.can_run_work_group(request.user, workshop.work_group)
    attendees = selectors.workshop_attendees(workshop)
    if can_run and invite_form is None:
        invite_form = InviteForm(contacts=selectors.invitable_contacts(workshop, attendees))
    context = {
        "workshop": workshop,
        "group": workshop.work_group,
        "attendees": attendees,
        "can_run": can_run,
        "can_mark": can_run and workshop.is_held_by(_today()),
        "invite_form": invite_form,
        "statuses": ATTENDANCE_MARKS,
        "schedules": workshop.history.filter(status=Workshop.Status.SCHEDULED)
        .select_related("history_user")
        .order_by("-history_date")[:10],
    }
    return render(request, "workgroups/workshop_detail.html", context, status=status)


@login_required
@require_GET
def workshop_detail_view(request, pk):
    return _render_workshop(request, _overseen_workshop(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def workshop_schedule_view(request, pk):
    workshop = _run_workshop(request, pk)
    group = workshop.work_group
    hosts = School.objects.filter(
        Q(pk__in=group.participations.taking_part().values("school"))
        | Q(pk=group.lead.school_id if group.lead_id else None)
    ).order_by("name")
    initial = {
        "date": workshop.date,
        "session": workshop.session,
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "host_school": workshop.host_school_id,
        "strands": workshop.strands,
        "agenda": workshop.agenda,
        "materials": workshop.materials,
    }
    form = WorkshopForm(request.POST or None, hosts=hosts, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_schedule(
                workshop=workshop, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Workshop {workshop.number} is scheduled.")
            return redirect("workgroups:workshop-detail", pk=workshop.pk)
    return render(
        request,
        "workgroups/workshop_form.html",
        {"form": form, "workshop": workshop, "group": group},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_mark_view(request, pk):
    """Mark one attendee; htmx swaps just their row, a plain post comes back to the page.

    A GET (a reminder's "take attendance" link) opens the workshop's attendance list.
    """
    workshop = _run_workshop(request, pk)
    if request.method == "GET":
        return redirect(reverse("workgroups:workshop-detail", args=[workshop.pk]) + "#attendance")
    form = AttendanceForm(request.POST)
    error = None
    contact = None
    if form.is_valid():
        contact = get_object_or_404(SchoolContact, pk=form.cleaned_data["contact"])
        try:
            services.attendance_mark(
                workshop=workshop,
                contact=contact,
                status=form.cleaned_data["status"],
                acting_user=request.user,
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
    else:
        error = "Choose present, absent or apologies."
    if request.htmx and contact is not None:
        workshop.refresh_from_db(fields=["attendance_recorded_at"])
        row = next(
            (r for r in selectors.workshop_attendees(workshop) if r.contact.pk == contact.pk), None
        )
        if row is not None:
            context = {
                "row": row,
                "workshop": workshop,
                "can_mark": True,
                "error": error,
                "statuses": ATTENDANCE_MARKS,
            }
            return render(request, "workgroups/_attendance_row.html", context)
    if error:
        messages.error(request, error)
    url = reverse("workgroups:workshop-detail", args=[workshop.pk])
    return redirect(f"{url}#attendee-{contact.pk}" if contact else url)


@login_required
@require_POST
def attendance_rest_present_view(request, pk):
    workshop = _run_workshop(request, pk)
    try:
        marked = services.attendance_mark_rest_present(workshop=workshop, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{marked} more marked present.")
    return redirect("workgroups:workshop-detail", pk=workshop.pk)


@login_required
@require_POST
def workshop_invite_view(request, pk):
    workshop = _run_workshop(request, pk)
    attendees = selectors.workshop_attendees(workshop)
    form = InviteForm(request.POST, contacts=selectors.invitable_contacts(workshop, attendees))
    if form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            services.workshop_invite(workshop=workshop, contact=contact, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{contact.name} is invited to workshop {workshop.number}.")
            return redirect("workgroups:workshop-detail", pk=workshop.pk)
    return _render_workshop(request, workshop, invite_form=form, status=400)


@login_required
@require_GET
def workshop_ics_view(request, pk):
    """The "add to calendar" file: for everyone who may see the workshop, contacts included."""
    workshop = get_object_or_404(
        Workshop.objects.visible_to(request.user)
        .filter(status=Workshop.Status.SCHEDULED, date__isnull=False)
        .select_related("work_group", "host_school"),
        pk=pk,
    )
    filename = f"{workshop.work_group.code}-{workshop.number}.ics"
    return _ics_response(workshop_ics(workshop), filename)


# Support visits ----------------------------------------------------------------------------------


def _run_visit(request, pk):
    visit = get_object_or_404(
        SupportVisit.objects.visible_to(request.user).select_related(
            "participation__school",
            "participation__work_group__lead__user",
            "participation__work_group__hub",
        ),
        pk=pk,
    )
    if not services.can_run_work_group(request.user, visit.participation.work_group):
        raise Http404
    return visit


def _visit_form_view(request, pk, form_class, initial, service, success, template_title):
    visit = _run_visit(request, pk)
    form = form_class(request.POST or None, initial=initial(visit))
    if request.method == "POST" and form.is_valid():
        try:
            service(visit=visit, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(visit))
            return redirect("workgroups:work-group-detail", pk=visit.participation.work_group_id)
    context = {
        "form": form,
        "visit": visit,
        "group": visit.participation.work_group,
        "title": template_title,
    }
    return render(request, "workgroups/visit_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule_view(request, pk):
    return _visit_form_view(
        request,
        pk,
        VisitScheduleForm,
        lambda v: {"scheduled_for": v.scheduled_for, "starts_at": v.starts_at},
        services.support_visit_schedule,
        lambda v: (
            f"The {v.get_term_display().lower()} visit to {v.participation.school.name} "
            "is scheduled."
        ),
        "Schedule",
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_record_view(request, pk):
    return _visit_form_view(
        request,
        pk,
        VisitRecordForm,
        lambda v: (
            {name: getattr(v, name) for name in VisitRecordForm.base_fields if name != "visited_on"}
            | {"visited_on": v.visited_on or v.scheduled_for}
        ),
        services.support_visit_record,
        lambda v: (
            f"The {v.get_term_display().lower()} visit to {v.participation.school.name} "
            "is recorded."
        ),
        "Record",
    )


# Specialist's home and the school contact's page -------------------------------------------------


@login_required
@require_GET
def specialist_home_view(request):
    roles = roles_for(request.user)
    if not roles.is_hub_staff:
        raise Http404
    home = selectors.specialist_home(user=request.user, today=_today())
    hub = Hub.objects.filter(pk__in=roles.hub_ids).order_by("name").first()
    return render(request, "workgroups/specialist_home.html", {"home": home, "hub": hub})


@login_required
@require_GET
def my_participation_view(request):
    roles = roles_for(request.user)
    if not roles.is_school_contact:
        raise Http404
    today = _today()
    participations = selectors.participations_for_school_contact(request.user, today)
    schools = School.objects.filter(pk__in=roles.contact_school_ids).order_by("name")
    return render(
        request,
        "workgroups/my_participation.html",
        {"participations": participations, "schools": schools, "today": today},
    )


# Calendars ---------------------------------------------------------------------------------------


@login_required
@require_GET
def calendar_view(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = (
        request.build_absolute_uri(reverse("workgroups:calendar-feed", args=[feed.token]))
        if feed
        else None
    )
    return render(request, "workgroups/calendar.html", {"feed": feed, "feed_url": url})


@login_required
@require_POST
def calendar_reset_view(request):
    existed = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar has a new address: the old one no longer works."
        if existed
        else "Your calendar address is ready.",
    )
    return redirect("workgroups:calendar")


@never_cache
@require_GET
def calendar_feed_view(request, token):
    """The private feed: the secret in the address is the only key, so no sign-in."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    workshops, visits = selectors.calendar_entries(feed.user)
    content = feed_ics(f"hubportal: {feed.user.get_full_name()}", workshops, visits)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hubportal.ics"'
    return response
