"""Demo accounts: one login per role, all with the same published password."""

from allauth.account.models import EmailAddress

from .models import User

DEMO_PASSWORD = "mastery-demo-2026"

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
