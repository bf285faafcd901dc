"""Inviting people and answering invitations.

An invitation gives a person something: a grant (a role at a hub, a school's contact, national
staff; see grants.py). Sent to an account nobody controls yet (a new address, or an account made
by an earlier invitation whose password was never set), it gives the grant at once and e-mails a
one-time link to set the password. Sent to an existing account (one with a password), it gives
nothing and sets no password: the e-mail links to a page where the account's owner, signed in as
themselves, accepts or declines, and acceptance gives the grant as the person who sent it.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.access import require
from core.roles import SYSTEM, recorded
from notifications.services import notify

from . import grants
from .models import Invitation
from .permissions import may_accept_invitation, may_answer_invitation, may_invite

User = get_user_model()

NATIONAL_STAFF = "national_staff"


class InvitationError(Exception):
    """An invitation link that cannot be used; the message says why, for the person."""


def invitation_send(
    *,
    email: str,
    full_name: str = "",
    reason: str = "",
    grant: tuple[str, dict] | None = None,
    grant_national_staff: bool = False,
    acting_user,
) -> Invitation:
    """Invite a person to what `grant` (a registered grant's name and details) gives: at once,
    with a link to set the password, for an account nobody controls yet; as an offer its owner
    accepts, with no password link, for an existing account. `grant_national_staff` is the
    national staff grant (which also opens the Django admin)."""
    require(may_invite(acting_user, national_staff=grant_national_staff))
    if grant_national_staff:
        if grant is not None:
            raise ValueError("An invitation carries one grant.")
        grant = (NATIONAL_STAFF, {})
    kind, details = grant or ("", {})
    given = grants.grant_named(kind) if kind else None
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        # Someone holds this account's password: it is theirs, and only they take a grant on it.
        existing = user is not None and user.has_usable_password()
        if existing and given is None:
            raise ValidationError(
                f"{email} already has an account: they sign in with it, or reset their "
                "password if they have forgotten it."
            )
        if existing and not user.is_active:
            raise ValidationError(f"The account for {email} has been closed.")
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name)
        elif not existing and full_name and not user.full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        if given is not None and not existing:
            given.give(user, details, acting_user=acting_user)
        token, token_hash = Invitation.new_token()
        invitation = Invitation.objects.create(
            user=user,
            token_hash=token_hash,
            invited_by=recorded(acting_user),
            invited_by_system=acting_user is SYSTEM,
            reason=reason,
            grant_kind=kind,
            grant=details,
            for_existing_account=existing,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        _mail(invitation, token)
    return invitation


def _mail(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL + reverse("accounts:invitation-accept", args=[token])
    user = invitation.user
    offer = (
        grants.describe(invitation.grant_kind, invitation.grant) if invitation.grant_kind else ""
    )
    if invitation.for_existing_account:
        subject, template = f"You are invited to be {offer}", "accounts/email/invitation_offer"
    else:
        subject, template = "You are invited to hubportal", "accounts/email/invitation"
    notify(
        kind="invitation",
        key=f"invitation:{invitation.pk}",
        to=user.email,
        user=user,
        subject=subject,
        template=template,
        # The link works once: it is kept only until the mail is sent.
        secret=link,
        context={"invitation": invitation, "link": link, "user": user, "offer": offer},
    )


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link, or an InvitationError that says why it cannot be used."""
    invitation = Invitation.objects.for_token(token).select_related("user", "invited_by").first()
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check you copied all of it.")
    if invitation.is_used:
        if invitation.for_existing_account:
            raise InvitationError("This invitation has already been accepted or declined.")
        raise InvitationError(
            "This invitation link has already been used. Sign in with your e-mail address, "
            "or reset your password if you have forgotten it."
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation link has expired. Ask the person who invited you to send a new one."
        )
    if not invitation.for_existing_account and invitation.user.has_usable_password():
        # Its password was set some other way since: the account is its owner's now.
        raise InvitationError(
            "This account already has a password. Sign in with your e-mail address, "
            "or reset your password if you have forgotten it."
        )
    return invitation


def invitation_accept(*, token: str, password: str, acting_user):
    """Set the invited person's password, verify their e-mail and spend the link (an invitation
    to an account nobody controls yet)."""
    with transaction.atomic():
        invitation = invitation_for_token(token)
        require(may_accept_invitation(acting_user, invitation))
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
        # Other outstanding password links for the same person die with this one.
        Invitation.objects.filter(
            user=user, for_existing_account=False, accepted_at__isnull=True
        ).update(accepted_at=now)
        address, _ = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if not address.verified or not address.primary:
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])
    return user


def _offer(token: str, acting_user) -> Invitation:
    """The invitation to an existing account behind a link, locked, for its owner to answer."""
    invitation = invitation_for_token(token)
    require(may_answer_invitation(acting_user, invitation))
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise InvitationError("This invitation has already been accepted or declined.")
    return invitation


def _sender(invitation: Invitation):
    """Who a grant is given as: the person who sent the invitation while their account is open,
    the portal for its own; otherwise nobody, who may give nothing."""
    if invitation.invited_by_id:
        inviter = invitation.invited_by
        return inviter if inviter.is_active else None
    return SYSTEM if invitation.invited_by_system else None


def invitation_offer_accept(*, token: str, acting_user) -> Invitation:
    """The invited person, signed in as themselves, accepts: the grant is given as the person
    who sent it, if they still may give it, and the link is spent."""
    with transaction.atomic():
        invitation = _offer(token, acting_user)
        try:
            grants.grant_named(invitation.grant_kind).give(
                invitation.user, invitation.grant, acting_user=_sender(invitation)
            )
        except PermissionDenied:
            inviter = invitation.invited_by
            who = inviter.get_full_name() if inviter else "The person who invited you"
            raise ValidationError(
                f"{who} can no longer give you this, so nothing has changed. Ask your hub to "
                "invite you again."
            ) from None
        except ObjectDoesNotExist:
            raise ValidationError(
                "What this invitation offered no longer exists, so nothing has changed."
            ) from None
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return invitation


def invitation_offer_decline(*, token: str, acting_user) -> Invitation:
    """The invited person, signed in as themselves, declines: nothing is given; the link is
    spent."""
    with transaction.atomic():
        invitation = _offer(token, acting_user)
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


def _give_national_staff(user, details: dict, *, acting_user) -> None:
    """The national staff grant: every hub's records, and the Django admin's door."""
    require(may_invite(acting_user, national_staff=True))
    if not (user.is_national_staff and user.is_staff):
        user.is_national_staff = user.is_staff = True
        user.save(update_fields=["is_national_staff", "is_staff"])


grants.register(
    NATIONAL_STAFF,
    give=_give_national_staff,
    describe=lambda details: "national staff, with every hub's records and the Django admin",
)
