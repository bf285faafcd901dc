import base64
import hashlib
import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings

from notifications.services import notify

from .sessions import SECOND_FACTORS, needs_second_factor, signed_in_with_password_just_now


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """No open sign-up (accounts come by invitation); account mail goes through the outbox."""

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up a second factor straight after signing in with the password (as staff
        roles are made to) does not ask for the password again."""
        if app == "allauth.mfa" and signed_in_with_password_just_now(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix, email, context):
        """Password resets, address verification and security notices, recorded and sent once."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", ())
                if mimetype == "text/html"
            ),
            "",
        )
        text = message.body if message.content_subtype == "plain" else ""
        user = context.get("user")
        notify(
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            # Each request is its own occasion: a second reset request sends a second mail.
            key=uuid.uuid4().hex,
            to=email,
            subject=message.subject,
            body_text=text or html,
            body_html=html,
            user=user if getattr(user, "pk", None) else None,
            # A reset or confirmation link works once: it is not kept after sending.
            secret=context.get("password_reset_url") or context.get("activate_url") or "",
        )


class PortalMFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets are stored encrypted, and staff roles keep a second factor."""

    @staticmethod
    def _fernet() -> Fernet:
        digest = hashlib.sha256(b"hubportal-mfa:" + settings.MFA_ENCRYPTION_KEY.encode()).digest()
        return Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff roles may swap authenticators but not remove their last one."""
        if authenticator.type not in SECOND_FACTORS or not needs_second_factor(authenticator.user):
            return True
        others = Authenticator.objects.filter(user=authenticator.user, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()
