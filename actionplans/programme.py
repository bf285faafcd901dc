"""What an action plan is made of, in the programme's own words, in one declarative place.

The areas a priority can address (the Five Big Ideas of teaching for mastery; for Readiness, the
five key areas), the intended outcomes the Sustaining phase names, and the states of an action.
A changed fact is one entry here.
"""

from dataclasses import dataclass

from django.db import models

from workgroups.programme import Phase


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    summary: str


FIVE_BIG_IDEAS = (
    Area(
        "coherence",
        "Coherence",
        "Lessons broken into small connected steps that build a concept and generalise it.",
    ),
    Area(
        "representation_structure",
        "Representation and structure",
        "Representations that expose the mathematical structure being taught.",
    ),
    Area(
        "mathematical_thinking",
        "Mathematical thinking",
        "Ideas worked on by pupils: thought about, reasoned with and discussed.",
    ),
    Area(
        "fluency",
        "Fluency",
        "Quick, efficient recall of facts and procedures, and flexibility between them.",
    ),
    Area(
        "variation",
        "Variation",
        "Conceptual and procedural variation that draws attention to what matters.",
    ),
)

READINESS_KEY_AREAS = (
    Area(
        "vision_culture",
        "Vision and culture",
        "The vision and culture underpinning maths learning.",
    ),
    Area("mathematical_mindsets", "Mathematical mindsets", "Positive mathematical mindsets."),
    Area("subject_expertise", "Subject expertise", "Teachers' subject expertise."),
    Area("school_systems", "School systems", "School systems that support maths."),
    Area(
        "arithmetical_proficiency",
        "Arithmetical proficiency",
        "Pupils' arithmetical proficiency.",
    ),
)

# Readiness works on its five key areas; every later phase on the Five Big Ideas.
AREAS_BY_PHASE: dict[str, tuple[Area, ...]] = {
    Phase.READINESS: READINESS_KEY_AREAS,
    Phase.DEVELOPMENT: FIVE_BIG_IDEAS,
    Phase.EMBEDDING: FIVE_BIG_IDEAS,
    Phase.SUSTAINING: FIVE_BIG_IDEAS,
}

AREA_NAMES: dict[str, str] = {area.code: area.name for area in FIVE_BIG_IDEAS + READINESS_KEY_AREAS}


def areas_for(phase: str) -> tuple[Area, ...]:
    return AREAS_BY_PHASE[phase]


@dataclass(frozen=True)
class OutcomeHeading:
    field: str
    name: str
    prompts: tuple[str, ...]


# The intended outcomes of the programme, as the Sustaining phase states them.
INTENDED_OUTCOMES = (
    OutcomeHeading(
        "outcomes_pupils",
        "Pupil outcomes",
        (
            "Pupils have high expectations of themselves as mathematicians and a positive "
            "attitude towards the subject.",
            "Pupils experience coherent, well designed lessons.",
            "More pupils meet age-related expectations, with a greater depth of understanding.",
        ),
    ),
    OutcomeHeading(
        "outcomes_whole_school",
        "Whole-school policies and approaches",
        (
            "Leaders refine school structures and systems so that all teachers are supported "
            "to embed and sustain teaching for mastery.",
            "A sustainable model for collaborative planning and specialist subject knowledge "
            "development, with systems to identify and support teachers needing more.",
            "Good practice is shared beyond the participant schools.",
        ),
    ),
    OutcomeHeading(
        "outcomes_practice",
        "Practice development",
        (
            "All teachers plan, teach and reflect collaboratively, within school and beyond.",
            "All teachers show their understanding of the Five Big Ideas in their normal practice.",
        ),
    ),
    OutcomeHeading(
        "outcomes_professional_learning",
        "Professional learning",
        (
            "All teachers enhance their subject knowledge, with an emphasis on progression.",
            "Subject leaders learn how to establish an effective collaborative planning culture.",
            "All staff understand and value ongoing professional development.",
        ),
    ),
)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    DONE = "done", "Done"


# The statuses a specialist needs to see first on the group overview.
NEEDS_ATTENTION = (ActionStatus.AT_RISK, ActionStatus.OFF_TRACK)


class PlanStatus(models.TextChoices):
    """Draft → shared → reviewed → revised → shared …, as many rounds as the year needs."""

    DRAFT = "draft", "Draft"
    SHARED = "shared", "Shared with the specialist"
    REVIEWED = "reviewed", "Reviewed"
    REVISED = "revised", "Revised since the review"


# The statuses from which the school can share the plan (again).
SHAREABLE = (PlanStatus.DRAFT, PlanStatus.REVISED)
