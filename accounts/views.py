from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.access import require
from core.views import form_page

from . import services
from .forms import InvitationAcceptForm, InvitationCreateForm
from .permissions import may_invite


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
        return form_page(
            request,
            InvitationAcceptForm(request.POST or None, user=invitation.user),
            act=lambda data: _accept_and_sign_in(request, token, data["password1"]),
            success="Your password is set and you are signed in.",
            redirect_to="home",
            page="accounts/invitation_accept.html",
            context={"invitation": invitation},
        )
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": error}, status=410)


def _accept_and_sign_in(request, token, password):
    try:
        user = services.invitation_accept(token=token, password=password, acting_user=request.user)
    except ValidationError as error:
        # A link to an account closed since: the link is what cannot be used, not the password.
        raise services.InvitationError(error.messages[0]) from error
    get_adapter(request).login(request, user)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    """National staff invite a person (hub staff are invited from their hub's page)."""
    require(may_invite(request.user, national_staff=True))
    return form_page(
        request,
        InvitationCreateForm(request.POST or None),
        act=lambda data: services.invitation_send(
            email=data["email"],
            full_name=data["full_name"],
            grant_national_staff=data["is_national_staff"],
            acting_user=request.user,
        ),
        success=lambda invitation: f"An invitation is on its way to {invitation.user.email}.",
        redirect_to="accounts:invitation-create",
        page="accounts/invitation_create.html",
    )


@login_required
def profile(request):
    return render(request, "accounts/profile.html")
