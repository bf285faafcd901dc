"""Small views built on the shared helpers, for tests/core/test_views.py (not the portal's)."""

from django import forms
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from core.views import button_action, form_page

service_calls = []  # what the stand-in service was asked to do, in order


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def name_save(name: str) -> str:
    """A stand-in service: refuses some names, otherwise gives the name back in capitals."""
    service_calls.append(name)
    if name == "taken":
        raise ValidationError({"name": "That name is taken."})
    if name == "closed":
        raise ValidationError({"closed_on": "The list closed yesterday."})
    if name == "later":
        raise ValidationError("Not now: try again later.")
    return name.upper()


def name_create(request):
    return form_page(
        request,
        NameForm(request.POST or None),
        act=lambda data: name_save(data["name"]),
        success=lambda saved: f"{saved} is saved.",
        redirect_to=lambda saved: f"/names/{saved}/",
        page="core_tests/name_form.html",
        context={"heading": "A new name"},
    )


@require_POST
def name_check(request):
    """A POST-only form whose refusal answers with a page of its own, at status 400, and an htmx
    request with a partial."""
    return form_page(
        request,
        NameForm(request.POST),
        act=lambda data: name_save(data["name"]),
        redirect_to="/names/",
        page=lambda form: HttpResponse(f"refused: {form.errors.as_text()}", status=400),
        partial=lambda form, done: HttpResponse(f"part, done={done}, errors={len(form.errors)}"),
    )


@require_POST
def name_button(request, name):
    return button_action(
        request,
        lambda: name_save(name),
        success=lambda saved: [
            f"{saved} is saved.",
            Message(messages.INFO, "It shows on the list tomorrow."),
        ],
        redirect_to="/names/",
        back_to=f"/names/{name}/",
    )


@require_POST
def name_rename(request):
    return button_action(
        request,
        lambda data: name_save(data["name"]),
        form=NameForm(request.POST),
        success="Renamed.",
        redirect_to="/names/",
    )


urlpatterns = [
    path("names/new/", name_create),
    path("names/check/", name_check),
    path("names/rename/", name_rename),
    path("names/<str:name>/save/", name_button),
]
