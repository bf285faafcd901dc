"""The hub dashboard, the year-on-year and national views, the lists behind their figures and
the exports. A hub lead reads their own hubs; national staff every hub; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from actionplans.programme import PlanStatus
from core.access import require
from core.views import form_page, one_or_404
from enrolment.eligibility import Outcome
from enrolment.models import ExpressionOfInterest
from schools.models import Hub
from workgroups.models import AcademicYear, WorkGroup
from workgroups.programme import PHASES, Phase

from . import dashboard as pages
from . import exports, lists
from .erasure import person_erase
from .figures import YEARS_SHOWN, reportable_hubs, year_choices
from .forms import (
    ErasureForm,
    NationalForm,
    ParticipationListForm,
    PersonForm,
    ReportForm,
    SchoolListForm,
)
from .headlines import (
    HEADLINE_BY_KEY,
    HEADLINES,
    cells,
    cells_with_links,
    interests_url,
    links_for,
    percent,
    sorted_by,
    url,
)
from .models import Erasure, SubjectAccessRequest
from .permissions import may_open_personal_data, may_read_national, reportable_hub_ids
from .subject_access import subject_access_download, subject_access_request
from .templatetags.reports_tags import Bar

LIST_PAGE_SIZE = 50


def _hubs(request) -> list[Hub]:
    """The hubs a person may report on; a 404 if none, or if they asked for another hub."""
    hubs = list(reportable_hubs(request.user))
    asked = request.GET.get("hub")
    if not hubs or (asked and asked not in {hub.slug for hub in hubs}):
        raise Http404
    return hubs


def _this_year(today) -> int:
    return AcademicYear.start_year_for(today)


def _invalid(request, form):
    return render(request, "reports/report_invalid.html", {"form": form}, status=400)


def _hub_and_year(request, hubs, today):
    """The hub and year of a one-hub report: the first of a person's hubs and this year unless
    asked for another. None for the form when the query string was not valid."""
    form = ReportForm(request.GET, hubs=hubs, years=year_choices(today))
    if not form.is_valid():
        return form, None, None
    return form, form.chosen_hub() or hubs[0], form.chosen_year() or _this_year(today)


# The hub dashboard -------------------------------------------------------------------------------


def _dashboard_charts(dashboard) -> dict:
    figures = dashboard.figures
    return {
        "taking_part": [
            Bar(PHASES[phase].name, figures.taking_part[phase], str(figures.taking_part[phase]))
            for phase in Phase
        ],
        "funnel": [
            Bar(PHASES[phase].name, figures.funnel[phase], str(figures.funnel[phase]))
            for phase in Phase
        ],
        "coverage": [
            Bar(
                row["local_authority__name"],
                row["covered"],
                percent(row["share"]),
                total=row["schools"],
            )
            for row in dashboard.coverage_by_authority
        ],
        "places": [
            Bar(
                row.group.code,
                row.group.places_taken,
                f"{row.group.places_taken} of {row.group.capacity}",
                total=row.group.capacity,
            )
            for row in dashboard.groups
        ],
        "attendance": [
            Bar(row.group.code, 100 * (row.attendance_rate or 0), percent(row.attendance_rate))
            for row in dashboard.groups
        ],
        "visits": [
            Bar(label, value, str(value))
            for label, value in (
                ("Done", figures.visits_done),
                ("Scheduled", figures.visits_scheduled),
                ("Overdue", figures.visits_overdue),
                ("Not yet scheduled", figures.visits_not_scheduled),
            )
        ],
    }


# An expression of interest has no outcome until its eligibility is checked.
OUTCOMES = [*Outcome.choices, ("", "Not yet checked")]


def _interest_table(hub, year, figures) -> dict:
    """Expressions of interest by status (rows) and outcome (columns), each with its list."""
    rows = []
    for status, label in ExpressionOfInterest.Status.choices:
        counts = [
            (
                figures.interests_with(status=status, outcome=outcome),
                interests_url(hub, year, status=status, outcome=outcome) if outcome else None,
            )
            for outcome, _ in OUTCOMES
        ]
        total = figures.interests_with(status=status)
        rows.append((label, counts, (total, interests_url(hub, year, status=status))))
    totals = [
        (
            figures.interests_with(outcome=outcome),
            interests_url(hub, year, outcome=outcome) if outcome else None,
        )
        for outcome, _ in OUTCOMES
    ]
    return {
        "outcomes": [label for _, label in OUTCOMES],
        "rows": rows,
        "totals": totals,
        "total": (figures.interests_total, interests_url(hub, year)),
    }


def _dashboard_page(hub, year, today) -> dict:
    dashboard = pages.dashboard(hub, year, today)
    figures = dashboard.figures
    return {
        "dashboard": dashboard,
        "figures": figures,
        "headlines": dict(zip([h.key for h in HEADLINES], cells(hub, year, figures), strict=True)),
        "charts": _dashboard_charts(dashboard),
        "interests": _interest_table(hub, year, figures),
        "coming_interests": (
            _interest_table(hub, dashboard.interest_year, dashboard.interest_figures)
            if dashboard.shows_interest_year
            else None
        ),
        "waiting": [
            (
                AcademicYear.name_for(y),
                n,
                interests_url(hub, y, status=ExpressionOfInterest.Status.TO_REVIEW),
            )
            for y, n in dashboard.waiting
        ],
        "plan_rows": [(s, label, figures.plans[s]) for s, label in PlanStatus.choices],
    }


def _hub_report(request, template: str, page, more) -> HttpResponse:
    """A report of one hub and year: `page(hub, year, today)` works it out; `more(hub, year)`
    adds what the template needs besides."""
    hubs = _hubs(request)
    today = timezone.localdate()
    form, hub, year = _hub_and_year(request, hubs, today)
    if hub is None:
        return _invalid(request, form)
    context = {"form": form, "hubs": hubs, "hub": hub, "year": year, **more(hub, year)}
    context["page"] = page(hub, year, today)
    return render(request, template, context)


@login_required
@require_GET
def dashboard_view(request):
    return _hub_report(
        request,
        "reports/dashboard.html",
        _dashboard_page,
        lambda hub, year: {
            "year_name": AcademicYear.name_for(year),
            "phases": [PHASES[phase] for phase in Phase],
            "exports": f"hub={hub.slug}&year={year}",
        },
    )


def _year_on_year_page(hub, year, today) -> dict:
    years = pages.year_on_year(hub, year, today)
    columns = [cells(hub, y, figures) for y, figures in years]
    return {
        "rows": [
            (headline.label, [column[index] for column in columns])
            for index, headline in enumerate(HEADLINES)
        ],
        "charts": {
            "schools": [Bar(AcademicYear.name_for(y), f.schools, str(f.schools)) for y, f in years],
            "coverage": [
                Bar(AcademicYear.name_for(y), 100 * (f.coverage or 0), percent(f.coverage))
                for y, f in years
            ],
        },
    }


@login_required
@require_GET
def year_on_year_view(request):
    return _hub_report(
        request,
        "reports/year_on_year.html",
        _year_on_year_page,
        lambda hub, year: {
            "years": [AcademicYear.name_for(y) for y in range(year - YEARS_SHOWN + 1, year + 1)]
        },
    )


# The national view -------------------------------------------------------------------------------


def _national_page(year, sort, descending, today) -> dict:
    hubs = list(Hub.objects.order_by("name"))
    rows = pages.national(hubs, year, today)
    if sort == "hub":
        rows = rows[::-1] if descending else rows
    else:
        rows = sorted_by(HEADLINE_BY_KEY[sort], rows, descending=descending)
    links = links_for(year)
    return {
        "rows": [
            (h, url("reports:dashboard", hub=h.slug, year=year), cells_with_links(h, f, links))
            for h, f in rows
        ],
    }


@login_required
@require_GET
def national_view(request):
    require(may_read_national(request.user))
    today = timezone.localdate()
    form = NationalForm(
        request.GET,
        years=year_choices(today),
        columns=[(headline.key, headline.label) for headline in HEADLINES],
    )
    if not form.is_valid():
        return _invalid(request, form)
    year = form.cleaned_data["year"] or _this_year(today)
    sort = form.cleaned_data["sort"] or "hub"
    descending = form.cleaned_data["order"] == "desc"
    headers = []
    for key, label in [("hub", "Hub"), *((h.key, h.label) for h in HEADLINES)]:
        current = key == sort
        next_order = "asc" if current and descending else "desc" if current else "asc"
        headers.append(
            {
                "label": label,
                "url": url("reports:national", year=year, sort=key, order=next_order),
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    context = {
        "form": form,
        "year": year,
        "year_name": AcademicYear.name_for(year),
        "headers": headers,
        "export_query": f"year={year}",
        "page": _national_page(year, sort, descending, today),
    }
    return render(request, "reports/national.html", context)


# The lists behind the figures --------------------------------------------------------------------


def _list_scope(request, hubs, form_class, today):
    """The form of a list (or export), and the hub ids it covers: None for every hub."""
    every_hub = reportable_hub_ids(request.user) is None
    form = form_class(
        request.GET,
        hubs=hubs,
        years=year_choices(today),
        all_hubs_label="All hubs" if every_hub else "All your hubs",
        any_year=True,
    )
    if not form.is_valid():
        return form, None
    hub = form.chosen_hub()
    if hub:
        return form, (hub.pk,)
    return form, None if every_hub else tuple(h.pk for h in hubs)


def _list_filter(request, today, form_class):
    """The form of a list (or export), and the filter it asks for (None while it is invalid)."""
    form, hub_ids = _list_scope(request, _hubs(request), form_class, today)
    return form, form.list_filter(hub_ids) if form.is_valid() else None


def _filename(kind: str, form) -> str:
    hub = form.chosen_hub()
    year = form.chosen_year()
    return "-".join(
        [
            kind,
            hub.slug if hub else "all-hubs",
            AcademicYear.name_for(year).replace("/", "-") if year else "all-years",
        ]
    )


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _list_page(request, form_class, template: str, rows, shown=None) -> HttpResponse:
    """A list behind a figure, a page at a time: `rows(filter, today)` finds them all, and
    `shown(page_rows)` adds what the page shows of each."""
    today = timezone.localdate()
    form, spec = _list_filter(request, today, form_class)
    if spec is None:
        return _invalid(request, form)
    page = Paginator(rows(spec, today), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if shown:
        shown(page.object_list)
    context = {"form": form, "page": page, "query": _query(request)}
    return render(request, template, context)


def _with_pathways(schools) -> None:
    found = lists.pathways([school.pk for school in schools])
    for school in schools:
        school.pathway_summary = found.get(school.pk, lists.NO_PATHWAY)


@login_required
@require_GET
def participation_list_view(request):
    return _list_page(
        request,
        ParticipationListForm,
        "reports/participation_list.html",
        lambda spec, today: lists.with_lead_participants(lists.participations(spec, today)),
    )


@login_required
@require_GET
def school_list_view(request):
    return _list_page(
        request,
        SchoolListForm,
        "reports/school_list.html",
        lambda spec, today: lists.schools(spec),
        _with_pathways,
    )


# Exports -----------------------------------------------------------------------------------------


def _format(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


def _list_export(request, fmt, form_class, kind: str, export):
    """A list as a file: `export(filter, today, filename)` makes it from the form's filter."""
    fmt = _format(fmt)
    today = timezone.localdate()
    form, spec = _list_filter(request, today, form_class)
    if spec is None:
        return _invalid(request, form)
    return exports.response(export(spec, today, _filename(kind, form)), fmt)


@login_required
@require_GET
def participations_export_view(request, fmt):
    return _list_export(
        request,
        fmt,
        ParticipationListForm,
        "participations",
        lambda spec, today, name: exports.participations_export(
            lists.participations(spec, today), name
        ),
    )


@login_required
@require_GET
def schools_export_view(request, fmt):
    return _list_export(
        request,
        fmt,
        SchoolListForm,
        "schools",
        lambda spec, today, name: exports.schools_export(lists.schools(spec), name),
    )


@login_required
@require_GET
def interests_export_view(request, fmt):
    fmt = _format(fmt)
    hubs = _hubs(request)
    today = timezone.localdate()
    form, hub_ids = _list_scope(request, hubs, ReportForm, today)
    if not form.is_valid():
        return _invalid(request, form)
    year = form.chosen_year()
    filename = _filename("expressions-of-interest", form)
    return exports.response(exports.interests_export(lists.interests(hub_ids, year), filename), fmt)


@login_required
@require_GET
def register_export_view(request, pk, fmt):
    fmt = _format(fmt)
    group = get_object_or_404(
        WorkGroup.objects.filter(hub__in=_hubs(request)).select_related("academic_year"), pk=pk
    )
    return exports.response(exports.register_export(group), fmt)


# Personal data: subject access and erasure ---------------------------------------------------

RECENT = 10


def _personal_data_or_404(request) -> None:
    if not may_open_personal_data(request.user):
        raise Http404


def _personal_data_page(request, *, access_form=None, erasure_form=None):
    user = request.user
    return render(
        request,
        "reports/personal_data.html",
        {
            "access_form": access_form or PersonForm(user=user, prefix="access"),
            "erasure_form": erasure_form or ErasureForm(user=user, prefix="erase"),
            "access_requests": SubjectAccessRequest.objects.asked_by(user)[:RECENT],
            "erasures": Erasure.objects.filter(erased_by=user)[:RECENT],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def personal_data_view(request):
    _personal_data_or_404(request)
    return _personal_data_page(request)


@login_required
@require_POST
def subject_access_create_view(request):
    _personal_data_or_404(request)
    return form_page(
        request,
        PersonForm(request.POST, user=request.user, prefix="access"),
        act=lambda data: subject_access_request(
            email=data["email"], hub=data.get("hub"), acting_user=request.user
        ),
        redirect_to=lambda access_request: reverse(
            "reports:subject-access-detail", args=[access_request.pk]
        ),
        page=lambda form: _personal_data_page(request, access_form=form),
        success="The export is being gathered.",
    )


@login_required
@require_GET
def subject_access_detail_view(request, pk):
    access_request = one_or_404(SubjectAccessRequest.objects.asked_by(request.user), pk=pk)
    context = {"access_request": access_request}
    if request.htmx:
        # Polled while it is gathered; once it is not, the whole page reloads.
        if not access_request.is_under_way:
            return HttpResponseClientRefresh()
        return render(request, "reports/_subject_access_status.html", context)
    return render(request, "reports/subject_access_detail.html", context)


@login_required
@require_POST
def subject_access_download_view(request, pk):
    access_request = one_or_404(SubjectAccessRequest.objects.asked_by(request.user), pk=pk)
    # A file, not a redirect, is the answer when it works: so not through form_page.
    try:
        name, content = subject_access_download(
            access_request=access_request, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("reports:subject-access-detail", pk=access_request.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def erasure_create_view(request):
    _personal_data_or_404(request)
    return form_page(
        request,
        ErasureForm(request.POST, user=request.user, prefix="erase"),
        act=lambda data: person_erase(
            email=data["email"],
            reason=data["reason"],
            hub=data.get("hub"),
            acting_user=request.user,
        ),
        redirect_to=lambda erasure: reverse("reports:erasure-detail", args=[erasure.pk]),
        page=lambda form: _personal_data_page(request, erasure_form=form),
        success="The person's data is erased.",
    )


@login_required
@require_GET
def erasure_detail_view(request, pk):
    erasure = one_or_404(Erasure.objects.filter(erased_by=request.user), pk=pk)
    return render(request, "reports/erasure_detail.html", {"erasure": erasure})
