"""Work group pages. Each view fetches through visible_to/overseen_by (a 404 for what a person
may not see), checks the action's permission function before a write, and calls one service."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import require
from core.forms import error_messages
from core.roles import roles_for
from core.views import button_action, button_view, form_page, one_or_404
from schools.models import Hub, School, SchoolContact

from . import calendars, permissions, selectors, services
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
)
from .models import AcademicYear, CalendarFeed, Participation, SupportVisit, WorkGroup, Workshop


def _today():
    return timezone.localdate()


def _int_param(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default


def _ics_response(content: bytes, disposition: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = disposition
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
def cohort(request):
    hub, hubs = _chosen_hub(request)
    this_year = selectors.current_start_year()
    start_year = _int_param(request, "year", this_year)
    years = sorted(
        set(AcademicYear.objects.values_list("start_year", flat=True))
        | {this_year, this_year + 1, start_year}
    )
    can_manage = permissions.may_manage_work_groups(request.user, hub)
    next_year_groups = selectors.next_year_group_count(hub=hub, start_year=start_year)
    context = {
        "hub": hub,
        "hubs": hubs,
        "start_year": start_year,
        "year_name": AcademicYear.name_for(start_year),
        "next_year_name": AcademicYear.name_for(start_year + 1),
        "years": [(y, AcademicYear.name_for(y)) for y in years],
        "cohort": _cohort(hub, start_year),
        "can_manage": can_manage,
        "next_year_groups": next_year_groups,
        "copy_problem": selectors.copy_problem(
            hub=hub, start_year=start_year, next_year_groups=next_year_groups
        ),
    }
    return render(request, "workgroups/cohort.html", context)


def _managed_hub(request):
    hub, _ = _chosen_hub(request)
    require(permissions.may_manage_work_groups(request.user, hub))
    return hub


def _group_fields(data: dict, year: AcademicYear | None = None) -> dict:
    """The service's fields from the form: the chosen start year as an academic year."""
    fields = dict(data)
    start_year = fields.pop("start_year")
    if year is None or year.start_year != start_year:
        fields["academic_year"] = services.academic_year_get_or_create(start_year=start_year)
    return fields


def _group_url(pk) -> str:
    return reverse("workgroups:work-group-detail", args=[pk])


def _group_form_page(request, form, *, act, success, hub, group):
    return form_page(
        request,
        form,
        act=act,
        success=success,
        redirect_to=lambda saved: _group_url(saved.pk),
        page="workgroups/work_group_form.html",
        context={"hub": hub, "group": group},
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_group_create(request):
    hub = _managed_hub(request)
    this_year = selectors.current_start_year()
    years = [this_year - 1, this_year, this_year + 1, this_year + 2]
    initial = {"start_year": _int_param(request, "year", this_year + 1)}
    return _group_form_page(
        request,
        WorkGroupForm(request.POST or None, hub=hub, years=years, initial=initial),
        act=lambda data: services.work_group_create(
            hub=hub, acting_user=request.user, **_group_fields(data)
        ),
        success=lambda group: f"{group.code} is set up with its six draft workshops.",
        hub=hub,
        group=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_group_copy(request):
    """Copy a year's groups into the next year, after showing which ones."""
    hub = _managed_hub(request)
    start_year = _int_param(request, "year", selectors.current_start_year())
    year = get_object_or_404(AcademicYear, start_year=start_year)
    next_year_name = AcademicYear.name_for(start_year + 1)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.work_groups_copy_to_next_year(
                hub=hub, academic_year=year, acting_user=request.user
            ),
            success=lambda copies: (
                f"{len(copies)} work groups are set up for {next_year_name} as plans."
            ),
            redirect_to=reverse("workgroups:cohort") + f"?hub={hub.slug}&year={start_year + 1}",
            back_to=request.get_full_path(),
        )
    groups = list(selectors.cohort(hub=hub, start_year=start_year).filter(copies__isnull=True))
    problem = selectors.copy_problem(
        hub=hub,
        start_year=start_year,
        next_year_groups=selectors.next_year_group_count(hub=hub, start_year=start_year),
    )
    context = {
        "hub": hub,
        "year": year,
        "groups": groups,
        "next_year_name": next_year_name,
        "problem": problem,
    }
    return render(request, "workgroups/work_group_copy.html", context)


# One work group ----------------------------------------------------------------------------------


def _overseen_group(request, pk):
    return one_or_404(selectors.for_group_page(WorkGroup.objects.overseen_by(request.user)), pk=pk)


def _managed_group(request, pk):
    group = _overseen_group(request, pk)
    require(permissions.may_manage_work_groups(request.user, group.hub_id))
    return group


def _render_group(request, group, place_form=None, status=200):
    today = _today()
    can_manage = permissions.may_manage_work_groups(request.user, group.hub_id)
    if can_manage and place_form is None:
        place_form = PlaceSchoolForm(hub=group.hub)
    page = selectors.work_group_page(group=group, today=today)
    context = {
        "group": group,
        "page": page,
        # Why "Complete the year" is not offered yet: the service's own rule, on what the page has.
        "completion_problem": selectors.completion_problem(group, page.workshops, today=today),
        "can_update": (
            permissions.may_run_work_group(request.user, group) and not group.is_completed
        ),
        "can_manage": can_manage,
        "place_form": place_form,
    }
    return render(request, "workgroups/work_group_detail.html", context, status=status)


@login_required
@require_GET
def work_group_detail(request, pk):
    return _render_group(request, _overseen_group(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def work_group_edit(request, pk):
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
    return _group_form_page(
        request,
        WorkGroupForm(request.POST or None, hub=group.hub, years=years, initial=initial),
        act=lambda data: services.work_group_update(
            work_group=group, acting_user=request.user, **_group_fields(data, group.academic_year)
        ),
        success=lambda saved: f"{saved.code} is saved.",
        hub=group.hub,
        group=group,
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_group_complete(request, pk):
    group = _managed_group(request, pk)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.work_group_complete(work_group=group, acting_user=request.user),
            success=f"{group.code} is completed: its schools have completed the phase.",
            redirect_to=_group_url(group.pk),
        )
    context = {"group": group, "problem": selectors.work_group_completion_problem(group)}
    return render(request, "workgroups/work_group_complete.html", context)


@login_required
@require_POST
def participation_create(request, pk):
    group = _managed_group(request, pk)
    return form_page(
        request,
        PlaceSchoolForm(request.POST, hub=group.hub),
        act=lambda data: services.participation_place(
            work_group=group, school=data["school"], acting_user=request.user
        ),
        success=lambda placed: f"{placed.school.name} is placed: now name its lead participants.",
        redirect_to=lambda placed: _participation_url(placed.pk),
        page=lambda form: _render_group(request, group, place_form=form, status=400),
    )


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
            participation=participation,
            initial={
                "grant_status": participation.grant_status,
                "grant_claimed_on": participation.grant_claimed_on,
                "grant_paid_on": participation.grant_paid_on,
            },
        ),
        "withdraw_form": WithdrawForm(participation=participation),
    }
    forms.update(bound or {})
    return forms


def _render_participation(request, participation, bound=None, status=200):
    group = participation.work_group
    context = {
        "participation": participation,
        "group": group,
        "can_run": permissions.may_run_work_group(request.user, group),
        "can_manage": permissions.may_manage_work_groups(request.user, group.hub_id),
        "changes": participation.history.select_related("history_user").order_by("-history_date")[
            :10
        ],
        **_participation_forms(participation, bound),
    }
    return render(request, "workgroups/participation_detail.html", context, status=status)


@login_required
@require_GET
def participation_detail(request, pk):
    return _render_participation(request, _overseen_participation(request, pk))


def _participation_url(pk) -> str:
    return reverse("workgroups:participation-detail", args=[pk])


def _participation_for(request, pk, may):
    participation = _overseen_participation(request, pk)
    require(may(request.user, participation.work_group))
    return participation


def _may_manage_group(user, work_group) -> bool:
    return permissions.may_manage_work_groups(user, work_group.hub_id)


def _withdraw(*, withdrawn_reason, **given):
    return services.participation_withdraw(reason=withdrawn_reason, **given)


# The participation page's forms by their names on the page, each posted to its own address:
# who may send it, the form, and the service that acts on its fields.
_PARTICIPATION_FORMS = {
    "leads_form": (
        permissions.may_run_work_group,
        ParticipationForm,
        services.participation_update,
    ),
    "grant_form": (_may_manage_group, GrantForm, services.participation_grant_update),
    "withdraw_form": (_may_manage_group, WithdrawForm, _withdraw),
}


def _participation_post(request, pk, name: str, success: str, *, to_group=False):
    """One of the participation page's forms, posted: a refusal shows the page again, that form
    with its errors; done, the `success` message (about `{school}`) and back to the
    participation (or to its group)."""
    may, form_class, service = _PARTICIPATION_FORMS[name]
    participation = _participation_for(request, pk, may)
    return form_page(
        request,
        form_class(request.POST, participation=participation),
        act=lambda data: service(participation=participation, acting_user=request.user, **data),
        success=success.format(school=participation.school.name),
        redirect_to=_group_url(participation.work_group_id)
        if to_group
        else _participation_url(participation.pk),
        page=lambda form: _render_participation(request, participation, {name: form}, 400),
    )


@login_required
@require_POST
def participation_edit(request, pk):
    return _participation_post(request, pk, "leads_form", "{school}'s details are saved.")


@login_required
@require_POST
def participation_grant(request, pk):
    return _participation_post(request, pk, "grant_form", "{school}'s grant is saved.")


@login_required
@require_POST
def participation_withdraw(request, pk):
    return _participation_post(
        request, pk, "withdraw_form", "{school} has withdrawn.", to_group=True
    )


# Workshops and attendance ------------------------------------------------------------------------


def _overseen_workshop(request, pk):
    return one_or_404(
        Workshop.objects.filter(
            work_group__in=WorkGroup.objects.overseen_by(request.user)
        ).select_related("work_group__hub", "work_group__lead__user", "host_school", "half_term"),
        pk=pk,
    )


def _run_workshop(request, pk):
    workshop = _overseen_workshop(request, pk)
    require(permissions.may_run_work_group(request.user, workshop.work_group))
    return workshop


def _render_workshop(request, workshop, invite_form=None, status=200):
    can_run = permissions.may_run_work_group(request.user, workshop.work_group)
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
def workshop_detail(request, pk):
    return _render_workshop(request, _overseen_workshop(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def workshop_schedule(request, pk):
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
    return form_page(
        request,
        WorkshopForm(request.POST or None, hosts=hosts, initial=initial),
        act=lambda data: services.workshop_schedule(
            workshop=workshop, acting_user=request.user, **data
        ),
        success=_scheduled_message,
        redirect_to=_workshop_url(workshop.pk),
        page="workgroups/workshop_form.html",
        context={
            "workshop": workshop,
            "group": group,
            # Who a new day, time or host is e-mailed to, as the form says before saving.
            "attendees": selectors.workshop_attendees(workshop),
        },
    )


def _scheduled_message(workshop) -> str:
    told = workshop.people_told
    if not told:
        return f"Workshop {workshop.number} is saved. Its day, time and host are as they were."
    people = "person was" if told == 1 else "people were"
    return f"Workshop {workshop.number} is scheduled: {told} {people} told by e-mail."


def _workshop_url(pk) -> str:
    return reverse("workgroups:workshop-detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def attendance_mark(request, pk):
    """Mark one attendee; htmx swaps just their row, a plain post comes back to the page.

    A GET (a reminder's "take attendance" link) opens the workshop's attendance list.
    """
    workshop = _run_workshop(request, pk)
    url = _workshop_url(workshop.pk)
    if request.method == "GET":
        return redirect(f"{url}#attendance")
    form = AttendanceForm(request.POST)
    contact = _expected(workshop, form.cleaned_data["contact"]) if form.is_valid() else None
    return button_action(
        request,
        lambda data: services.attendance_mark(
            workshop=workshop, contact=contact, status=data["status"], acting_user=request.user
        ),
        form=form,
        redirect_to=f"{url}#attendee-{contact.pk}" if contact else url,
        partial=lambda form, done: _attendance_row(request, workshop, contact, form),
    )


def _expected(workshop, contact_id) -> SchoolContact:
    """One of the people expected at the workshop, else the 404 of a missing one: nobody else
    is looked up, so an answer never names a contact of another school or hub."""
    for row in selectors.workshop_attendees(workshop):
        if row.contact.pk == contact_id:
            return row.contact
    raise Http404


def _attendance_row(request, workshop, contact, form):
    """The attendee's row as it now stands, saying why a mark was refused; None if the contact
    has no row on this workshop (the plain answer is given instead)."""
    if contact is None:
        return None
    workshop.refresh_from_db(fields=["attendance_recorded_at"])
    row = next(
        (r for r in selectors.workshop_attendees(workshop) if r.contact.pk == contact.pk), None
    )
    if row is None:
        return None
    context = {
        "rows": [row],
        "mark_url": reverse("workgroups:attendance-mark", args=[workshop.pk]),
        "can_mark": True,
        "error": " ".join(error_messages(form)) or None,
        "statuses": ATTENDANCE_MARKS,
    }
    return render(request, "workgroups/_attendance_rows.html", context)


attendance_rest_present = button_view(
    _run_workshop,
    lambda workshop, user: services.attendance_mark_rest_present(
        workshop=workshop, acting_user=user
    ),
    success=lambda marked: f"{marked} more marked present.",
    redirect_to=lambda workshop: _workshop_url(workshop.pk),
)


@login_required
@require_POST
def workshop_invite(request, pk):
    workshop = _run_workshop(request, pk)
    attendees = selectors.workshop_attendees(workshop)
    return form_page(
        request,
        InviteForm(request.POST, contacts=selectors.invitable_contacts(workshop, attendees)),
        act=lambda data: services.workshop_invite(
            workshop=workshop, contact=data["contact"], acting_user=request.user
        ),
        success=lambda invited: f"{invited.contact.name} is invited to workshop {workshop.number}.",
        redirect_to=_workshop_url(workshop.pk),
        page=lambda form: _render_workshop(request, workshop, invite_form=form, status=400),
    )


@login_required
@require_GET
def workshop_ics(request, pk):
    """The "add to calendar" file: for everyone who may see the workshop, contacts included."""
    workshop = get_object_or_404(
        Workshop.objects.visible_to(request.user)
        .filter(status=Workshop.Status.SCHEDULED, date__isnull=False)
        .select_related("work_group", "host_school"),
        pk=pk,
    )
    filename = f"{workshop.work_group.code}-{workshop.number}.ics"
    return _ics_response(calendars.workshop_ics(workshop), f'attachment; filename="{filename}"')


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
    require(permissions.may_run_work_group(request.user, visit.participation.work_group))
    return visit


# A visit's two pages, by their titles: the form, the service, and what it says of the visit done.
_VISIT_FORMS = {
    "Schedule": (VisitScheduleForm, services.support_visit_schedule, "is scheduled"),
    "Record": (VisitRecordForm, services.support_visit_record, "is recorded"),
}


def _visit_initial(visit, form_class) -> dict:
    """The form's fields as the visit has them; a visit is recorded on its planned day unless
    another day is known."""
    initial = {name: getattr(visit, name) for name in form_class.base_fields}
    if "visited_on" in initial:
        initial["visited_on"] = visit.visited_on or visit.scheduled_for
    return initial


def _visit_form_page(request, pk, title: str):
    form_class, service, done = _VISIT_FORMS[title]
    visit = _run_visit(request, pk)
    term, school = visit.get_term_display().lower(), visit.participation.school.name
    return form_page(
        request,
        form_class(request.POST or None, initial=_visit_initial(visit, form_class)),
        act=lambda data: service(visit=visit, acting_user=request.user, **data),
        success=f"The {term} visit to {school} {done}.",
        redirect_to=_group_url(visit.participation.work_group_id),
        page="workgroups/visit_form.html",
        context={"visit": visit, "group": visit.participation.work_group, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule(request, pk):
    return _visit_form_page(request, pk, "Schedule")


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request, pk):
    return _visit_form_page(request, pk, "Record")


# Specialist's home and the school contact's page -------------------------------------------------


@login_required
@require_GET
def my_work_groups(request):
    roles = roles_for(request.user)
    if not roles.is_hub_staff:
        raise Http404
    home = selectors.specialist_home(user=request.user, today=_today())
    hub = Hub.objects.filter(pk__in=roles.hub_ids).order_by("name").first()
    return render(request, "workgroups/specialist_home.html", {"home": home, "hub": hub})


@login_required
@require_GET
def my_participation(request):
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


def _calendar_page(request, *, feed, made=None):
    context = {"feed": feed}
    if made is not None:
        path = reverse("workgroups:calendar-feed", args=[made.token])
        context.update(new_address=request.build_absolute_uri(path), replaced=made.replaced)
    return render(request, "workgroups/calendar.html", context)


@login_required
@require_GET
def calendar(request):
    """Whether the person has an address and since when; never the address itself."""
    feed = CalendarFeed.objects.filter(user=request.user).only("created_at").first()
    return _calendar_page(request, feed=feed)


@never_cache
@login_required
@require_POST
def calendar_reset(request):
    """A new address, shown on this answer and never again.

    Unlike our other buttons this answers with the page, not a message and a redirect: to be
    shown after a redirect the address would have to be kept somewhere, and the session lives in
    the database too. The service refuses nothing with a ValidationError, so no form is needed.
    """
    made = services.calendar_feed_reset(user=request.user, acting_user=request.user)
    return _calendar_page(request, feed=made.feed, made=made)


@never_cache
@require_GET
def calendar_feed(request, token):
    """The private feed: the secret in the address is the only key, so no sign-in."""
    feed = get_object_or_404(
        CalendarFeed.objects.for_token(token).select_related("user"), user__is_active=True
    )
    now = timezone.now()
    if feed.last_used_at is None or feed.last_used_at.date() < now.date():
        # Noted once a day at most (calendar apps fetch hourly): the retention schedule deletes
        # an address no calendar has fetched for a year.
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    workshops, visits = selectors.calendar_entries(feed.user)
    content = calendars.feed_ics(f"hubportal: {feed.user.get_full_name()}", workshops, visits)
    return _ics_response(content, 'inline; filename="hubportal.ics"')
