"""Demo accounts: one login per role, all with the same published password, and for the staff
roles the same published authenticator secret (`manage.py demo_code` shows its current code)."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from .models import User
from .sessions import needs_second_factor

DEMO_PASSWORD = "mastery-demo-2026"
# Base32, as authenticator apps take it. Published: demo data only.
DEMO_TOTP_SECRET = "HUBPORTALDEMOSECRETFORSTAFFROLES"

# One sign-in per role: (role as shown, e-mail address, full name).
DEMO_LOGINS = {
    "staff": ("National staff", "staff@demo.hubportal.example", "Nadia Stafford"),
    "hub_lead": ("Hub lead", "lead@demo.hubportal.example", "Helen Leadbetter"),
    "specialist": ("Mastery Specialist", "specialist@demo.hubportal.example", "Sam Specialist"),
    "readiness_lead": ("Readiness Lead", "readiness@demo.hubportal.example", "Rita Ready"),
    "school_contact": ("School contact", "school@demo.hubportal.example", "Priya Patel"),
}


def demo_user(key: str) -> User:
    """The verified demo user for a DEMO_LOGINS key, signing in with DEMO_PASSWORD."""
    _, email, full_name = DEMO_LOGINS[key]
    national = key == "staff"
    user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    user.full_name = full_name
    user.is_national_staff = user.is_staff = user.is_superuser = national
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def demo_second_factors() -> list[User]:
    """Give the demo logins whose roles need a second factor the published authenticator
    secret (called once their roles are made)."""
    emails = [email for _, email, _ in DEMO_LOGINS.values()]
    given = []
    for user in User.objects.filter(email__in=emails):
        user._portal_roles = None  # read afresh: roles were given after the user was made
        if not needs_second_factor(user):
            continue
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, DEMO_TOTP_SECRET)
        given.append(user)
    return given


def demo_code(at_counter: int | None = None) -> str:
    """The demo authenticator's code now (what an authenticator app given the secret shows)."""
    counter = at_counter if at_counter is not None else int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))
