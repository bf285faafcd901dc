"""Hubs, local authorities, schools from the national register (GIAS) and who is who.

The facts of who may see what live here: a person's hub staff roles and school contacts.
"""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from core.roles import roles_for


def normalise_name(value: str) -> str:
    """Lower-case, accents and apostrophes removed, spaces collapsed: "St Mary’s" → "st marys"."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"['’‘`´]", "", plain.lower())
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return plain.strip()


def normalise_postcode(value: str) -> str:
    """Upper-case with no spaces: "sw1a 1aa" → "SW1A1AA"."""
    return re.sub(r"\s+", "", value or "").upper()


class HubQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National staff see every hub; hub staff the hubs they work for."""
        roles = roles_for(user)
        if roles.everywhere:
            return self
        return self.filter(pk__in=roles.hub_ids)


class Hub(models.Model):
    """A Maths Hub: it runs work groups for the schools of the local authorities it serves."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    contact_email = models.EmailField(blank=True)
    project_code_suffix = models.CharField(
        max_length=10, blank=True, help_text="Added to national project codes, e.g. NCP25-11-XX."
    )

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LocalAuthority(models.Model):
    """A local authority as the national register (GIAS) codes it; served by one hub."""

    code = models.CharField("GIAS code", max_length=10, unique=True)
    name = models.CharField(max_length=150)
    hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_authorities",
        help_text="The hub whose area this local authority is in.",
    )
    in_england = models.BooleanField(
        default=True, help_text="Welsh and overseas authorities are in no hub's area."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self):
        return f"{self.name} ({self.code})"


def area_hub(prefix: str = ""):
    """The hub whose area a school (reached through `prefix`) is in: the hub a hub lead chose
    for it, else its local authority's."""
    return Coalesce(f"{prefix}hub_override_id", f"{prefix}local_authority__hub_id")


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National and hub staff see the whole register; a school contact only their schools."""
        roles = roles_for(user)
        if roles.everywhere or roles.is_hub_staff:
            return self
        return self.filter(pk__in=roles.contact_school_ids)

    def in_hub(self, hub):
        """Schools in the hub's area: by local authority, unless a hub lead set another hub."""
        return self.filter(
            Q(hub_override=hub) | Q(hub_override__isnull=True, local_authority__hub=hub),
            in_england=True,
        )

    def open(self):
        return self.exclude(status=School.Status.CLOSED)

    def primary(self):
        return self.filter(phase_of_education__in=School.PRIMARY_PHASES)


class School(models.Model):
    """An establishment from the national register, identified by its URN."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        OPEN_PROPOSED_TO_CLOSE = "open_proposed_to_close", "Open, but proposed to close"
        PROPOSED_TO_OPEN = "proposed_to_open", "Proposed to open"

    # GIAS "PhaseOfEducation (name)" values that count as primary for the programme.
    PRIMARY_PHASES = ("Primary", "Middle deemed primary", "All-through")

    urn = models.PositiveIntegerField("URN", unique=True)
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="schools"
    )
    hub_override = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools_moved_in",
        help_text="Set only when the school works with a hub other than its local authority's.",
    )
    in_england = models.BooleanField(
        default=True, help_text="Welsh establishments and schools outside England are in no hub."
    )
    establishment_type = models.CharField(max_length=100, blank=True)
    establishment_type_group = models.CharField(max_length=100, blank=True)
    phase_of_education = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.OPEN)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    street = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    postcode_compact = models.CharField(max_length=10, blank=True, db_index=True, editable=False)
    head_name = models.CharField("headteacher's name", max_length=200, blank=True)
    telephone = models.CharField(max_length=30, blank=True)
    website = models.CharField(max_length=300, blank=True)
    trust_name = models.CharField(max_length=200, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    register_last_changed = models.DateField(null=True, blank=True)
    is_mastery_specialist_school = models.BooleanField(
        "Mastery Specialist school",
        default=False,
        help_text="A Mastery Specialist teaches here; such schools may join Sustaining directly.",
    )

    objects = SchoolQuerySet.as_manager()
    # Records changes made by people (hub, Mastery Specialist flag); the register import writes
    # in bulk, bypassing this, and keeps its own account of what changed in RegisterImport.
    history = HistoricalRecords(excluded_fields=["search_name", "postcode_compact"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.urn})"

    def save(self, *args, **kwargs):
        # Search columns are a pure function of their source columns, kept beside them so that
        # search is one indexed lookup on both SQLite and PostgreSQL.
        self.search_name = normalise_name(self.name)
        self.postcode_compact = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def hub(self):
        if not self.in_england:
            return None
        return self.hub_override or self.local_authority.hub

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_primary(self) -> bool:
        return self.phase_of_education in self.PRIMARY_PHASES

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.town, self.postcode) if part)


class HubStaff(models.Model):
    """A person's role at a hub: hub lead, Mastery Specialist or Readiness Lead."""

    class Role(models.TextChoices):
        HUB_LEAD = "hub_lead", "Hub lead"
        MASTERY_SPECIALIST = "mastery_specialist", "Mastery Specialist"
        READINESS_LEAD = "readiness_lead", "Readiness Lead"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_roles"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hub_staff",
        help_text="The specialist's own school, where the first workshop is hosted.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["hub", "role", "user__email"]
        verbose_name_plural = "hub staff"
        constraints = [
            models.UniqueConstraint(fields=["user", "hub", "role"], name="unique_hub_staff_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.hub}"


class SchoolContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Hub staff see the contacts of their hub's schools; contacts see their own school's."""
        roles = roles_for(user)
        if roles.everywhere:
            return self
        hub_ids = roles.hub_ids
        return self.filter(
            Q(school__hub_override_id__in=hub_ids)
            | Q(school__hub_override__isnull=True, school__local_authority__hub_id__in=hub_ids)
            | Q(school_id__in=roles.contact_school_ids)
        )


class SchoolContact(models.Model):
    """A person at a school the hub deals with; may have an account to sign in."""

    class Role(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher"
        LEAD_PARTICIPANT = "lead_participant", "Lead participant / maths subject leader"
        LEAD_TEACHER = "lead_teacher", "Lead teacher"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=30, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school_contacts",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchoolContactQuerySet.as_manager()

    class Meta:
        ordering = ["school", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "email"], name="unique_school_contact_email")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()}, {self.school.name})"


class RegisterImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """National staff see every import whole; a hub lead sees every import, of which the
        pages show only what it changed in the lead's area."""
        roles = roles_for(user)
        if roles.everywhere or roles.is_hub_lead:
            return self
        return self.none()


class RegisterImport(models.Model):
    """One load of a GIAS extract: the file, who loaded it, and what it changed."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file = models.FileField(upload_to="register_imports/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    dry_run = models.BooleanField(
        default=False, help_text="Check the file and report what would change, writing nothing."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text="Schools new, closed, renamed or moved since before."
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="Rows skipped, each with its line number and why."
    )
    error = models.TextField(blank=True, help_text="Why the whole file was refused, if it was.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_imports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RegisterImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name or 'Register import'} ({self.created_at:%d %b %Y %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class HubArea(models.Model):
    """A hub's area counted: its open primary schools, as the register says today.

    A summary for the national view, kept by the receiver of `register_changed` (sent by the
    services that move schools between hubs and by the register import, in their transaction);
    `rebuild_summaries` makes it again.
    """

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, primary_key=True, related_name="+")
    open_primary = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hub_id}: {self.open_primary} open primary schools"
