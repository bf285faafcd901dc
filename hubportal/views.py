"""Project-wide pages: home, health check, privacy and accessibility statements, and the page
of a server error."""

import sys

import redis
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.roles import roles_for
from reports import retention

from .navigation import start_url


@require_GET
def home(request):
    """Say what the portal is; send a signed-in person to their role's start page."""
    if request.user.is_authenticated:
        target = start_url(roles_for(request.user))
        if target:
            return redirect(target)
    return render(request, "hubportal/home.html")


@require_GET
def privacy(request):
    # The schedule the nightly task applies, so the notice and the practice cannot disagree.
    return render(request, "hubportal/privacy.html", {"schedule": retention.SCHEDULE})


@require_GET
def accessibility(request):
    return render(request, "hubportal/accessibility.html")


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "down"; the message says which
        return f"down: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        ).ping()
    except redis.RedisError as error:
        return f"down: {error.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when the database (and the broker, when configured) answer; 503 otherwise."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "not configured") for value in state.values())
    state["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(state, status=200 if healthy else 503)


def server_error(request):
    """The 500 page; when the database is out of reach, a 503 that says try again in a minute
    (without touching the database: the page is plain HTML)."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError | InterfaceError):
        page = loader.get_template("503.html").render()  # no request: no context processors
        return HttpResponse(page, status=503, headers={"Retry-After": "60"})
    return defaults.server_error(request)
