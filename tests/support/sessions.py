"""Signing a test person in as the portal's own sign-in leaves them: password and, for the staff
roles that need one, the second factor used in this session."""

import django.test
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.http import HttpRequest

from accounts.demo import DEMO_TOTP_SECRET, demo_code
from accounts.sessions import record_second_factor


class Client(django.test.Client):
    """`force_login` with the second factor satisfied (the sign-in itself is tested apart)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        request = HttpRequest()
        request.session = session
        record_second_factor(request, user, "totp")
        session.save()


def give_authenticator(user) -> Authenticator:
    """The demo's authenticator secret for this person: `authenticator_code()` is its code."""
    return TOTP.activate(user, DEMO_TOTP_SECRET).instance


def authenticator_code(user) -> str:
    """The code the person's authenticator app shows now. A code works once: the record of
    its use is dropped, so a test may sign the same person in twice within its 30 seconds."""
    code = demo_code()
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return code
