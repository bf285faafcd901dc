"""The floors: what any request pays, and what any signed-in page pays."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.roles import roles_for


@require_GET
def hello(request):
    """The smallest answer: the middleware every request passes, and nothing else."""
    return HttpResponse("hello", content_type="text/plain")


@login_required
@require_GET
def hello_signed_in(request):
    """The session, the user and their roles read, and the base layout with nothing in it."""
    roles_for(request.user)
    return render(request, "bench/hello_signed_in.html")
