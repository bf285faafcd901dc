"""Reads that several views share: school search, and the school's pathway so far."""

import re
from dataclasses import dataclass, replace

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from .models import Hub, LocalAuthority, School, normalise_name, normalise_postcode

# GIAS "PhaseOfEducation (name)" values, offered as a filter; "Primary (any)" is the programme's.
PHASE_CHOICES = [
    ("primary", "Primary (incl. middle deemed primary and all-through)"),
    ("Nursery", "Nursery"),
    ("Primary", "Primary"),
    ("Middle deemed primary", "Middle deemed primary"),
    ("Middle deemed secondary", "Middle deemed secondary"),
    ("Secondary", "Secondary"),
    ("16 plus", "16 plus"),
    ("All-through", "All-through"),
    ("Not applicable", "Not applicable"),
]
STATUS_CHOICES = [("open", "Open (any)"), *School.Status.choices]

# A UK postcode in full or its outward part, with or without the space.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?([0-9][A-Z]{2})?$")


@dataclass(frozen=True)
class SchoolSearch:
    """What someone asked for: words, and the filters they set."""

    query: str = ""
    hub: Hub | None = None
    local_authority: LocalAuthority | None = None
    phase: str = ""
    status: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.query.strip() or self.hub or self.local_authority or self.phase or self.status
        )


def school_search(search: SchoolSearch, *, base: QuerySet | None = None) -> QuerySet:
    """Schools matching a name, URN or postcode, best match first, then by name.

    Rank: exact URN, exact postcode, name starts with the words, a word in the name starts with
    them, the name contains them. Uses the stored normalised columns, so it behaves the same on
    SQLite and PostgreSQL and "St Marys" finds "St Mary’s".
    """
    schools = (base if base is not None else School.objects.all()).select_related(
        "local_authority__hub", "hub_override"
    )
    schools = _filtered(schools, search)
    words = normalise_name(search.query)
    if not words:
        return schools.annotate(rank=Value(4, output_field=IntegerField())).order_by(
            "search_name", "urn"
        )

    compact = normalise_postcode(search.query)
    urn = int(compact) if compact.isdigit() else None
    postcode = compact if POSTCODE.match(compact) else ""

    matches = Q()
    for word in words.split():
        matches &= Q(search_name__contains=word)
    if urn is not None:
        matches |= Q(urn=urn)
    if postcode:
        matches |= Q(postcode_compact__startswith=postcode)

    ranks = []
    if urn is not None:
        ranks.append(When(urn=urn, then=Value(0)))
    if postcode:
        ranks.append(When(postcode_compact=postcode, then=Value(1)))
    ranks += [
        When(search_name__startswith=words, then=Value(2)),
        When(search_name__contains=" " + words, then=Value(3)),
    ]
    rank = Case(*ranks, default=Value(4), output_field=IntegerField())
    return schools.filter(matches).annotate(rank=rank).order_by("rank", "search_name", "urn")


def school_search_rows(schools: QuerySet) -> QuerySet:
    """What the search page's table shows of each school, as values (no model object a row):
    `hub_name` is the hub the school works with, as `School.hub` says."""
    return schools.select_related(None).values(
        "urn",
        "name",
        "is_mastery_specialist_school",
        "postcode",
        "phase_of_education",
        "status",
        local_authority_name=F("local_authority__name"),
        hub_name=Case(
            When(in_england=True, then=Coalesce("hub_override__name", "local_authority__hub__name"))
        ),
    )


def _filtered(schools: QuerySet, search: SchoolSearch) -> QuerySet:
    if search.hub:
        schools = schools.in_hub(search.hub)
    if search.local_authority:
        schools = schools.filter(local_authority=search.local_authority)
    if search.phase == "primary":
        schools = schools.primary()
    elif search.phase:
        schools = schools.filter(phase_of_education=search.phase)
    if search.status == "open":
        schools = schools.open()
    elif search.status:
        schools = schools.filter(status=search.status)
    return schools


# The pathway ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayEntry:
    """One step of a school's pathway: a participation in one phase in one academic year."""

    academic_year: str
    phase: str
    title: str  # the group's code and title, and who leads it
    status: str = ""
    note: str = ""  # e.g. why the school withdrew
    url: str = ""
    hub_id: int | None = None  # the hub whose work group it was

    def without_names(self) -> "PathwayEntry":
        """The entry as another hub's staff see it: the phase, the year and the outcome."""
        return replace(self, title="", note="", url="")


# Apps further along the chain (workgroups) add a function school -> list[PathwayEntry] here
# from their AppConfig.ready(); schools must not import them.
PATHWAY_PROVIDERS: list = []


def register_pathway_provider(provider) -> None:
    if provider not in PATHWAY_PROVIDERS:
        PATHWAY_PROVIDERS.append(provider)


def school_pathway(school: School, user=None) -> list[PathwayEntry]:
    """Every participation the school has had, oldest first, from the apps that record them;
    each links to the page of it that `user` may open, if any."""
    entries = [entry for provider in PATHWAY_PROVIDERS for entry in provider(school, user)]
    return sorted(entries, key=lambda entry: entry.academic_year)


@dataclass
class NextStep:
    """What comes next for a school in one of its work groups this year or next: the page a
    school contact lands on shows it first."""

    participation_id: int
    title: str  # the group's code and title
    phase: str
    academic_year: str
    url: str = ""  # the school's own page of its work group
    status: str = ""
    specialist: str = ""
    specialist_email: str = ""
    workshop: str = ""  # the next workshop: "Workshop 3: Tuesday 12 January 2027, 9am to 12pm"
    workshop_host: str = ""
    workshop_address: str = ""
    workshop_calendar_url: str = ""
    plan: str = ""  # the action plan's state
    plan_due: str = ""  # what is due on it next, and when
    plan_url: str = ""


# Apps further along the chain add a function (school, user, steps) -> steps here from their
# AppConfig.ready(), in the order of INSTALLED_APPS: workgroups makes the steps, action plans
# add what is due on each plan.
NEXT_STEP_PROVIDERS: list = []


def register_next_step_provider(provider) -> None:
    if provider not in NEXT_STEP_PROVIDERS:
        NEXT_STEP_PROVIDERS.append(provider)


def school_next_steps(school: School, user) -> list[NextStep]:
    """What comes next for the school in its work groups of this year and the next."""
    steps: list[NextStep] = []
    for provider in NEXT_STEP_PROVIDERS:
        steps = provider(school, user, steps)
    return steps
