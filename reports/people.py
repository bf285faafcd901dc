"""Where a person can be found: every table that can hold someone, the fields that find them
there and the fields that hold their data. Subject access reads it, erasure and the retention
schedule overwrite what it names; a test fails when a table that could hold a person is neither
here nor in NO_PERSONAL_DATA.

A `Slot` is one way a row names a person, found by one field whose type says how it is matched:
an e-mail field by the address, a key to the account by the account, a key to school contacts by
the person's contacts, a list of people (JSON of {"name", "email"}) by the address in it, and a
name written by hand (an action's owner) by the person's names among their own schools' rows.
`data` are the fields of that row that hold the person's data: erasure overwrites them with
placeholders ("Former participant", an address nobody receives mail at), and a subject access
export shows them only to the person they belong to (another slot's data in the same row is
someone else's, and is left out).

`mentions` are free text others wrote (an e-mail's body, a change message) where the person's
full name or address may appear: found by search, and on erasure replaced by the placeholder.
"""

from dataclasses import dataclass, field
from enum import Enum

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Replace
from django.utils.html import escape

FORMER = "Former participant"
# An address no mail is delivered to (.invalid is reserved), unique with the row's key.
ERASED_DOMAIN = "invalid"


class Erase(Enum):
    SCRUB = "overwrite the person's data with placeholders"
    DELETE = "delete the row"
    KEEP = "keep: from the public register"


@dataclass(frozen=True)
class Slot:
    by: str
    data: tuple[str, ...] = ()
    erase: Erase = Erase.SCRUB
    # For a name written by hand: the path to the row's school, matched against the person's.
    within: str = ""


@dataclass(frozen=True)
class Place:
    model: str
    title: str
    slots: tuple[Slot, ...]
    # The hub a row belongs to (a path, or an expression); None: the portal's, not a hub's.
    hub: object = None
    mentions: tuple[str, ...] = ()
    # Never exported: secrets, and what only the portal can read.
    withheld: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def file_name(self) -> str:
        return self.model.replace(".", "_").lower()

    def hub_expression(self):
        return F(self.hub) if isinstance(self.hub, str) else self.hub

    @property
    def data_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for slot in self.slots for name in slot.data))


def _area(prefix: str):
    """The hub of a school (reached through `prefix`): a hub lead's choice, else its authority's."""
    return Coalesce(f"{prefix}hub_override_id", f"{prefix}local_authority__hub_id")


def _history(model: str, title: str, hub, *slots: Slot, **more) -> Place:
    """A history table: who made each change, besides what the row held then."""
    return Place(model, title, (*slots, Slot("history_user")), hub=hub, **more)


PLAN_HUB = "participation__work_group__hub_id"
PART_HUB = "plan__participation__work_group__hub_id"
OWNER = Slot("owner", data=("owner",), within="plan__participation__school_id")
HEAD_NAME = Slot("head_name", data=("head_name",), erase=Erase.KEEP, within="id")
MAIL_CONTENT = ("recipient", "body_text", "body_html", "attachments", "secret", "last_error")

PLACES = (
    Place(
        "accounts.User",
        "Account",
        (Slot("email", data=("email", "full_name")),),
        withheld=("password",),
    ),
    Place(
        "account.EmailAddress",
        "Account e-mail addresses",
        (Slot("user", erase=Erase.DELETE), Slot("email", erase=Erase.DELETE)),
    ),
    Place(
        "mfa.Authenticator",
        "Two-factor authenticators",
        (Slot("user", erase=Erase.DELETE),),
        withheld=("data",),
    ),
    Place(
        "accounts.Invitation",
        "Invitations",
        (Slot("user", erase=Erase.DELETE), Slot("invited_by")),
        withheld=("token_hash",),
    ),
    Place(
        "workgroups.CalendarFeed",
        "Calendar address",
        (Slot("user", erase=Erase.DELETE),),
        withheld=("token_hash",),
    ),
    Place(
        "notifications.NotificationPreference",
        "Notification preferences",
        (Slot("user", erase=Erase.DELETE),),
    ),
    Place(
        "notifications.Notification",
        "E-mails",
        (
            Slot("recipient", data=MAIL_CONTENT),
            Slot("user", data=MAIL_CONTENT),
            Slot("resent_by"),
        ),
        hub="hub_id",
        mentions=("subject", "body_text", "body_html"),
        withheld=("secret",),
    ),
    Place("admin.LogEntry", "Administration log", (Slot("user"),), mentions=("object_repr",)),
    Place("schools.HubStaff", "Hub roles", (Slot("user"),), hub="hub_id"),
    _history("schools.HistoricalHubStaff", "Hub roles: history", "hub_id", Slot("user")),
    Place(
        "schools.SchoolContact",
        "School contacts",
        (Slot("email", data=("name", "email")), Slot("user", data=("name", "email"))),
        hub=_area("school__"),
    ),
    Place(
        "schools.School", "Schools (headteacher, from the register)", (HEAD_NAME,), hub=_area("")
    ),
    _history("schools.HistoricalSchool", "Schools: history", _area(""), HEAD_NAME),
    _history("schools.HistoricalHub", "Hubs: history", "id"),
    _history("schools.HistoricalLocalAuthority", "Local authorities: history", "hub_id"),
    Place("schools.RegisterImport", "Register imports", (Slot("created_by"),)),
    _history("workgroups.HistoricalWorkGroup", "Work groups: history", "hub_id"),
    Place(
        "workgroups.Participation",
        "Work group places (as lead participant)",
        (Slot("lead_participants"),),
        hub="work_group__hub_id",
    ),
    _history(
        "workgroups.HistoricalParticipation", "Work group places: history", "work_group__hub_id"
    ),
    _history("workgroups.HistoricalWorkshop", "Workshops: history", "work_group__hub_id"),
    Place(
        "workgroups.Attendance",
        "Workshop attendance",
        (Slot("contact"), Slot("recorded_by")),
        hub="workshop__work_group__hub_id",
    ),
    Place("workgroups.SupportVisit", "Support visits", (Slot("recorded_by"),), hub=PLAN_HUB),
    _history(
        "workgroups.HistoricalSupportVisit",
        "Support visits: history",
        PLAN_HUB,
        Slot("recorded_by"),
    ),
    Place(
        "enrolment.ExpressionOfInterest",
        "Expressions of interest",
        (
            Slot("submitter_email", data=("submitter_name", "submitter_email", "submitter_role")),
            Slot("headteacher_email", data=("headteacher_name", "headteacher_email")),
            Slot("lead_participants", data=("lead_participants",)),
            Slot("overridden_by"),
            Slot("decided_by"),
        ),
        hub="hub_id",
    ),
    Place(
        "enrolment.ExpressionOfInterestEvent",
        "Expressions of interest: events",
        (Slot("actor"),),
        hub="expression_of_interest__hub_id",
    ),
    Place("actionplans.ActionPlan", "Action plans", (Slot("updated_by"),), hub=PLAN_HUB),
    _history(
        "actionplans.HistoricalActionPlan", "Action plans: history", PLAN_HUB, Slot("updated_by")
    ),
    _history("actionplans.HistoricalPriority", "Action plan priorities: history", PART_HUB),
    Place("actionplans.Action", "Action plan actions (as owner)", (OWNER,), hub=PART_HUB),
    _history("actionplans.HistoricalAction", "Action plan actions: history", PART_HUB, OWNER),
    Place("actionplans.Review", "Action plan reviews", (Slot("reviewer"),), hub=PART_HUB),
    Place(
        "actionplans.Comment",
        "Action plan comments",
        (Slot("author", data=("body",)),),
        hub=PART_HUB,
        mentions=("body",),
    ),
)

# Tables with an e-mail field, a key to the account or a name field that hold nobody's
# personal data, and why.
NO_PERSONAL_DATA = {
    "auth.Group": "a permission group's name",
    "auth.Permission": "a permission's name",
    "schools.Hub": "the hub's name and its office's shared address, an organisation's",
    "schools.LocalAuthority": "a local authority's name, from the public register",
    "django_celery_beat.PeriodicTask": "a scheduled task's name",
    "reports.SubjectAccessRequest": "who asked (staff at work); the address only until built",
    "reports.Erasure": "who erased (staff at work); the person only as a keyed hash",
}

PLACE_BY_MODEL = {place.model: place for place in PLACES}


# Finding a person ---------------------------------------------------------------------------


@dataclass
class Person:
    """Everything that identifies one person, gathered from their address."""

    email: str
    user_ids: set[int] = field(default_factory=set)
    contact_ids: set[int] = field(default_factory=set)
    school_ids: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    @property
    def full_names(self) -> set[str]:
        """Names of two words or more: specific enough to look for in others' writing."""
        return {name for name in self.names if len(name.split()) > 1}

    @property
    def searched(self) -> set[str]:
        return self.full_names | {self.email}


def find_person(email: str) -> Person:
    """The account, contacts, schools and names that go with an address."""
    from enrolment.models import ExpressionOfInterest
    from schools.models import SchoolContact

    email = email.strip().lower()
    person = Person(email=email)
    users = apps.get_model(settings.AUTH_USER_MODEL).objects.filter(email__iexact=email)
    for pk, full_name in users.values_list("pk", "full_name"):
        person.user_ids.add(pk)
        person.names.add(full_name)
    contacts = SchoolContact.objects.filter(Q(email__iexact=email) | Q(user__in=person.user_ids))
    for pk, school_id, name in contacts.values_list("pk", "school_id", "name"):
        person.contact_ids.add(pk)
        person.school_ids.add(school_id)
        person.names.add(name)
    interests = ExpressionOfInterest.objects.filter(
        Q(submitter_email__iexact=email)
        | Q(headteacher_email__iexact=email)
        | Q(lead_participants__icontains=email)
    )
    for interest in interests.only(
        "school_id", "submitter_email", "submitter_name", "headteacher_email", "headteacher_name"
    ):
        person.school_ids.add(interest.school_id)
        for name, address in (
            (interest.submitter_name, interest.submitter_email),
            (interest.headteacher_name, interest.headteacher_email),
            *((p.name, p.email) for p in interest.lead_people),
        ):
            if address.lower() == email:
                person.names.add(name)
    person.names = {name.strip() for name in person.names if name.strip()} - {FORMER}
    return person


def _slot_field(model, slot: Slot):
    return model._meta.get_field(slot.by)


def finds_account(model, slot: Slot) -> bool:
    found = _slot_field(model, slot)
    return found.is_relation and found.related_model._meta.label == settings.AUTH_USER_MODEL


def slot_filter(model, slot: Slot, person: Person) -> Q:
    """The rows where this slot names the person."""
    found = _slot_field(model, slot)
    if finds_account(model, slot):
        return Q(**{f"{slot.by}__in": person.user_ids})
    if found.is_relation:  # school contacts
        return Q(**{f"{slot.by}__in": person.contact_ids})
    if isinstance(found, models.EmailField):
        return Q(**{f"{slot.by}__iexact": person.email})
    if isinstance(found, models.JSONField):
        # Narrowed by text here, exactly by `is_entry_of` in `find`.
        return Q(**{f"{slot.by}__icontains": person.email})
    names = Q()
    for name in person.names:
        names |= Q(**{f"{slot.by}__iexact": name})
    return names & Q(**{f"{slot.within}__in": person.school_ids}) if names else Q(pk__in=[])


def mentions_filter(place: Place, person: Person) -> Q:
    found = Q(pk__in=[])
    for name in place.mentions:
        for text in person.searched:
            found |= Q(**{f"{name}__icontains": text})
    return found


def in_hub(queryset, place: Place, hub_id: int | None):
    """The rows of `place` that belong to the hub; all of them for None (national staff)."""
    if hub_id is None:
        return queryset
    if place.hub is None:
        return queryset.none()
    return queryset.alias(_hub=place.hub_expression()).filter(_hub=hub_id)


def is_people_list(model, slot: Slot) -> bool:
    return isinstance(_slot_field(model, slot), models.JSONField)


def is_entry_of(entry: dict, email: str) -> bool:
    """Whether one {"name", "email"} of a list of people is the person's."""
    return str(entry.get("email", "")).lower() == email


@dataclass
class Found:
    """The rows of one place that hold the person, and which of its slots name them."""

    place: Place
    slots: dict[Slot, set[int]]
    mentioned: set[int]

    @property
    def pks(self) -> set[int]:
        return set().union(self.mentioned, *self.slots.values())


def find(place: Place, person: Person, hub_id: int | None = None) -> Found:
    """Where in `place` the person is (within the hub, for a hub lead)."""
    model = place.model_class
    rows = in_hub(model._default_manager.all(), place, hub_id)
    slots = {}
    for slot in place.slots:
        matching = rows.filter(slot_filter(model, slot, person))
        if is_people_list(model, slot):
            pks = {
                pk
                for pk, entries in matching.values_list("pk", slot.by)
                if any(is_entry_of(entry, person.email) for entry in entries or [])
            }
        else:
            pks = set(matching.values_list("pk", flat=True))
        slots[slot] = pks
    mentioned = set()
    if place.mentions and person.searched:
        mentioned = set(rows.filter(mentions_filter(place, person)).values_list("pk", flat=True))
    return Found(place, slots, mentioned)


def hubs_of(person: Person) -> set[int]:
    """Every hub whose records hold the person."""
    hubs = set()
    for place in PLACES:
        if place.hub is None:
            continue
        pks = find(place, person).pks
        if pks:
            rows = place.model_class._default_manager.filter(pk__in=pks)
            hubs |= set(rows.annotate(_hub=place.hub_expression()).values_list("_hub", flat=True))
    return hubs - {None}


# Overwriting a person's data ----------------------------------------------------------------


def placeholder(model, name: str):
    """What a personal field becomes: "Former participant" for a name, an address nobody
    receives mail at (unique with the row's key) for an e-mail field, empty for the rest."""
    model_field = model._meta.get_field(name)
    if isinstance(model_field, models.EmailField):
        return Concat(
            Value("erased-"),
            Cast("pk", CharField()),
            Value(f"@{ERASED_DOMAIN}"),
            output_field=CharField(),
        )
    if name.endswith("name") or name == "owner":
        return FORMER
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    return ""


def scrub(model, pks, names, email: str | None = None) -> None:
    """Overwrite the fields `names` of the rows `pks` with placeholders. A list of people is
    rewritten entry by entry: only `email`'s entries, or every one when no address is given."""
    lists = [n for n in names if n == "lead_participants"]
    plain = {n: placeholder(model, n) for n in names if n not in lists}
    rows = model._default_manager.filter(pk__in=pks)
    if plain:
        rows.update(**plain)
    for name in lists:
        for pk, entries in rows.values_list("pk", name):
            rows.filter(pk=pk).update(**{name: [_erased_entry(p, email) for p in entries or []]})


def _erased_entry(entry: dict, email: str | None) -> dict:
    if email is None or is_entry_of(entry, email):
        return {"name": FORMER, "email": ""}
    return entry


def replace_mentions(model, pks, names, person: Person) -> None:
    """Replace the person's full names and address in others' writing by the placeholder."""
    rows = model._default_manager.filter(pk__in=pks)
    for text in sorted(person.searched, key=len, reverse=True):
        for variant in {text, escape(text)}:
            rows.update(**{name: Replace(name, Value(variant), Value(FORMER)) for name in names})


def erased_account(prefix: str = "") -> Q:
    """Accounts already anonymised: their address is at the placeholder's domain."""
    return Q(**{f"{prefix}email__endswith": f"@{ERASED_DOMAIN}"})
