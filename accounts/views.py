from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import require
from core.views import button_action, form_page, submit

from . import grants, services
from .forms import InvitationAcceptForm, InvitationCreateForm
from .permissions import may_answer_invitation, may_invite


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """An invitation's link: a new account's password is set here; an invitation to an existing
    account is answered here by its owner, signed in."""
    try:
        invitation = services.invitation_for_token(token)
        if invitation.for_existing_account:
            return _answer(request, token, invitation)
        return _set_password(request, token, invitation)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": error}, status=410)


def _set_password(request, token, invitation):
    # Not form_page: what comes after the password is allauth's sign-in, which answers itself
    # (a redirect to the second factor's page for an account that has one).
    form = InvitationAcceptForm(request.POST or None, user=invitation.user)
    if request.method == "POST":
        done, user = submit(form, lambda data: _accept(request, token, data["password1"]))
        if done:
            messages.success(request, "Your password is set.")
            return _sign_in(request, user)
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def _accept(request, token, password):
    try:
        return services.invitation_accept(token=token, password=password, acting_user=request.user)
    except ValidationError as error:
        # A link to an account closed since: the link is what cannot be used, not the password.
        raise services.InvitationError(error.messages[0]) from error


def _sign_in(request, user):
    """Sign in through allauth's own flow, so its stages run: a person with an authenticator is
    signed in only once they have entered its code."""
    # What allauth records when a reset link sets a password, which this link is like.
    record_authentication(request, user, method="password_reset", email=user.email)
    return perform_login(request, user, email=user.email, redirect_url=reverse("home"))


def _answer(request, token, invitation):
    if not request.user.is_authenticated:
        # The link alone gives nothing: its account's owner signs in, then comes back here.
        return redirect_to_login(request.get_full_path())
    offer = grants.describe(invitation.grant_kind, invitation.grant)
    answer = request.POST.get("answer") if request.method == "POST" else None
    # The services refuse anyone but the invited account (the 404 of a missing page).
    if answer == "accept":
        return button_action(
            request,
            lambda: _accept_offer(request, token),
            success=f"You are now {offer}.",
            redirect_to="home",
            back_to=request.path,
        )
    if answer == "decline":
        return button_action(
            request,
            lambda: services.invitation_offer_decline(token=token, acting_user=request.user),
            success="You declined the invitation. Nothing has changed.",
            redirect_to="home",
        )
    if not may_answer_invitation(request.user, invitation):
        return render(request, "accounts/invitation_other_account.html")
    return render(
        request, "accounts/invitation_offer.html", {"invitation": invitation, "offer": offer}
    )


def _accept_offer(request, token):
    invitation = services.invitation_offer_accept(token=token, acting_user=request.user)
    # What this person may do has changed: a session id known before is worth nothing now.
    request.session.cycle_key()
    return invitation


def _invited(invitation) -> str:
    if invitation.for_existing_account:
        return (
            f"{invitation.user.email} already has an account: they have been asked to accept, "
            "signed in, and nothing changes until they do."
        )
    return f"An invitation is on its way to {invitation.user.email}."


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
        success=_invited,
        redirect_to="accounts:invitation-create",
        page="accounts/invitation_create.html",
    )


@login_required
def profile(request):
    return render(request, "accounts/profile.html")
