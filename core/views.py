"""The one way a view changes state.

Validate the form, call the service, turn its `ValidationError` into the form's errors, say how
it went, and redirect. `form_page` is for a page with a form: a refusal shows the page again with
the errors. `button_action` is for a button (with at most a few hidden fields): a refusal becomes
an error message and the person goes back. Both answer an htmx request with a partial when given
one. The service is `act`, a function the view writes in a line or two; everything else about the
answer (wording, status, where to go) stays the view's. Only a ValidationError is a refusal:
anything else a service raises (PermissionDenied, say) goes on up to the one place that answers it.

Messages: `success` is a text, or a function of what `act` returned giving a text, a Django
`Message` (another level), a list of those, or None (say nothing).
Where to go: `redirect_to` is anything `redirect()` takes, or a function of what `act` returned
giving one.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import add_service_errors, error_messages, explain_errors

Page = str | Callable[[forms.Form], HttpResponse]
Partial = Callable[[forms.Form, bool], HttpResponse | None]


def submit(form: forms.Form, act: Callable[[dict], Any]) -> tuple[bool, Any]:
    """Call `act(form.cleaned_data)` if the form is valid; a ValidationError it raises (the
    service's refusal) joins the form's errors. Returns whether it was done, and what act gave.
    Django's generic messages are first made to name their field (core.forms.explain_errors)."""
    explain_errors(form)
    if not form.is_valid():
        return False, None
    try:
        return True, act(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    act: Callable[[dict], Any],
    redirect_to,
    page: Page,
    success=None,
    context: dict | None = None,
    partial: Partial | None = None,
) -> HttpResponse:
    """A page with a form: on a POST, `submit` it; done, the `success` message and a redirect.

    Otherwise (a GET, or a refusal) the page: `page` is a template, rendered with the form and
    `context`, or a function of the form that answers (with its own context and status).
    An htmx POST is answered by `partial(form, done)` instead, with no message.
    """
    if request.method == "POST":
        done, result = submit(form, act)
        if (answer := _htmx_answer(request, partial, form, done)) is not None:
            return answer
        if done:
            _tell(request, success, result)
            return redirect(_target(redirect_to, result))
    if callable(page):
        return page(form)
    return render(request, page, {"form": form, **(context or {})})


def button_action(
    request: HttpRequest,
    act: Callable[..., Any],
    *,
    redirect_to,
    success=None,
    form: forms.Form | None = None,
    back_to=None,
    partial: Partial | None = None,
) -> HttpResponse:
    """A button: call `act()` (or `act(cleaned_data)` when the button posts a `form`).

    A refusal (the form's errors, or the service's ValidationError) becomes error messages and
    the person goes back to `back_to` (by default `redirect_to`, which then must not be a
    function); done, the `success` message and a redirect to `redirect_to`.
    An htmx POST is answered by `partial(form, done)` where that gives an answer.
    """
    if form is None:
        # A bare button: an empty form stands in, so a refusal lands in one place.
        form, call = forms.Form(request.POST), lambda data: act()
    else:
        call = act
    done, result = submit(form, call)
    if (answer := _htmx_answer(request, partial, form, done)) is not None:
        return answer
    if not done:
        for text in error_messages(form):
            messages.error(request, text)
        return redirect(_target(back_to if back_to is not None else redirect_to, None))
    _tell(request, success, result)
    return redirect(_target(redirect_to, result))


def _htmx_answer(request, partial, form, done) -> HttpResponse | None:
    return partial(form, done) if partial is not None and request.htmx else None


def _target(redirect_to, result):
    return redirect_to(result) if callable(redirect_to) else redirect_to


def _tell(request: HttpRequest, success, result) -> None:
    said = success(result) if callable(success) else success
    for message in said if isinstance(said, list) else [said]:
        if isinstance(message, Message):
            messages.add_message(request, message.level, message.message)
        elif message:
            messages.success(request, message)


def one_or_404(queryset, **lookup):
    """The one row a unique `lookup` finds in `queryset` (the rows a person may see), else the
    404 of a missing page, as get_object_or_404 gives.

    Unlike get(), the query has no LIMIT: for a query that joins many tables PostgreSQL weighs
    its plans for a fast first row when there is a LIMIT, which took longer than the query
    itself; a unique lookup finds one row at most anyway.
    """
    rows = list(queryset.filter(**lookup).order_by())
    if not rows:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return rows[0]


def permitted_or_404(may, user, obj):
    """`obj` if `may(user, obj)`, the predicate of what the page does to it; otherwise the same
    404 as a missing object."""
    if not may(user, obj):
        raise Http404
    return obj


def button_view(find, act, *, redirect_to, success=None):
    """The view of a button that calls one service on one object (signed in, POST only).

    `find(request, **url_kwargs)` gives the object (a 404 for someone who may not act on it),
    `act(obj, acting_user)` calls the service; `success` is as button_action's, and
    `redirect_to(obj)` the page the person goes to next.
    """

    @login_required
    @require_POST
    def view(request, **url_kwargs):
        obj = find(request, **url_kwargs)
        return button_action(
            request,
            lambda: act(obj, request.user),
            success=success,
            redirect_to=redirect_to(obj),
        )

    return view
