from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .models import Hub, School, SchoolContact
from .roles import roles_for


@login_required
def hub_list(request):
    if not request.user.is_staff:
        raise Http404
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
    hub = get_object_or_404(Hub.objects.visible_to(request.user), slug=slug)
    context = {
        "hub": hub,
        "local_authorities": hub.local_authorities.all(),
        "staff": hub.staff.select_related("user", "school"),
    }
    return render(request, "schools/hub_detail.html", context)


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
    contacts = SchoolContact.objects.visible_to(request.user).filter(school=school)
    return render(request, "schools/school_detail.html", {"school": school, "contacts": contacts})


@login_required
def school_search(request):
    roles = roles_for(request.user)
    if not (roles.is_national_staff or roles.is_hub_staff):
        raise Http404
    return render(request, "schools/school_search.html", {})
