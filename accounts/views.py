from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms import InvitationAcceptForm, InvitationCreateForm
from .services import InvitationError, invitation_accept, invitation_for_token, invitation_send


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    try:
        invitation = invitation_for_token(token)
    except InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": error}, status=410)
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except (InvitationError, ValidationError) as error:
            reason = error.messages[0] if isinstance(error, ValidationError) else error
            return render(
                request, "accounts/invitation_invalid.html", {"reason": reason}, status=410
            )
        get_adapter(request).login(request, user)
        messages.success(request, "Your password is set and you are signed in.")
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create_view(request):
    """National staff invite a person (hub staff are invited from their hub's page)."""
    if not request.user.is_staff:
        raise Http404
    form = InvitationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation = invitation_send(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            grant_staff=form.cleaned_data["is_staff"],
            invited_by=request.user,
        )
        messages.success(request, f"An invitation is on its way to {invitation.user.email}.")
        return redirect("accounts:invitation-create")
    return render(request, "accounts/invitation_create.html", {"form": form})


@login_required
def profile_view(request):
    return render(request, "accounts/profile.html")
