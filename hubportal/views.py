"""Project-wide pages: home, health check, privacy and accessibility statements."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.roles import roles_for

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
    return render(request, "hubportal/privacy.html")


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
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
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
