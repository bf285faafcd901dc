"""The programme's facts, in one declarative place.

Everything the portal knows about the Primary Teaching for Mastery pathway comes from the public
programme pages (see the README): the phases in pathway order and what each asks of a school.
A new phase or a changed fact is one entry here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models


class Phase(models.TextChoices):
    """The phases of the pathway; the order here is the pathway order."""

    READINESS = "readiness", "Readiness"
    DEVELOPMENT = "development", "Development"
    EMBEDDING = "embedding", "Embedding"
    SUSTAINING = "sustaining", "Sustaining"


@dataclass(frozen=True)
class PhaseFacts:
    phase: Phase
    who_for: str
    what_is_involved: str
    lead_participants_per_school: int
    lead_participant_title: str
    workshops_per_year: int = 6
    termly_support_visits: bool = False
    grant: Decimal = Decimal("0")
    release_days: int = 0
    led_by_readiness_lead: bool = False

    @property
    def name(self) -> str:
        return self.phase.label

    @property
    def order(self) -> int:
        return list(Phase).index(self.phase)


PHASES: dict[str, PhaseFacts] = {
    Phase.READINESS: PhaseFacts(
        phase=Phase.READINESS,
        who_for=(
            "Schools not yet ready to join the Development phase, identified by the hub as "
            "suitable for this optional preparatory phase."
        ),
        what_is_involved=(
            "The hub's Mastery Readiness Lead supports the school to strengthen five key areas: "
            "vision and culture underpinning maths learning, mathematical mindsets, subject "
            "expertise, school systems and arithmetical proficiency."
        ),
        lead_participants_per_school=1,
        lead_participant_title="lead participant",
        led_by_readiness_lead=True,
    ),
    Phase.DEVELOPMENT: PhaseFacts(
        phase=Phase.DEVELOPMENT,
        who_for=(
            "Primary schools committed to developing a teaching for mastery approach, with the "
            "capacity for significant development work during the year."
        ),
        what_is_involved=(
            "Two lead teachers from each of six or seven schools meet every half term (six "
            "half-day Teacher Research Group meetings) with the Mastery Specialist; each school "
            "gets a termly support visit; the headteacher works with the specialist and the "
            "hub's leadership; £1000 grant towards ten combined days of release time."
        ),
        lead_participants_per_school=2,
        lead_participant_title="lead teacher",
        termly_support_visits=True,
        grant=Decimal("1000"),
        release_days=10,
    ),
    Phase.EMBEDDING: PhaseFacts(
        phase=Phase.EMBEDDING,
        who_for="Schools that have completed the Development phase.",
        what_is_involved=(
            "Continued small-group collaboration with Development colleagues, focusing on "
            "systems and culture to support mastery, subject knowledge, lesson design and "
            "support for school and subject leadership."
        ),
        lead_participants_per_school=1,
        lead_participant_title="lead participant",
    ),
    Phase.SUSTAINING: PhaseFacts(
        phase=Phase.SUSTAINING,
        who_for=(
            "Schools that have completed Development or Embedding, and Mastery Specialist "
            "schools, with strong commitment from school and subject leadership."
        ),
        what_is_involved=(
            "Six half-day workshops over the year, hosted in different schools (the first at "
            "the specialist's school), with a leadership focus, collaborative planning and "
            "subject knowledge development; the lead participant, normally the maths subject "
            "leader, attends all six; every school writes an action plan refined over the year."
        ),
        lead_participants_per_school=1,
        lead_participant_title="lead participant (normally the maths subject leader)",
    ),
}


def facts(phase: str) -> PhaseFacts:
    return PHASES[phase]


class Term(models.TextChoices):
    """School terms, each two half-terms: support visits are termly."""

    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


# Half-term number (1–6) → its term.
TERM_OF_HALF_TERM = {
    1: Term.AUTUMN,
    2: Term.AUTUMN,
    3: Term.SPRING,
    4: Term.SPRING,
    5: Term.SUMMER,
    6: Term.SUMMER,
}

# Term → its first and last half-term.
HALF_TERMS_OF_TERM = {Term.AUTUMN: (1, 2), Term.SPRING: (3, 4), Term.SUMMER: (5, 6)}

# Typical English half-term dates as ((month, day), (month, day)); a new academic year starts
# with these and staff adjust them to the local authority's calendar.
TYPICAL_HALF_TERMS = {
    1: ((9, 1), (10, 23)),
    2: ((11, 2), (12, 18)),
    3: ((1, 5), (2, 12)),
    4: ((2, 22), (3, 26)),
    5: ((4, 12), (5, 21)),
    6: ((6, 1), (7, 21)),
}


class Strand(models.TextChoices):
    """The three strands a workshop can cover."""

    LEADERSHIP = "leadership", "Leadership"
    COLLABORATIVE_PLANNING = "collaborative_planning", "Collaborative planning"
    SUBJECT_KNOWLEDGE = "subject_knowledge", "Subject knowledge"
