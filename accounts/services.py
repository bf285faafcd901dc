"""Inviting people and accepting invitations."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.access import require
from core.roles import recorded
from notifications.services import notify

from .models import Invitation
from .permissions import may_accept_invitation, may_invite

User = get_user_model()


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, for the person."""


def invitation_send(
    *,
    email: str,
    full_name: str = "",
    reason: str = "",
    grant_national_staff: bool = False,
    acting_user,
) -> Invitation:
    """Create (or find) the person's account and e-mail them a one-time link to set a password.
    National staff also get the Django admin's door."""
    require(may_invite(acting_user, national_staff=grant_national_staff))
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, full_name=full_name
        )
        if (full_name and not user.full_name) or (
            grant_national_staff and not user.is_national_staff
        ):
            user.full_name = user.full_name or full_name
            if grant_national_staff:
                user.is_national_staff = user.is_staff = True
            user.save(update_fields=["full_name", "is_national_staff", "is_staff"])
        token, token_hash = Invitation.new_token()
        invitation = Invitation.objects.create(
            user=user,
            token_hash=token_hash,
            invited_by=recorded(acting_user),
            reason=reason,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        link = settings.SITE_URL + reverse("accounts:invitation-accept", args=[token])
        notify(
            kind="invitation",
            key=f"invitation:{invitation.pk}",
            to=user.email,
            user=user,
            subject="You are invited to hubportal",
            template="accounts/email/invitation",
            secret=link,
            context={"invitation": invitation, "link": link, "user": user},
        )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or an InvitationError that says why it cannot be used."""
    invitation = Invitation.objects.for_token(token).select_related("user").first()
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check you copied all of it.")
    if invitation.is_used:
        raise InvitationError(
            "This invitation link has already been used. Sign in with your e-mail address, "
            "or reset your password if you have forgotten it."
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation link has expired. Ask the person who invited you to send a new one."
        )
    return invitation


def invitation_accept(*, token: str, password: str, acting_user):
    """Set the invited person's password, verify their e-mail and spend the link."""
    require(may_accept_invitation(acting_user))
    with transaction.atomic():
        invitation = invitation_for_token(token)
        # Lock the row so two tabs submitting at once cannot both use the link.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.is_used:
            raise InvitationError("This invitation link has already been used.")
        user = invitation.user
        if not user.is_active:
            raise ValidationError("This account has been closed.")
        user.set_password(password)
        user.save(update_fields=["password"])
        now = timezone.now()
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        # Other outstanding links for the same person die with this one.
        Invitation.objects.filter(user=user, accepted_at__isnull=True).update(accepted_at=now)
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if not address.verified or not address.primary:
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])
    return user
