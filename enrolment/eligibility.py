"""Who may join which phase: the programme's rules as data, and one pure function that applies them.

Nothing here reads or writes the database: `assess()` takes plain facts (the school, the phase,
the year, the hub asked, the school's history, the answers given) and returns an outcome with its
reasons in plain English. `enrolment.selectors` gathers the facts; `enrolment.services` records
the result. A new rule is one `Rule` entry in RULES; a new phase is one entry in COMMITMENTS
(and, if it has an entry condition, one rule).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from core.formatting import academic_year_name
from schools.models import School
from workgroups.programme import PHASES, Phase


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    NEEDS_REVIEW = "needs_review", "Needs review"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"


# What each phase asks a school to commit to, from the programme's public pages. Each is one
# checkbox on the expression of interest form; the key is what is stored.
@dataclass(frozen=True)
class Commitment:
    key: str
    text: str


COMMITMENTS: dict[str, tuple[Commitment, ...]] = {
    Phase.READINESS: (
        Commitment(
            "headteacher_support",
            "The headteacher supports the school's work with the hub's Mastery Readiness Lead.",
        ),
        Commitment(
            "five_key_areas",
            "The lead participant works with the Readiness Lead through the year on the five "
            "key areas (vision and culture, mathematical mindsets, subject expertise, school "
            "systems and arithmetical proficiency).",
        ),
        Commitment("workshops", "The lead participant attends the group's workshops."),
    ),
    Phase.DEVELOPMENT: (
        Commitment(
            "headteacher_support",
            "The headteacher supports the lead teachers and meets the Mastery Specialist and "
            "the hub's leadership.",
        ),
        Commitment(
            "release_time",
            "The two lead teachers are released for at least ten (combined) days for "
            "development work, including the meetings.",
        ),
        Commitment(
            "half_termly_meetings",
            "The lead teachers attend every half-termly Work Group meeting (six half days).",
        ),
        Commitment(
            "termly_visits",
            "The school welcomes a termly support visit from the Mastery Specialist.",
        ),
        Commitment(
            "reports_and_evaluation",
            "The school provides the reports the hub asks for and takes part in its evaluation.",
        ),
    ),
    Phase.EMBEDDING: (
        Commitment(
            "headteacher_support",
            "School and subject leadership support the continued work on teaching for mastery.",
        ),
        Commitment("workshops", "The lead participant attends the group's workshops."),
        Commitment(
            "collaboration", "The school keeps collaborating with the other schools in its group."
        ),
    ),
    Phase.SUSTAINING: (
        Commitment(
            "headteacher_support",
            "School and subject leadership are strongly committed to sustaining a teaching for "
            "mastery approach.",
        ),
        Commitment("all_workshops", "The lead participant attends all six half-day workshops."),
        Commitment("action_plan", "The school writes an action plan and refines it over the year."),
        Commitment(
            "hosting", "The school hosts a workshop or a Teacher Research Group session when asked."
        ),
    ),
}

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}

# The facts a decision is made from -------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFacts:
    urn: int
    name: str
    # One of School.Status: the register's establishment status.
    status: str
    phase_of_education: str
    hub_id: int | None
    hub_name: str
    is_mastery_specialist_school: bool = False

    @property
    def is_open(self) -> bool:
        return self.status != School.Status.CLOSED

    @property
    def is_primary(self) -> bool:
        return self.phase_of_education in School.PRIMARY_PHASES


@dataclass(frozen=True)
class HubFacts:
    id: int
    name: str


@dataclass(frozen=True)
class PhaseYear:
    """What a school's participation or expression of interest is for: a phase in a year."""

    phase: str
    start_year: int

    def is_for(self, phase: str, start_year: int) -> bool:
        return self.phase == phase and self.start_year == start_year


@dataclass(frozen=True)
class PastParticipation(PhaseYear):
    completed: bool
    withdrawn: bool = False


@dataclass(frozen=True)
class OtherInterest(PhaseYear):
    reference: str
    is_live: bool = True


@dataclass(frozen=True)
class History:
    participations: tuple[PastParticipation, ...] = ()
    interests: tuple[OtherInterest, ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Answers:
    headteacher: Person | None = None
    lead_participants: tuple[Person, ...] = ()
    commitments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    school: SchoolFacts | None
    phase: str
    year: int
    hub: HubFacts
    history: History = field(default_factory=History)
    answers: Answers = field(default_factory=Answers)

    @property
    def phase_name(self) -> str:
        return PHASES[self.phase].name

    def taken_part(self, phase: str, *, same_year_counts: bool = False):
        """The most recent participation in `phase` before this year (not withdrawn), if any."""
        found = [
            p
            for p in self.history.participations
            if p.phase == phase
            and not p.withdrawn
            and (p.start_year < self.year or (same_year_counts and p.start_year == self.year))
        ]
        return max(found, key=lambda p: p.start_year, default=None)

    def this_phase_and_year(self, records: Iterable[PhaseYear]) -> PhaseYear | None:
        """The first of `records` for this case's phase and year, if any."""
        return next((r for r in records if r.is_for(self.phase, self.year)), None)

    def latest(self, *participations: PastParticipation | None) -> PastParticipation | None:
        """The most recent of `participations` (the later phase first in the same year)."""
        found = [p for p in participations if p]
        return max(found, key=lambda p: (p.start_year, PHASES[p.phase].order), default=None)

    def did(self, participation: PastParticipation) -> str:
        verb = "completed" if participation.completed else "is taking part in"
        year = academic_year_name(participation.start_year)
        return f"{verb} {PHASES[participation.phase].name} in {year}"


# The rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One condition of the programme: `problem` says in plain English why a case fails it."""

    code: str
    asks: str
    problem: Callable[[Case], str | None]
    phases: frozenset[str] = frozenset(Phase.values)
    fails_as: Outcome = Outcome.NOT_ELIGIBLE
    # When failing it means the school belongs in another phase, the e-mail says which.
    points_to_another_phase: bool = False
    # When it fails, the rules after it cannot be judged (there is no school to judge).
    stops: bool = False
    # Judged from the register alone, so the form can refuse the school before anything is saved.
    from_register: bool = False


def _in_register(case: Case) -> str | None:
    if case.school is None:
        return (
            "We cannot find this school in the register of schools in England (Get Information "
            "about Schools)."
        )
    return None


# The register's four establishment statuses: Open passes all three rules below; Closed and
# Proposed to open fail one each (not eligible); Open, but proposed to close fails one (review).
# The portal does not import the register's links between schools, so a closed school's successor
# cannot be named: the school is told how to find it.


def _open(case: Case) -> str | None:
    if case.school.status == School.Status.CLOSED:
        return (
            f"{case.school.name} is closed in the register of schools. If it has become an "
            "academy or joined another school, it has a new URN: search for it by its new name "
            "or URN and express an interest under that URN."
        )
    return None


def _opened(case: Case) -> str | None:
    if case.school.status == School.Status.PROPOSED_TO_OPEN:
        return (
            f"{case.school.name} is not open yet: the register of schools lists it as proposed "
            "to open, and its URN may still change before it opens. A school becoming an "
            "academy should express an interest under its current URN; a new school can "
            "express an interest once it has opened."
        )
    return None


def _not_closing(case: Case) -> str | None:
    if case.school.status == School.Status.OPEN_PROPOSED_TO_CLOSE:
        return (
            f"{case.school.name} is open but proposed to close in the register of schools, and "
            f"a work group lasts the whole school year; {case.hub.name} will ask the school "
            "whether it will stay open for the year, or is becoming an academy or joining "
            "another school, before going further."
        )
    return None


def _primary(case: Case) -> str | None:
    if not case.school.is_primary:
        recorded = case.school.phase_of_education or "not recorded"
        return (
            f"{case.school.name} is not a primary school in the register (its phase is "
            f"{recorded}); work groups are for primary, middle deemed primary and all-through "
            "schools."
        )
    return None


def _in_hub_area(case: Case) -> str | None:
    school = case.school
    if school.hub_id is None:
        return (
            f"{school.name} is not in any Maths Hub's area in England; {case.hub.name} will "
            "check whether it can take part."
        )
    if school.hub_id != case.hub.id:
        return (
            f"{school.name} is in the area of {school.hub_name}, not {case.hub.name}; the hub "
            f"will check with {school.hub_name} before going further."
        )
    return None


def _no_other_interest(case: Case) -> str | None:
    live = (other for other in case.history.interests if other.is_live)
    if other := case.this_phase_and_year(live):
        return (
            f"{case.school.name} already has an expression of interest in {case.phase_name} "
            f"for {academic_year_name(case.year)} ({other.reference})."
        )
    return None


def _no_place_this_year(case: Case) -> str | None:
    if case.this_phase_and_year(p for p in case.history.participations if not p.withdrawn):
        return (
            f"{case.school.name} already has a place in a {case.phase_name} work group in "
            f"{academic_year_name(case.year)}."
        )
    return None


# A school's pathway (the programme's pages): an optional Readiness year, then Development once,
# Embedding once, then Sustaining year after year. "Taken part" counts a completed phase and one
# still under way from an earlier year; a place this year is `no_place_this_year`'s to judge,
# except that a later phase this year already puts a school past an earlier one.


def _not_past_readiness(case: Case) -> str | None:
    latest = case.latest(
        *(
            case.taken_part(phase, same_year_counts=True)
            for phase in (Phase.DEVELOPMENT, Phase.EMBEDDING, Phase.SUSTAINING)
        )
    )
    if latest:
        return (
            "Readiness is for schools that have not yet started the main programme; "
            f"{case.school.name} {case.did(latest)}."
        )
    return None


def _readiness_once(case: Case) -> str | None:
    done = case.taken_part(Phase.READINESS)
    if done:
        return (
            f"{case.school.name} {case.did(done)}. Readiness is a preparatory year before "
            f"Development, so {case.hub.name} will decide whether another year of Readiness or "
            "a place in Development suits the school better."
        )
    return None


def _not_done_development(case: Case) -> str | None:
    later = case.latest(
        case.taken_part(Phase.EMBEDDING, same_year_counts=True),
        case.taken_part(Phase.SUSTAINING, same_year_counts=True),
    )
    if later:
        return (
            f"Development comes before Embedding and Sustaining; {case.school.name} "
            f"{case.did(later)}, so it does not need Development."
        )
    done = case.taken_part(Phase.DEVELOPMENT)
    if done:
        return (
            f"{case.school.name} {case.did(done)}, so it does not need the Development phase again."
        )
    return None


def _done_development(case: Case) -> str | None:
    if not case.taken_part(Phase.DEVELOPMENT):
        return (
            "Embedding is for schools that have completed Development; "
            f"{case.school.name} has not taken part in Development."
        )
    return None


def _not_done_embedding(case: Case) -> str | None:
    sustaining = case.taken_part(Phase.SUSTAINING, same_year_counts=True)
    if sustaining:
        return (
            f"Embedding comes before Sustaining; {case.school.name} {case.did(sustaining)}, and "
            "a school in Sustaining carries on in it year after year."
        )
    done = case.taken_part(Phase.EMBEDDING)
    if done:
        return (
            f"{case.school.name} {case.did(done)}; after Embedding a school goes on to "
            "Sustaining, which it can join year after year."
        )
    return None


def _ready_to_sustain(case: Case) -> str | None:
    if case.school.is_mastery_specialist_school:
        return None
    # Sustaining is joined year after year, so a year of it counts as much as the phases before.
    if any(
        case.taken_part(phase) for phase in (Phase.DEVELOPMENT, Phase.EMBEDDING, Phase.SUSTAINING)
    ):
        return None
    return (
        "Sustaining is for schools that have taken part in Development, Embedding or Sustaining "
        f"before, and for Mastery Specialist schools; {case.school.name} is neither."
    )


def _headteacher(case: Case) -> str | None:
    head = case.answers.headteacher
    if head is None or not (head.name.strip() and head.email.strip()):
        return "The headteacher's name and e-mail address are needed."
    return None


def _lead_participants(case: Case) -> str | None:
    facts = PHASES[case.phase]
    wanted = facts.lead_participants_per_school
    given = sum(1 for p in case.answers.lead_participants if p.name.strip() and p.email.strip())
    if given >= wanted:
        return None
    if wanted == 1:
        return (
            f"{case.phase_name} needs a {facts.lead_participant_title} with a name and e-mail "
            "address; none was given."
        )
    titles = facts.lead_participant_title.split(" (")[0] + "s"
    return (
        f"{case.phase_name} needs {NUMBER_WORDS.get(wanted, wanted)} {titles}, each with a name "
        f"and e-mail address; {given} {'was' if given == 1 else 'were'} given."
    )


def _commitments(case: Case) -> str | None:
    missing = [c.text for c in COMMITMENTS[case.phase] if c.key not in case.answers.commitments]
    if missing:
        return "The school has not agreed to: " + " ".join(missing)
    return None


RULES: tuple[Rule, ...] = (
    Rule(
        "in_register",
        "The school is in the register of schools.",
        _in_register,
        stops=True,
        from_register=True,
    ),
    Rule("open", "The school is not closed.", _open, from_register=True),
    Rule(
        "opened",
        "The school has opened (it is not only proposed to open).",
        _opened,
        from_register=True,
    ),
    Rule(
        "not_closing",
        "The school is not proposed to close.",
        _not_closing,
        fails_as=Outcome.NEEDS_REVIEW,
        from_register=True,
    ),
    Rule("primary", "The school is a primary school.", _primary, from_register=True),
    Rule(
        "in_hub_area",
        "The school is in this hub's area.",
        _in_hub_area,
        fails_as=Outcome.NEEDS_REVIEW,
    ),
    Rule(
        "no_other_interest",
        "No other live expression of interest in the same phase and year.",
        _no_other_interest,
    ),
    Rule(
        "no_place_this_year",
        "No place in a work group of the same phase that year.",
        _no_place_this_year,
    ),
    Rule(
        "not_past_readiness",
        "Readiness: the school has not yet started Development or later.",
        _not_past_readiness,
        phases=frozenset({Phase.READINESS}),
        points_to_another_phase=True,
    ),
    Rule(
        "readiness_once",
        "Readiness: the school has not already had a Readiness year.",
        _readiness_once,
        phases=frozenset({Phase.READINESS}),
        fails_as=Outcome.NEEDS_REVIEW,
        points_to_another_phase=True,
    ),
    Rule(
        "not_done_development",
        "Development: the school has not already taken part in Development or a later phase.",
        _not_done_development,
        phases=frozenset({Phase.DEVELOPMENT}),
        points_to_another_phase=True,
    ),
    Rule(
        "done_development",
        "Embedding: the school has completed Development.",
        _done_development,
        phases=frozenset({Phase.EMBEDDING}),
        points_to_another_phase=True,
    ),
    Rule(
        "not_done_embedding",
        "Embedding: the school has not already taken part in Embedding or Sustaining.",
        _not_done_embedding,
        phases=frozenset({Phase.EMBEDDING}),
        points_to_another_phase=True,
    ),
    Rule(
        "ready_to_sustain",
        "Sustaining: the school has taken part in Development, Embedding or Sustaining, or is a "
        "Mastery Specialist school.",
        _ready_to_sustain,
        phases=frozenset({Phase.SUSTAINING}),
        points_to_another_phase=True,
    ),
    Rule("headteacher", "The headteacher is named, with an e-mail address.", _headteacher),
    Rule(
        "lead_participants",
        "The lead participants the phase asks for are named, with e-mail addresses.",
        _lead_participants,
    ),
    Rule("commitments", "Every commitment the phase asks for is agreed.", _commitments),
)


# The decision --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    reasons: tuple[str, ...]
    failed: tuple[str, ...] = ()
    # Where the school fits instead, for the e-mail: another phase, or its own hub.
    instead_phase: str = ""
    instead_hub: str = ""


def fitting_phase(case: Case) -> str:
    """The phase the school's history points to: the next step on its pathway."""
    school = case.school
    if (
        school.is_mastery_specialist_school
        or case.taken_part(Phase.EMBEDDING)
        or case.taken_part(Phase.SUSTAINING)
    ):
        return Phase.SUSTAINING
    if case.taken_part(Phase.DEVELOPMENT):
        return Phase.EMBEDDING
    return Phase.DEVELOPMENT


def assess(case: Case) -> Assessment:
    """Apply every rule for the case's phase; the worst failure decides the outcome."""
    reasons, failed = [], []
    outcome = Outcome.ELIGIBLE
    instead_phase = instead_hub = ""
    for rule in RULES:
        if case.phase not in rule.phases:
            continue
        problem = rule.problem(case)
        if problem is None:
            continue
        reasons.append(problem)
        failed.append(rule.code)
        if rule.fails_as == Outcome.NOT_ELIGIBLE or outcome == Outcome.ELIGIBLE:
            outcome = rule.fails_as
        if rule.points_to_another_phase:
            instead_phase = fitting_phase(case)
        if rule.code == "in_hub_area":
            instead_hub = case.school.hub_name
        if rule.stops:
            break
    if not reasons:
        reasons.append(
            f"{case.school.name} meets every condition for {case.phase_name} in "
            f"{academic_year_name(case.year)}."
        )
    return Assessment(
        outcome=outcome,
        reasons=tuple(reasons),
        failed=tuple(failed),
        instead_phase=instead_phase,
        instead_hub=instead_hub,
    )


def register_problems(school: SchoolFacts | None) -> list[str]:
    """What stops any school joining at all, judged from the register alone (not in it, closed,
    not yet open, not primary). A school proposed to close is not refused: the hub reviews it."""
    case = Case(school=school, phase=Phase.DEVELOPMENT, year=0, hub=HubFacts(id=0, name=""))
    problems = []
    refusing = (r for r in RULES if r.from_register and r.fails_as == Outcome.NOT_ELIGIBLE)
    for rule in refusing:
        problem = rule.problem(case)
        if problem:
            problems.append(problem)
            if rule.stops:
                break
    return problems
