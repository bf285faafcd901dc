import re

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.models import Invitation
from core.access import require
from core.links import url_for_each
from core.paging import KeyedPaginator
from core.roles import roles_for
from core.views import button_action, form_page

from . import permissions, selectors, services
from .forms import (
    HubAreaForm,
    HubStaffInviteForm,
    RegisterImportForm,
    SchoolHubForm,
    SchoolSearchForm,
)
from .gias import summary_lines
from .models import Hub, HubStaff, RegisterImport, School, SchoolContact
from .selectors import SchoolSearch, school_next_steps, school_pathway

RESULTS_PER_PAGE = 25
AUTOCOMPLETE_OPTIONS = 10
AUTOCOMPLETE_MIN_LENGTH = 2
SCHOOL_STATUSES = dict(School.Status.choices)


def _hub_for(request, slug) -> Hub:
    return get_object_or_404(Hub.objects.visible_to(request.user), slug=slug)


# Hubs --------------------------------------------------------------------------------------------


@login_required
def hub_list(request):
    require(permissions.may_list_hubs(request.user))
    hubs = Hub.objects.visible_to(request.user).annotate(
        local_authority_count=Count("local_authorities", distinct=True)
    )
    return render(request, "schools/hub_list.html", {"hubs": hubs})


@login_required
def my_hub(request):
    """A hub staff member's start page: their hub (the first, for someone in two hubs)."""
    hub = Hub.objects.visible_to(request.user).filter(staff__user=request.user).first()
    if hub is None:
        raise Http404
    return redirect("schools:hub-detail", slug=hub.slug)


@login_required
def hub_detail(request, slug):
    hub = _hub_for(request, slug)
    can_manage_staff = permissions.may_manage_hub_staff(request.user, hub)
    context = {
        "hub": hub,
        "local_authorities": hub.local_authorities.all(),
        "staff": hub.staff.select_related("user", "school"),
        "invited": _waiting_invitations(hub) if can_manage_staff else [],
        "school_count": School.objects.in_hub(hub).primary().open().count(),
        "can_manage_staff": can_manage_staff,
        "can_set_area": permissions.may_set_hub_area(request.user, hub),
    }
    return render(request, "schools/hub_detail.html", context)


def _waiting_invitations(hub) -> list[dict]:
    """People with an account invited to a role at the hub who have not yet accepted it."""
    offers = Invitation.objects.offers(services.HUB_STAFF_GRANT, hub=hub.pk).select_related("user")
    return [
        {
            "name": invitation.user.get_full_name(),
            "role": HubStaff.Role(invitation.grant["role"]).label,
            "expires_at": invitation.expires_at,
        }
        for invitation in offers.order_by("created_at")
    ]


def _hub_url(hub) -> str:
    return reverse("schools:hub-detail", args=[hub.slug])


def _hub_for_staff(request, slug) -> Hub:
    """The hub whose staff pages these are: only for those who may manage its staff."""
    hub = _hub_for(request, slug)
    require(permissions.may_manage_hub_staff(request.user, hub))
    return hub


def _invited(invited) -> str:
    invitation = invited.invitation
    role = services.hub_staff_describe(invitation.grant)
    if invited.waiting:
        return (
            f"{invitation.user.email} already has an account: they have been asked to accept "
            f"the role of {role}, and get it when they do."
        )
    return f"{invitation.user.email} is now {role}; an invitation e-mail is on its way."


@login_required
@require_http_methods(["GET", "POST"])
def hubstaff_invite(request, slug):
    hub = _hub_for_staff(request, slug)
    return form_page(
        request,
        HubStaffInviteForm(request.POST or None),
        act=lambda data: services.hub_staff_invite(hub=hub, acting_user=request.user, **data),
        success=_invited,
        redirect_to=_hub_url(hub),
        page="schools/hubstaff_invite.html",
        context={"hub": hub},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hubstaff_remove(request, slug, pk):
    hub = _hub_for_staff(request, slug)
    staff = get_object_or_404(hub.staff.select_related("user"), pk=pk)
    if request.method == "POST":
        return button_action(
            request,
            lambda: services.hub_staff_remove(staff=staff, acting_user=request.user),
            success=f"{staff.user.get_full_name()} is no longer {staff.get_role_display()}.",
            redirect_to=_hub_url(hub),
        )
    return render(request, "schools/hubstaff_remove.html", {"hub": hub, "member": staff})


def _area_saved(hub, taken) -> str:
    message = f"{hub.name}'s area is saved."
    if taken:
        message += " Moved from another hub: " + ", ".join(la.name for la in taken) + "."
    return message


@login_required
@require_http_methods(["GET", "POST"])
def hub_area(request, slug):
    hub = _hub_for(request, slug)
    require(permissions.may_set_hub_area(request.user, hub))
    return form_page(
        request,
        HubAreaForm(
            request.POST or None,
            hub=hub,
            initial={"local_authorities": hub.local_authorities.all()},
        ),
        act=lambda data: services.hub_area_set(hub=hub, acting_user=request.user, **data),
        success=lambda taken: _area_saved(hub, taken),
        redirect_to=_hub_url(hub),
        page="schools/hub_area.html",
        context={"hub": hub},
    )


# Schools -----------------------------------------------------------------------------------------


@login_required
def my_school(request):
    """A school contact's start page: their school (the first, for someone at two)."""
    roles = roles_for(request.user)
    if not roles.contact_school_ids:
        raise Http404
    school = School.objects.filter(pk__in=roles.contact_school_ids).order_by("name").first()
    return redirect("schools:school-detail", urn=school.urn)


@login_required
def school_detail(request, urn):
    school = get_object_or_404(
        School.objects.visible_to(request.user).select_related(
            "local_authority__hub", "hub_override"
        ),
        urn=urn,
    )
    show_contacts = permissions.may_see_school_contacts(request.user)
    contacts = (
        SchoolContact.objects.visible_to(request.user).filter(school=school).select_related("user")
        if show_contacts
        else SchoolContact.objects.none()
    )
    can_set_hub = permissions.may_set_school_hub(request.user, school)
    pathway = [
        entry
        if permissions.may_see_hub_names(request.user, school, entry.hub_id)
        else entry.without_names()
        for entry in school_pathway(school, request.user)
    ]
    context = {
        "school": school,
        "show_contacts": show_contacts,
        "contacts": contacts,
        "pathway": pathway,
        "next_steps": school_next_steps(school, request.user),
        "hub_form": SchoolHubForm(initial={"hub": school.hub_override}) if can_set_hub else None,
    }
    return render(request, "schools/school_detail.html", context)


@login_required
@require_POST
def school_hub_set(request, urn):
    school = get_object_or_404(
        School.objects.visible_to(request.user).select_related("local_authority"), urn=urn
    )
    return button_action(
        request,
        lambda data: services.school_hub_set(
            school=school, hub=data["hub"], acting_user=request.user
        ),
        form=SchoolHubForm(request.POST),
        success=lambda school: f"{school.name} now works with {school.hub or 'no hub'}.",
        redirect_to=reverse("schools:school-detail", args=[school.urn]),
    )


@login_required
def school_search(request):
    require(permissions.may_search_register(request.user))
    form = SchoolSearchForm(request.GET or None)
    search = form.search() if request.GET else SchoolSearch()
    page = None
    if not search.is_empty:
        schools = selectors.school_search(search, base=School.objects.visible_to(request.user))
        page = KeyedPaginator(
            schools, RESULTS_PER_PAGE, rows=selectors.school_search_rows
        ).get_page(request.GET.get("page"))
        school_url = url_for_each("schools:school-detail")
        for school in page:
            school["url"] = school_url(school["urn"])
            school["status"] = SCHOOL_STATUSES.get(school["status"], school["status"])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "search": search,
        "page": page,
        "query_string": query_string.urlencode(),
        "autocomplete": {
            "mode": "navigate",
            "input_id": "school-q",
            "query_name": "q",
            "query_value": search.query,
            "describedby": "school-q-hint",
            "url": reverse("schools:school-autocomplete"),
        },
    }
    return render(request, "schools/school_search.html", context)


def render_school_options(request, schools, *, refusal=None):
    """The autocomplete's listbox options for ?q= (or the field named by ?field=) over `schools`.

    Other apps reuse this with their own queryset (the expression-of-interest form: schools in
    England) behind their own URL and access rule; `refusal(school)`, when given, says why a
    school cannot be chosen there and what to do instead ("" when it can), shown on its option.
    """
    field = request.GET.get("field", "q")
    query = (request.GET.get(field) or request.GET.get("q") or "").strip()[:100]
    listbox_id = re.sub(r"[^A-Za-z0-9_-]", "", request.GET.get("listbox", ""))[:60] or "school"
    if len(query) < AUTOCOMPLETE_MIN_LENGTH:
        query, options = "", []
    else:
        options = list(
            selectors.school_search(SchoolSearch(query=query), base=schools)[:AUTOCOMPLETE_OPTIONS]
        )
    if refusal is not None:
        for school in options:
            school.refusal = refusal(school)
    context = {"schools": options, "query": query, "listbox_id": listbox_id}
    return render(request, "schools/_school_options.html", context)


@login_required
def school_autocomplete(request):
    require(permissions.may_search_register(request.user))
    return render_school_options(request, School.objects.visible_to(request.user))


# The national register ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register_import_list(request):
    """National staff load the register here; a hub lead reads what each load changed in
    their area, and is told who can run one."""
    require(permissions.may_read_register_imports(request.user))
    may_import = permissions.may_import_register(request.user)
    imports = RegisterImport.objects.visible_to(request.user).select_related("created_by")[:20]
    context = {
        "imports": imports,
        "may_import": may_import,
        "show_runner": permissions.may_see_who_ran_imports(request.user),
    }
    if not may_import and request.method == "GET":
        return render(request, "schools/registerimport_list.html", context)
    # A POST goes to the service, which refuses anyone but national staff.
    return form_page(
        request,
        RegisterImportForm(request.POST or None, request.FILES or None),
        act=lambda data: services.register_import_create(acting_user=request.user, **data),
        redirect_to=lambda done: reverse("schools:register-import-detail", args=[done.pk]),
        page="schools/registerimport_list.html",
        context=context,
    )


CHANGE_KINDS = ("new", "closed", "renamed", "moved")


def _changes_in(changes: dict, hub_ids) -> tuple[dict, dict]:
    """Of an import's change report, the entries (and their counts) that concern the hubs
    given: schools now in one of their areas or moved out of one. None: every entry."""
    kept = {}
    for kind in CHANGE_KINDS:
        entries = changes.get(kind, [])
        if hub_ids is not None:
            entries = [
                e for e in entries if e.get("hub_id") in hub_ids or e.get("old_hub_id") in hub_ids
            ]
        kept[kind] = entries
    if hub_ids is None:
        return kept, changes.get("counts", {})
    return kept, {kind: len(entries) for kind, entries in kept.items()}


@login_required
def register_import_detail(request, pk):
    register_import = get_object_or_404(
        RegisterImport.objects.visible_to(request.user).select_related("created_by"), pk=pk
    )
    roles = roles_for(request.user)
    # National staff read the whole report; a hub lead only the part about their own area,
    # and not who ran it.
    national = permissions.may_import_register(request.user)
    changes, counts = _changes_in(
        register_import.changes, None if national else roles.hub_lead_hub_ids
    )
    context = {
        "register_import": register_import,
        "summary": (
            summary_lines(register_import.summary) if national and register_import.summary else []
        ),
        "counts": counts,
        "changes": changes,
        "national": national,
        "show_runner": permissions.may_see_who_ran_imports(request.user),
    }
    if request.htmx:
        # Polled while it runs; once done, the whole page reloads to show the report.
        if register_import.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "schools/_registerimport_status.html", context)
    return render(request, "schools/registerimport_detail.html", context)
