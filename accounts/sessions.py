"""What a signed-in session needs and how long it lasts.

Staff roles (national staff, hub leads, Mastery Specialists, Readiness Leads, and anyone with the
admin's door) read teachers' names and schools' plans: they must have used a second factor in
this session, they are signed out after `SESSION_STAFF_IDLE_SECONDS` without a request and
`SESSION_STAFF_MAX_SECONDS` after signing in, and "remember me" does not keep them signed in past
closing the browser. Everyone else is signed out after `SESSION_IDLE_SECONDS` idle, or
`SESSION_REMEMBERED_IDLE_SECONDS` when they ticked "remember me". When a person's roles change
the session gets a new key, so a session id known before the change is worth nothing after it.

`SessionPolicy`, a middleware after allauth's, applies all of this on every request; allauth's
own sign-in asks for the second factor of anyone who has one.
"""

import hashlib
import time

from allauth.account import app_settings as account_settings
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from core.roles import roles_for

SIGNED_IN_AT = "hubportal_signed_in_at"
SEEN_AT = "hubportal_seen_at"
ROLES = "hubportal_roles"
# A request less than this long after the last one recorded does not write the session again.
TOUCH_EVERY_SECONDS = 60
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def needs_second_factor(user) -> bool:
    """Staff roles and the admin's door must sign in with a second factor."""
    return roles_for(user).needs_second_factor


def has_used_second_factor(request: HttpRequest) -> bool:
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def signed_in_with_password_just_now(request: HttpRequest | None) -> bool:
    """The password was given within allauth's reauthentication time (five minutes)."""
    if request is None or not request.user.is_authenticated:
        return False
    given = [
        record["at"]
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "password"
    ]
    return bool(given) and time.time() - given[-1] < account_settings.REAUTHENTICATION_TIMEOUT


def record_second_factor(request: HttpRequest, user, kind: str) -> None:
    """Note in the session that the person has just proved they hold a second factor."""
    record_authentication(request, user, "mfa", type=kind)


def _roles_mark(user) -> str:
    """A short digest of what the person may do, to tell when it changes."""
    roles = roles_for(user)
    facts = (
        roles.opens_admin,
        roles.is_national_staff,
        sorted(roles.hub_lead_hub_ids),
        sorted(roles.specialist_hub_ids),
        sorted(roles.contact_school_ids),
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:16]


def _limits(request: HttpRequest, staff: bool) -> tuple[int, int | None]:
    """(idle seconds, seconds since signing in or None) this session may last."""
    if staff:
        return settings.SESSION_STAFF_IDLE_SECONDS, settings.SESSION_STAFF_MAX_SECONDS
    if request.session.get_expire_at_browser_close():
        return settings.SESSION_IDLE_SECONDS, None
    return settings.SESSION_REMEMBERED_IDLE_SECONDS, None


@receiver(user_logged_in, dispatch_uid="hubportal-session-start")
def _session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now
    request.session[ROLES] = _roles_mark(user)
    if needs_second_factor(user):
        # Staff sessions end with the browser whatever "remember me" said.
        request.session.set_expiry(0)


@receiver(authenticator_added, dispatch_uid="hubportal-second-factor-added")
def _second_factor_added(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator proves holding it (its first code was just entered)."""
    if authenticator.type in SECOND_FACTORS:
        record_second_factor(request, user, authenticator.type)


def _redirect(request: HttpRequest, to: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(to)
    return HttpResponseRedirect(to)


class SessionPolicy:
    """Time limits, a new key on a change of roles, and a second factor for staff roles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == _url("healthz"):
            return self.get_response(request)  # answers even with the database down
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        staff = needs_second_factor(user)
        session = request.session
        now = int(time.time())
        idle, longest = _limits(request, staff)
        seen = session.get(SEEN_AT, now)
        started = session.get(SIGNED_IN_AT, now)
        if now - seen > idle or (longest is not None and now - started > longest):
            return self._sign_out(request, idle if now - seen > idle else None)
        if now - seen >= TOUCH_EVERY_SECONDS or SIGNED_IN_AT not in session:
            session[SEEN_AT] = now
            session.setdefault(SIGNED_IN_AT, now)
        mark = _roles_mark(user)
        if session.get(ROLES) != mark:
            # What this person may do has changed since the session began: a new key.
            session.cycle_key()
            session[ROLES] = mark
        if staff and not has_used_second_factor(request) and not self._open(request):
            return self._second_factor(request, user)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        """Pages a person without a second factor yet may still use: setting one up, proving
        their password again for it, signing out and the public pages about the portal."""
        path = request.path_info
        setting_up = _url("mfa_index")
        return bool(setting_up and path.startswith(setting_up)) or path in {
            _url(name)
            for name in (
                "account_logout",
                "account_reauthenticate",
                "healthz",
                "privacy",
                "accessibility",
            )
        }

    @staticmethod
    def _second_factor(request: HttpRequest, user):
        if Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists():
            # Signed in some other way than the portal's sign-in: prove the second factor now.
            return _redirect(request, reverse("mfa_reauthenticate") + "?" + _next(request))
        messages.info(
            request,
            "Your role at the hub needs a second factor. Set up an authenticator app to go on: "
            "each time you sign in you will type the code it shows.",
        )
        return _redirect(request, reverse("mfa_activate_totp"))

    @staticmethod
    def _sign_out(request: HttpRequest, idle: int | None):
        logout(request)
        if idle is None:
            text = (
                f"You were signed out {settings.SESSION_STAFF_MAX_SECONDS // 3600} hours after "
                "signing in. Sign in again to go on."
            )
        else:
            text = (
                f"You were signed out after {_duration(idle)} without activity. "
                "Sign in again to go on."
            )
        messages.info(request, text)
        return _redirect(request, reverse("account_login") + "?" + _next(request))


def _url(name: str) -> str | None:
    """The page's path, or None where the URLs in use have no such page."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _next(request: HttpRequest) -> str:
    target = request.get_full_path() if request.method == "GET" else request.path
    if getattr(request, "htmx", False) and request.htmx.current_url_abs_path:
        target = request.htmx.current_url_abs_path
    return urlencode({"next": target})


def _duration(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return f"{days} day{'s' if days != 1 else ''}"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{seconds // 60} minutes"
