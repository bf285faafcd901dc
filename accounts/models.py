from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import tokens


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def close(self, user_ids) -> int:
        """Deactivate these accounts and take every door away: no password, no staff flags."""
        return self.filter(pk__in=user_ids).update(
            is_active=False,
            is_national_staff=False,
            is_staff=False,
            is_superuser=False,
            password=make_password(None),
        )


# Accounts that open every hub's records or the admin, whatever their roles at hubs and schools.
NATIONAL_OR_ADMIN = Q(is_national_staff=True) | Q(is_staff=True) | Q(is_superuser=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: hub staff, a school contact or national staff. No username."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_national_staff = models.BooleanField(
        "national staff",
        default=False,
        help_text="National staff: every hub's records, dashboards and the national register.",
    )
    is_staff = models.BooleanField(
        "admin access", default=False, help_text="May open the Django admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]


class InvitationQuerySet(models.QuerySet):
    def for_token(self, token: str):
        return self.filter(token_hash=tokens.hash_token(token))

    def unanswered(self):
        """Neither accepted nor declined, and not expired: the link still works."""
        return self.filter(
            accepted_at__isnull=True, declined_at__isnull=True, expires_at__gt=timezone.now()
        )

    def offers(self, grant_kind: str, **grant):
        """Invitations to existing accounts offering this grant (its data matching `grant`),
        still waiting for their answer."""
        lookups = {f"grant__{key}": value for key, value in grant.items()}
        return self.unanswered().filter(for_existing_account=True, grant_kind=grant_kind, **lookups)


class Invitation(models.Model):
    """A one-time link sent to a person, with what the invitation gives them (a grant).

    To an account nobody controls yet (new, or made by an earlier invitation not yet taken up) the
    link sets its password and signs in; the grant was given when the invitation was sent. To an
    existing account (one with a password) the link only offers the grant: its owner, signed in
    as themselves, accepts or declines it, and nothing is given before they accept.

    Only a hash of the token is stored, so a leaked database does not leak working links.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    reason = models.CharField(
        max_length=200, blank=True, help_text="Shown in the e-mail: why this person is invited."
    )
    invited_by_system = models.BooleanField(
        default=False, help_text="Sent by the portal itself (a task or command), not a person."
    )
    grant_kind = models.CharField(
        max_length=50, blank=True, help_text="What the invitation gives: a grant's name."
    )
    grant = models.JSONField(default=dict, blank=True, help_text="The grant's details.")
    for_existing_account = models.BooleanField(
        default=False,
        help_text="Sent to an account that has a password: its owner accepts the grant, "
        "signed in; the link sets no password.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user.email}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh random token and the hash that is stored for it."""
        return tokens.new_token()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None or self.declined_at is not None
