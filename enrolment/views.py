"""Public catalogue and expression of interest pages; the hub lead's review queue."""

import secrets
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import require
from core.formatting import academic_year_name
from core.forms import error_messages
from core.roles import roles_for
from core.views import button_action, form_page
from schools.models import Hub, School
from schools.views import render_school_options
from workgroups.models import WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.services import academic_year_get_or_create

from . import grouping, permissions, proximity, ratelimit, selectors, services
from .eligibility import COMMITMENTS, Outcome
from .forms import (
    BulkPlaceForm,
    GroupAcceptForm,
    GroupingForm,
    InterestForm,
    NoteForm,
    PlaceForm,
    QueueFilter,
    SuggestedPlaceForm,
    register_refusal,
)
from .models import ExpressionOfInterest
from .selectors import coming_start_year

DRAFTS = "enrolment_drafts"
SENT = "enrolment_sent"
REFERENCES = "enrolment_references"
MAX_DRAFTS = 5
QUEUE_PAGE_SIZE = 50


# The public catalogue ---------------------------------------------------------------------------


@require_GET
def catalogue_index(request):
    start_year = coming_start_year()
    hubs = selectors.hubs_with_open_groups(start_year=start_year)
    return render(
        request,
        "enrolment/catalogue_index.html",
        {"hubs": hubs, "year": academic_year_name(start_year)},
    )


@require_GET
def hub_catalogue(request, slug):
    hub = get_object_or_404(Hub, slug=slug)
    start_year = coming_start_year()
    # `urn`: a school asking how far each group's hosts are from it.
    school, urn_problem = None, ""
    if "urn" in request.GET:
        school, urn_problem = proximity.school_from_query(request.GET["urn"])
    offers = selectors.hub_catalogue(hub=hub, start_year=start_year)
    context = {
        "hub": hub,
        "year": academic_year_name(start_year),
        "offers": selectors.with_distances(offers, school) if school else offers,
        "distance_school": school,
        "urn_value": request.GET.get("urn", "")[:20],
        "urn_problem": urn_problem,
    }
    return render(request, "enrolment/hub_catalogue.html", context)


@require_GET
def phase_choose(request, slug):
    """The general route: choose a phase for next year, whether or not a group is open yet."""
    hub = get_object_or_404(Hub, slug=slug)
    phase = request.GET.get("phase", "")
    if phase in Phase.values:
        return redirect("enrolment:eoi-create", slug=hub.slug, phase=phase)
    context = {
        "hub": hub,
        "year": academic_year_name(coming_start_year()),
        "phases": [PHASES[p] for p in Phase],
        # The form carries "asked", so sending it with no phase ticked is told apart.
        "error": "Choose a phase." if "asked" in request.GET else "",
    }
    return render(request, "enrolment/phase_choose.html", context)


@require_GET
def school_lookup(request):
    """The form's school autocomplete for anyone: schools in England, name, URN, town, postcode
    only. A school that cannot take part (closed, not primary) is offered with the reason and
    what to do instead, said as soon as it is chosen; `hub` (a slug) is the hub to write to."""
    if not ratelimit.lookup_allowed(address=ratelimit.client_address(request)):
        return render(request, "enrolment/_school_lookup_limited.html", status=429)
    hub = Hub.objects.filter(slug=request.GET.get("hub", "")).first()
    return render_school_options(
        request,
        selectors.lookup_schools(),
        refusal=lambda school: register_refusal(school, hub=hub),
    )


# The expression of interest ----------------------------------------------------------------------


def _drafts(request) -> dict:
    return request.session.get(DRAFTS, {})


def _keep_draft(request, token, hub, phase, school) -> str:
    """Keep the answers as sent, with the school found, for the check page; returns the token."""
    data = {k: v for k, v in request.POST.lists() if k not in ("csrfmiddlewaretoken", "draft")}
    data["urn"] = [str(school.urn)]
    data["school_query"] = [f"{school.name} ({school.urn})"]
    data.pop("school_choice", None)
    drafts = _drafts(request)
    drafts[token] = {"hub": hub.slug, "phase": phase, "data": data}
    # Keep the session small: only the latest few unfinished forms.
    for old in list(drafts)[:-MAX_DRAFTS]:
        del drafts[old]
    request.session[DRAFTS] = drafts
    return token


def _form_for(hub, phase, start_year, data=None, initial=None):
    groups = selectors.open_groups_for(hub=hub, phase=phase, start_year=start_year)
    return InterestForm(data, initial=initial, phase=phase, work_groups=groups)


def _autocomplete_widget(form, hub):
    field = form["school_query"]
    return {
        "mode": "fill",
        "input_id": field.id_for_label,
        "query_name": field.html_name,
        "query_value": field.value() or "",
        "name": form["urn"].html_name,
        "value": form["urn"].value() or "",
        "describedby": f"{field.id_for_label}_helptext"
        + (f" {field.id_for_label}_error" if field.errors else ""),
        # The hub whose form this is: a school that cannot take part is told to write to it.
        "url": f"{reverse('enrolment:school-lookup')}?{urlencode({'hub': hub.slug})}",
        "attrs": {"required": True},
    }


@require_http_methods(["GET", "POST"])
def eoi_create(request, slug, phase):
    """The form; a valid one is kept in the session and shown back on the check page."""
    hub = get_object_or_404(Hub, slug=slug)
    if phase not in Phase.values:
        raise Http404
    start_year = coming_start_year()
    # `urn`: the school chosen already (from the catalogue), whose distances the page shows.
    chosen, urn_problem = None, ""
    if request.method == "GET" and "urn" in request.GET:
        chosen, urn_problem = proximity.school_from_query(request.GET["urn"])
    token = request.POST.get("draft") or request.GET.get("draft") or ""
    draft = _drafts(request).get(token)
    if draft is None or draft["hub"] != hub.slug or draft["phase"] != phase:
        token, draft = "", None
    if request.method == "POST":
        form = _form_for(hub, phase, start_year, data=request.POST)
    else:
        initial = {}
        if draft:
            initial = {k: v[0] if len(v) == 1 else v for k, v in draft["data"].items()}
        elif request.GET.get("group"):
            initial = {"work_group": request.GET["group"]}
        if chosen and not draft:
            initial |= proximity.school_initial(chosen)
        form = _form_for(hub, phase, start_year, initial=initial)
    return form_page(
        request,
        form,
        act=lambda data: _keep_draft(
            request, token or secrets.token_urlsafe(12), hub, phase, data["school"]
        ),
        redirect_to=lambda token: reverse("enrolment:eoi-check", args=[token]),
        page="enrolment/eoi_form.html",
        context={
            "hub": hub,
            "facts": PHASES[phase],
            "year": academic_year_name(start_year),
            "draft": token,
            "autocomplete": _autocomplete_widget(form, hub),
            **_distances(form, chosen or _draft_school(draft), urn_problem),
        },
    )


def _draft_school(draft):
    if not draft:
        return None
    school, _ = proximity.school_from_query((draft["data"].get("urn") or [""])[0])
    return school


def _distances(form, school, urn_problem) -> dict:
    """How far each of the form's groups is from the school, once the school is known: chosen
    before (the query string, the answers kept), or found in the answers sent."""
    if form.is_bound:
        form.is_valid()
        school = form.cleaned_data.get("school") or school
    return {
        "distance_school": school,
        "urn_problem": urn_problem,
        "distances": proximity.group_distances(form.work_groups.values(), school) if school else [],
    }


def _remember_reference(request, reference, created):
    references = request.session.get(REFERENCES, {})
    references[reference] = created
    request.session[REFERENCES] = references


@require_http_methods(["GET", "POST"])
def eoi_check(request, token):
    """Check your answers, then send: the one step that writes."""
    sent = request.session.get(SENT, {})
    if token in sent:
        # A second click on Send, or Back and Send again: the first one counted.
        return redirect("enrolment:eoi-sent", reference=sent[token])
    draft = _drafts(request).get(token)
    if draft is None:
        raise Http404
    hub = get_object_or_404(Hub, slug=draft["hub"])
    start_year = coming_start_year()
    form = _form_for(hub, draft["phase"], start_year, data=_as_querydict(draft["data"]))
    # The Send button: it sends only answers that pass the form's checks; a refusal lands on it.
    send = forms.Form(request.POST if form.is_valid() else None)

    def send_answers(_):
        submission = form.submission()
        # A Send the portal already has (another tab, a second click) is shown its reference,
        # and spends none of the limits.
        sent_before = selectors.live_interest(
            school=submission["school"], phase=submission["phase"], start_year=start_year
        )
        allowed = sent_before is not None or ratelimit.submission_allowed(
            address=ratelimit.client_address(request),
            email=submission["submitter_email"],
            school=str(submission["school"].urn),
        )
        if not allowed:
            raise ValidationError(
                "Too many expressions of interest have been sent from here or for this e-mail "
                "address in the last hour. Your answers are kept: try again later, or write to "
                f"{hub.contact_email or 'the hub'}.",
                code="rate_limited",
            )
        eoi, created = services.eoi_submit(
            hub=hub, start_year=start_year, acting_user=request.user, **submission
        )
        drafts = _drafts(request)
        drafts.pop(token, None)
        request.session[DRAFTS] = drafts
        request.session[SENT] = {**sent, token: eoi.reference}
        _remember_reference(request, eoi.reference, created)
        return eoi

    return form_page(
        request,
        send,
        act=send_answers,
        redirect_to=lambda eoi: reverse("enrolment:eoi-sent", args=[eoi.reference]),
        page=lambda send: _check_page(request, hub, start_year, draft, token, form, send),
    )


def _check_page(request, hub, start_year, draft, token, form, send):
    """The answers to check, with the reason sending them was refused, if it was."""
    refusal = " ".join(send.non_field_errors())
    if send.has_error(NON_FIELD_ERRORS, code="rate_limited"):
        status = 429
    else:
        status = 409 if refusal else 200
    change_url = reverse("enrolment:eoi-create", args=[hub.slug, draft["phase"]])
    context = {
        "hub": hub,
        "facts": PHASES[draft["phase"]],
        "year": academic_year_name(start_year),
        "form": form,
        "rows": form.summary_rows() if form.is_valid() else [],
        "change_url": f"{change_url}?draft={token}",
        "token": token,
        "refusal": refusal,
        # How far each group open for the phase is from the school chosen.
        **(_distances(form, None, "") if form.is_valid() else {}),
    }
    return render(request, "enrolment/eoi_check.html", context, status=status)


def _as_querydict(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


@require_GET
def eoi_sent(request, reference):
    """The acknowledgement: shown only in the browser that sent (or re-sent) it. What happens
    next follows where the expression of interest now is (placed, waiting, declined...)."""
    references = request.session.get(REFERENCES, {})
    if reference not in references:
        raise Http404
    eoi = get_object_or_404(
        ExpressionOfInterest.objects.select_related(
            "school", "hub", "academic_year", "participation__work_group"
        ),
        reference=reference,
    )
    context = {"eoi": eoi, "created": references[reference]}
    return render(request, "enrolment/eoi_sent.html", context)


# The hub lead's review ---------------------------------------------------------------------------


def _reviewer_roles(request, *, placing: bool = False):
    """The roles of a person who may see the review queue (hub leads and national staff) or,
    `placing`, place schools from it (hub leads); anyone else finds no such page."""
    may = permissions.may_place_interests if placing else permissions.may_review_interest
    require(may(request.user))
    return roles_for(request.user)


@login_required
@require_GET
def eoi_list(request):
    roles = _reviewer_roles(request)
    queue = ExpressionOfInterest.objects.visible_to(request.user)
    filters = QueueFilter(
        request.GET or None, queryset=queue, years=selectors.review_queue_years(queue)
    )
    valid = not filters.is_bound or filters.form.is_valid()
    # A filter the queue cannot honour (a year it does not know) lists nothing and says why,
    # rather than being dropped and listing everything.
    matching = filters.qs if valid else queue.none()
    page = Paginator(matching, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    start_year = None
    if filters.is_bound and valid:
        start_year = filters.form.cleaned_data.get("academic_year__start_year")
    query = request.GET.copy()
    query.pop("page", None)
    query_string = query.urlencode()
    rows = selectors.review_queue_rows(page.object_list)
    # The nearest group with a place left, for each waiting school on the page.
    suggestions = proximity.placement_suggestions(page.object_list)
    for row in rows:
        ranked = suggestions.get(int(row["pk"]))
        if ranked is None:
            row["suggestion"] = ""
        else:
            row["suggestion"] = ranked[0].text if ranked else "No group with a place left"
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "groups": selectors.bulk_placement_options(roles.hub_lead_hub_ids, start_year=start_year)
        if roles.is_hub_lead
        else [],
        "can_place": permissions.may_place_interests(request.user),
        "query_string": query_string,
        "filtered_by": _filtered_by(filters) if filters.is_bound and valid else "",
        "filter_refused": not valid,
    }
    return render(request, "enrolment/eoi_list.html", context)


def _filtered_by(filters) -> str:
    """The filters in force, in words: "2027/28, Development, Waiting for review"."""
    form = filters.form
    words = []
    for name in ("academic_year__start_year", "phase", "status", "outcome"):
        value = form.cleaned_data.get(name)
        if value not in (None, ""):
            labels = {str(key): label for key, label in form.fields[name].choices}
            words.append(str(labels.get(str(value), value)))
    return ", ".join(words)


def _eoi_for(request, reference) -> ExpressionOfInterest:
    return get_object_or_404(
        ExpressionOfInterest.objects.visible_to(request.user).select_related(
            "school__local_authority__hub",
            "school__hub_override",
            "hub",
            "academic_year",
            "work_group",
            "participation__work_group",
            "decided_by",
            "overridden_by",
        ),
        reference=reference,
    )


# The note each decision takes: its label, its hint, and the message when it is missing.
NOTE_FORMS = {
    "waitlist": {"label": "Note for the school (optional)"},
    "decline": {
        "label": "Reason for declining",
        "help_text": "The school is told this reason.",
        "required_message": "Enter the reason for declining.",
    },
    "override": {
        "label": "Why the school can go ahead",
        "help_text": "Recorded with your name; the school is not sent this note.",
        "required_message": "Say why the school can go ahead.",
    },
}


def _note_form(name, data=None) -> NoteForm:
    return NoteForm(data, prefix=name, **NOTE_FORMS[name])


def _detail(request, eoi, *, failed=None, status=200):
    """The review page; `failed` is the form of a refused action, shown with its errors."""
    groups = selectors.placement_groups(eoi)
    forms = {name: _note_form(name) for name in NOTE_FORMS}
    forms["place"] = PlaceForm(groups=groups, initial={"work_group": str(eoi.work_group_id or "")})
    if failed is not None:
        forms[failed.prefix or "place"] = failed
    context = {
        "eoi": eoi,
        # Said at the top too: after a refusal the action's own form may no longer be shown.
        "problems": error_messages(failed) if failed else [],
        "can_decide": permissions.may_decide(request.user, eoi),
        "pathway": selectors.school_pathway_steps(eoi.school),
        "suggestions": proximity.placement_suggestions([eoi]).get(eoi.pk, []),
        # A suggestion can be taken at once: the school is waiting and eligible.
        "placeable": permissions.may_decide(request.user, eoi)
        and eoi.status in ExpressionOfInterest.OPEN_STATUSES
        and eoi.outcome == Outcome.ELIGIBLE,
        "events": eoi.events.select_related("actor"),
        "commitments": [(c.text, c.key in (eoi.commitments or [])) for c in COMMITMENTS[eoi.phase]],
        "unplace_problems": (
            selectors.unplace_problems(eoi)
            if eoi.status == ExpressionOfInterest.Status.PLACED
            else []
        ),
        **{f"{name}_form": form for name, form in forms.items()},
    }
    return render(request, "enrolment/eoi_detail.html", context, status=status)


@login_required
@require_GET
def eoi_detail(request, reference):
    return _detail(request, _eoi_for(request, reference))


def _decision_target(request, reference) -> ExpressionOfInterest:
    """The expression of interest a decision is about, for those who may decide on it: national
    staff read it, but get the same 404 as anyone else before their form is even read (the
    service refuses them too)."""
    eoi = _eoi_for(request, reference)
    require(permissions.may_decide(request.user, eoi))
    return eoi


def _eoi_url(eoi) -> str:
    return reverse("enrolment:eoi-detail", args=[eoi.reference])


@login_required
@require_POST
def eoi_place(request, reference):
    eoi = _decision_target(request, reference)
    form = PlaceForm(request.POST, groups=selectors.placement_groups(eoi))
    return form_page(
        request,
        form,
        act=lambda data: services.eoi_place(
            eoi=eoi, work_group=data["work_group"], acting_user=request.user
        ),
        success=lambda _: (
            f"{eoi.school.name} is placed in {form.cleaned_data['work_group'].code}; "
            "its headteacher and lead participants are invited to set up their accounts."
        ),
        redirect_to=_eoi_url(eoi),
        page=lambda form: _detail(
            request, eoi, failed=form, status=409 if form.non_field_errors() else 400
        ),
    )


# Each decision that takes a note: its service, and what the hub lead is told when it is done.
NOTE_ACTIONS = {
    "waitlist": (
        services.eoi_waitlist,
        "{school} is on the waiting list; the school has been told.",
    ),
    "decline": (
        services.eoi_decline,
        "{school}'s expression of interest is declined; the school has been told why.",
    ),
    "override": (services.eoi_override, "{school} is now eligible; you can place it."),
}


def _note_action(request, reference, name):
    eoi = _decision_target(request, reference)
    service, done = NOTE_ACTIONS[name]
    return form_page(
        request,
        _note_form(name, request.POST),
        act=lambda data: service(eoi=eoi, note=data["note"], acting_user=request.user),
        success=done.format(school=eoi.school.name),
        redirect_to=_eoi_url(eoi),
        page=lambda form: _detail(request, eoi, failed=form, status=400),
    )


def _note_view(name):
    """The view of one decision that takes a note, named after its URL (`eoi-waitlist`)."""

    @login_required
    @require_POST
    def view(request, reference):
        return _note_action(request, reference, name)

    view.__name__ = view.__qualname__ = f"eoi_{name}"
    return view


@login_required
@require_POST
def eoi_check_now(request, reference):
    """Run the eligibility check of one still waiting for it (its task was lost)."""
    eoi = _eoi_for(request, reference)
    return button_action(
        request,
        lambda: services.eoi_check(eoi_id=eoi.pk, acting_user=request.user),
        success=lambda checked: f"Checked: {checked.get_outcome_display().lower()}.",
        redirect_to=_eoi_url(eoi),
    )


@login_required
@require_POST
def eoi_unplace(request, reference):
    """Undo a placement made by mistake, while nothing has happened since."""
    eoi = _decision_target(request, reference)
    return button_action(
        request,
        lambda: services.eoi_unplace(eoi=eoi, acting_user=request.user),
        success=lambda undone: (
            f"The placement of {undone.school.name} is undone: it is "
            f"{undone.get_status_display().lower()} again, and the school has been told."
        ),
        redirect_to=_eoi_url(eoi),
    )


eoi_waitlist = _note_view("waitlist")
eoi_decline = _note_view("decline")
eoi_override = _note_view("override")


@login_required
@require_POST
def eoi_place_many(request):
    roles = _reviewer_roles(request, placing=True)
    eois = ExpressionOfInterest.objects.filter(
        hub_id__in=roles.hub_lead_hub_ids, status__in=ExpressionOfInterest.OPEN_STATUSES
    )
    form = BulkPlaceForm(
        request.POST, groups=selectors.groups_for_bulk_placement(roles.hub_lead_hub_ids), eois=eois
    )
    return button_action(
        request,
        lambda data: services.eoi_place_many(
            eois=list(data["selected"].select_related("school")),
            work_group=data["work_group"],
            acting_user=request.user,
        ),
        form=form,
        success=lambda results: _placement_messages(form.cleaned_data["work_group"], results),
        redirect_to=f"{reverse('enrolment:eoi-list')}?{request.POST.get('return_query', '')}",
    )


@login_required
@require_POST
def eoi_place_suggested(request):
    """Place each ticked school in its suggested group: the nearest with a place left."""
    roles = _reviewer_roles(request, placing=True)
    eois = ExpressionOfInterest.objects.filter(
        hub_id__in=roles.hub_lead_hub_ids, status__in=ExpressionOfInterest.OPEN_STATUSES
    )
    form = SuggestedPlaceForm(request.POST, eois=eois)
    return button_action(
        request,
        lambda data: services.eoi_place_suggested(
            eois=list(data["selected"].select_related("school", "hub", "academic_year")),
            acting_user=request.user,
        ),
        form=form,
        success=_suggested_messages,
        redirect_to=f"{reverse('enrolment:eoi-list')}?{request.POST.get('return_query', '')}",
    )


@login_required
@require_GET
def groups_suggest(request):
    """Groups suggested for a year: the phase's waiting schools gathered around hosts
    (enrolment.grouping). Nothing is kept: change the size to see others, or set groups up."""
    roles = _reviewer_roles(request, placing=True)
    hubs = list(Hub.objects.filter(pk__in=roles.hub_lead_hub_ids).order_by("name"))
    hub = next((h for h in hubs if h.slug == request.GET.get("hub")), hubs[0] if hubs else None)
    if hub is None:
        raise Http404
    coming = coming_start_year()
    form = GroupingForm(
        request.GET or None,
        years=[coming - 1, coming],
        initial={"phase": Phase.DEVELOPMENT, "year": coming, "size": WorkGroup.DEFAULT_CAPACITY},
    )
    choice = form.cleaned_data if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        choice = {"phase": Phase.DEVELOPMENT, "year": coming, "size": WorkGroup.DEFAULT_CAPACITY}
    groups, waiting = [], []
    if choice:
        waiting, candidates = grouping.grouping_places(
            hub=hub, phase=choice["phase"], start_year=choice["year"]
        )
        groups = grouping.suggest_groups(waiting, candidates, size=choice["size"])
    context = {
        "hub": hub,
        "form": form,
        "choice": choice,
        "facts": PHASES[choice["phase"]] if choice else None,
        "year_name": academic_year_name(choice["year"]) if choice else "",
        "waiting": waiting,
        "groups": groups,
        "drawing": grouping.drawing(groups),
    }
    return render(request, "enrolment/groups_suggest.html", context)


@login_required
@require_POST
def group_accept(request):
    """Set up one suggested group and place its ticked schools; back to the suggestions."""
    roles = _reviewer_roles(request, placing=True)
    hub = get_object_or_404(Hub, slug=request.POST.get("hub", ""), pk__in=roles.hub_lead_hub_ids)
    coming = coming_start_year()
    form = GroupAcceptForm(
        request.POST,
        years=[coming - 1, coming],
        eois=ExpressionOfInterest.objects.filter(
            hub=hub, status__in=ExpressionOfInterest.OPEN_STATUSES
        ),
        hosts=School.objects.in_hub(hub),
    )

    def accept(data):
        eois = [
            eoi
            for eoi in data["selected"].select_related("school", "hub", "academic_year")
            if eoi.phase == data["phase"] and eoi.academic_year.start_year == data["year"]
        ]
        return services.suggested_group_accept(
            hub=hub,
            phase=data["phase"],
            academic_year=academic_year_get_or_create(start_year=data["year"]),
            code=data["code"],
            title=data["title"],
            host=data["host"],
            eois=eois,
            size=data["size"],
            acting_user=request.user,
        )

    query = urlencode({k: request.POST.get(k, "") for k in ("hub", "phase", "year", "size")})
    return button_action(
        request,
        accept,
        form=form,
        success=lambda done: (
            [f"{done[0].code} is set up, open for expressions of interest."]
            + _placement_messages(done[0], done[1])
        ),
        redirect_to=f"{reverse('enrolment:groups-suggest')}?{query}",
    )


def _suggested_messages(results) -> list:
    """Which schools were placed where, then one error for each that was not, and why."""
    placed = [
        f"{eoi.school.name} in {group.code}" for eoi, group, problem in results if not problem
    ]
    said = [f"Placed in their suggested groups: {', '.join(placed)}."] if placed else []
    return said + [
        Message(messages.ERROR, f"{eoi.reference} ({eoi.school.name}) not placed: {problem}")
        for eoi, _, problem in results
        if problem
    ]


def _placement_messages(group, results) -> list:
    """Which schools were placed, then one error for each that was not, and why."""
    placed = [eoi.school.name for eoi, problem in results if not problem]
    said = [f"Placed in {group.code}: {', '.join(placed)}."] if placed else []
    return said + [
        Message(messages.ERROR, f"{eoi.reference} ({eoi.school.name}) not placed: {problem}")
        for eoi, problem in results
        if problem
    ]
