"""Every eligibility rule, for every phase it applies to: a case that passes and one that fails,
with the exact reason the school is given. The function is pure: no database here."""

from dataclasses import replace
from pathlib import Path

import pytest

from enrolment.eligibility import (
    COMMITMENTS,
    RULES,
    Answers,
    Case,
    History,
    HubFacts,
    OtherInterest,
    Outcome,
    PastParticipation,
    Person,
    SchoolFacts,
    assess,
    register_problems,
)
from schools.models import School
from workgroups.programme import PHASES, Phase

YEAR = 2026
HUB = HubFacts(id=1, name="Abacus Maths Hub")
SCHOOL = SchoolFacts(
    urn=123456,
    name="Oak Primary School",
    status=School.Status.OPEN,
    phase_of_education="Primary",
    hub_id=1,
    hub_name="Abacus Maths Hub",
)
ALL = list(Phase)

# What each phase needs in the school's past to be eligible at all.
PAST = {
    Phase.READINESS: (),
    Phase.DEVELOPMENT: (),
    Phase.EMBEDDING: (PastParticipation(Phase.DEVELOPMENT, 2025, completed=True),),
    Phase.SUSTAINING: (PastParticipation(Phase.DEVELOPMENT, 2023, completed=True),),
}


def answers_for(phase) -> Answers:
    count = PHASES[phase].lead_participants_per_school
    return Answers(
        headteacher=Person("Hana Head", "head@oak.example"),
        lead_participants=tuple(Person(f"Lead {n}", f"lead{n}@oak.example") for n in range(count)),
        commitments=frozenset(c.key for c in COMMITMENTS[phase]),
    )


def case_for(phase, **changes) -> Case:
    case = Case(
        school=SCHOOL,
        phase=phase,
        year=YEAR,
        hub=HUB,
        history=History(participations=PAST[phase]),
        answers=answers_for(phase),
    )
    return replace(case, **changes)


def with_history(phase, *participations, interests=()):
    return History(participations=PAST[phase] + tuple(participations), interests=tuple(interests))


@pytest.mark.parametrize("phase", ALL)
def test_a_school_meeting_every_rule_is_eligible(phase):
    result = assess(case_for(phase))
    assert result.outcome == Outcome.ELIGIBLE
    assert result.reasons == (
        f"Oak Primary School meets every condition for {PHASES[phase].name} in 2026/27.",
    )
    assert result.failed == ()


# (rule, phase, the case, the outcome, the reason) for every rule that fails ---------------------

FAILING = [
    *[
        (
            "in_register",
            phase,
            lambda p: case_for(p, school=None),
            Outcome.NOT_ELIGIBLE,
            "We cannot find this school in the register of schools in England (Get Information "
            "about Schools).",
        )
        for phase in ALL
    ],
    *[
        (
            "open",
            phase,
            lambda p: case_for(p, school=replace(SCHOOL, status=School.Status.CLOSED)),
            Outcome.NOT_ELIGIBLE,
            "Oak Primary School is closed in the register of schools. If it has become an "
            "academy or joined another school, it has a new URN: search for it by its new name "
            "or URN and express an interest under that URN.",
        )
        for phase in ALL
    ],
    *[
        (
            "opened",
            phase,
            lambda p: case_for(p, school=replace(SCHOOL, status=School.Status.PROPOSED_TO_OPEN)),
            Outcome.NOT_ELIGIBLE,
            "Oak Primary School is not open yet: the register of schools lists it as proposed "
            "to open, and its URN may still change before it opens. A school becoming an "
            "academy should express an interest under its current URN; a new school can "
            "express an interest once it has opened.",
        )
        for phase in ALL
    ],
    *[
        (
            "not_closing",
            phase,
            lambda p: case_for(
                p, school=replace(SCHOOL, status=School.Status.OPEN_PROPOSED_TO_CLOSE)
            ),
            Outcome.NEEDS_REVIEW,
            "Oak Primary School is open but proposed to close in the register of schools, and "
            "a work group lasts the whole school year; Abacus Maths Hub will ask the school "
            "whether it will stay open for the year, or is becoming an academy or joining "
            "another school, before going further.",
        )
        for phase in ALL
    ],
    *[
        (
            "primary",
            phase,
            lambda p: case_for(p, school=replace(SCHOOL, phase_of_education="Secondary")),
            Outcome.NOT_ELIGIBLE,
            "Oak Primary School is not a primary school in the register (its phase is "
            "Secondary); work groups are for primary, middle deemed primary and all-through "
            "schools.",
        )
        for phase in ALL
    ],
    *[
        (
            "in_hub_area",
            phase,
            lambda p: case_for(p, school=replace(SCHOOL, hub_id=2, hub_name="Boolean Maths Hub")),
            Outcome.NEEDS_REVIEW,
            "Oak Primary School is in the area of Boolean Maths Hub, not Abacus Maths Hub; the "
            "hub will check with Boolean Maths Hub before going further.",
        )
        for phase in ALL
    ],
    *[
        (
            "in_hub_area",
            phase,
            lambda p: case_for(p, school=replace(SCHOOL, hub_id=None, hub_name="")),
            Outcome.NEEDS_REVIEW,
            "Oak Primary School is not in any Maths Hub's area in England; Abacus Maths Hub "
            "will check whether it can take part.",
        )
        for phase in ALL
    ],
    *[
        (
            "no_other_interest",
            phase,
            lambda p: case_for(
                p,
                history=with_history(
                    p, interests=[OtherInterest(p, YEAR, reference="EOI-2026-00007")]
                ),
            ),
            Outcome.NOT_ELIGIBLE,
            f"Oak Primary School already has an expression of interest in {PHASES[phase].name} "
            "for 2026/27 (EOI-2026-00007).",
        )
        for phase in ALL
    ],
    *[
        (
            "no_place_this_year",
            phase,
            lambda p: case_for(
                p, history=with_history(p, PastParticipation(p, YEAR, completed=False))
            ),
            Outcome.NOT_ELIGIBLE,
            f"Oak Primary School already has a place in a {PHASES[phase].name} work group in "
            "2026/27.",
        )
        for phase in ALL
    ],
    (
        "not_past_readiness",
        Phase.READINESS,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.DEVELOPMENT, 2024, completed=True),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Readiness is for schools that have not yet started the main programme; Oak Primary "
        "School completed Development in 2024/25.",
    ),
    (
        "not_past_readiness",
        Phase.READINESS,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.DEVELOPMENT, 2026, completed=False),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Readiness is for schools that have not yet started the main programme; Oak Primary "
        "School is taking part in Development in 2026/27.",
    ),
    (
        "readiness_once",
        Phase.READINESS,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.READINESS, 2025, completed=True),))
        ),
        Outcome.NEEDS_REVIEW,
        "Oak Primary School completed Readiness in 2025/26. Readiness is a preparatory year "
        "before Development, so Abacus Maths Hub will decide whether another year of Readiness "
        "or a place in Development suits the school better.",
    ),
    (
        "not_done_development",
        Phase.DEVELOPMENT,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.DEVELOPMENT, 2023, completed=True),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Oak Primary School completed Development in 2023/24, so it does not need the "
        "Development phase again.",
    ),
    (
        "not_done_development",
        Phase.DEVELOPMENT,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.DEVELOPMENT, 2025, completed=False),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Oak Primary School is taking part in Development in 2025/26, so it does not need the "
        "Development phase again.",
    ),
    (
        "not_done_development",
        Phase.DEVELOPMENT,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.EMBEDDING, 2026, completed=False),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Development comes before Embedding and Sustaining; Oak Primary School is taking part "
        "in Embedding in 2026/27, so it does not need Development.",
    ),
    (
        "done_development",
        Phase.EMBEDDING,
        lambda p: case_for(p, history=History()),
        Outcome.NOT_ELIGIBLE,
        "Embedding is for schools that have completed Development; Oak Primary School has not "
        "taken part in Development.",
    ),
    (
        "not_done_embedding",
        Phase.EMBEDDING,
        lambda p: case_for(
            p,
            history=History(
                (
                    PastParticipation(Phase.DEVELOPMENT, 2024, completed=True),
                    PastParticipation(Phase.EMBEDDING, 2025, completed=True),
                )
            ),
        ),
        Outcome.NOT_ELIGIBLE,
        "Oak Primary School completed Embedding in 2025/26; after Embedding a school goes on to "
        "Sustaining, which it can join year after year.",
    ),
    (
        "not_done_embedding",
        Phase.EMBEDDING,
        lambda p: case_for(
            p,
            history=History(
                (
                    PastParticipation(Phase.DEVELOPMENT, 2023, completed=True),
                    PastParticipation(Phase.SUSTAINING, 2024, completed=True),
                )
            ),
        ),
        Outcome.NOT_ELIGIBLE,
        "Embedding comes before Sustaining; Oak Primary School completed Sustaining in 2024/25, "
        "and a school in Sustaining carries on in it year after year.",
    ),
    (
        "ready_to_sustain",
        Phase.SUSTAINING,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.READINESS, 2024, completed=True),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Sustaining is for schools that have taken part in Development, Embedding or "
        "Sustaining before, and for Mastery Specialist schools; Oak Primary School is neither.",
    ),
    *[
        (
            "headteacher",
            phase,
            lambda p: case_for(
                p, answers=replace(answers_for(p), headteacher=Person("Hana Head", ""))
            ),
            Outcome.NOT_ELIGIBLE,
            "The headteacher's name and e-mail address are needed.",
        )
        for phase in ALL
    ],
    (
        "lead_participants",
        Phase.DEVELOPMENT,
        lambda p: case_for(
            p,
            answers=replace(answers_for(p), lead_participants=(Person("Lee", "lee@oak.example"),)),
        ),
        Outcome.NOT_ELIGIBLE,
        "Development needs two lead teachers, each with a name and e-mail address; 1 was given.",
    ),
    *[
        (
            "lead_participants",
            phase,
            lambda p: case_for(p, answers=replace(answers_for(p), lead_participants=())),
            Outcome.NOT_ELIGIBLE,
            f"{PHASES[phase].name} needs a {PHASES[phase].lead_participant_title} with a name "
            "and e-mail address; none was given.",
        )
        for phase in (Phase.READINESS, Phase.EMBEDDING, Phase.SUSTAINING)
    ],
    *[
        (
            "commitments",
            phase,
            lambda p: case_for(
                p,
                answers=replace(
                    answers_for(p),
                    commitments=frozenset(c.key for c in COMMITMENTS[p][1:]),
                ),
            ),
            Outcome.NOT_ELIGIBLE,
            f"The school has not agreed to: {COMMITMENTS[phase][0].text}",
        )
        for phase in ALL
    ],
]


@pytest.mark.parametrize(
    ("rule", "phase", "build", "outcome", "reason"),
    FAILING,
    ids=[f"{rule}-{phase}-{n}" for n, (rule, phase, *_) in enumerate(FAILING)],
)
def test_each_rule_fails_with_its_reason(rule, phase, build, outcome, reason):
    result = assess(build(phase))
    assert result.outcome == outcome
    assert result.reasons == (reason,)
    assert result.failed == (rule,)


def test_every_rule_is_tested_failing_for_every_phase_it_applies_to():
    tested = {(rule, phase) for rule, phase, *_ in FAILING}
    wanted = {(rule.code, phase) for rule in RULES for phase in rule.phases}
    assert wanted <= tested


# And the cases just inside each rule pass --------------------------------------------------------

PASSING = [
    *[
        (rule, p, lambda p: case_for(p, school=replace(SCHOOL, status=School.Status.OPEN)))
        for p in ALL
        for rule in ("open", "opened", "not_closing")
    ],
    *[
        (
            "primary",
            p,
            lambda p, kind=kind: case_for(p, school=replace(SCHOOL, phase_of_education=kind)),
        )
        for p in ALL
        for kind in ("Primary", "Middle deemed primary", "All-through")
    ],
    *[
        (
            "no_other_interest",
            p,
            lambda p: case_for(
                p,
                history=with_history(
                    p,
                    interests=[
                        OtherInterest(p, YEAR - 1, reference="EOI-2025-00001"),
                        OtherInterest(p, YEAR, reference="EOI-2026-00002", is_live=False),
                    ],
                ),
            ),
        )
        for p in ALL
    ],
    *[
        (
            "no_place_this_year",
            p,
            lambda p: case_for(
                p,
                history=with_history(
                    p, PastParticipation(p, YEAR, completed=False, withdrawn=True)
                ),
            ),
        )
        for p in ALL
    ],
    (
        "not_past_readiness",
        Phase.READINESS,
        lambda p: case_for(
            p,
            history=History(
                (PastParticipation(Phase.DEVELOPMENT, 2025, completed=False, withdrawn=True),)
            ),
        ),
    ),
    (
        "readiness_once",
        Phase.READINESS,
        # Readiness this year is no_place_this_year's; one withdrawn from does not count.
        lambda p: case_for(
            p,
            history=History(
                (PastParticipation(Phase.READINESS, 2024, completed=False, withdrawn=True),)
            ),
        ),
    ),
    (
        "not_done_development",
        Phase.DEVELOPMENT,
        lambda p: case_for(
            p,
            history=History(
                (
                    PastParticipation(Phase.READINESS, 2025, completed=True),
                    PastParticipation(Phase.DEVELOPMENT, 2024, completed=False, withdrawn=True),
                )
            ),
        ),
    ),
    (
        "done_development",
        Phase.EMBEDDING,
        # Still in Development this year: it will have completed it before Embedding starts.
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.DEVELOPMENT, 2025, completed=False),))
        ),
    ),
    (
        "not_done_embedding",
        Phase.EMBEDDING,
        lambda p: case_for(
            p,
            history=with_history(
                p, PastParticipation(Phase.EMBEDDING, 2024, completed=False, withdrawn=True)
            ),
        ),
    ),
    (
        "ready_to_sustain",
        Phase.SUSTAINING,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.EMBEDDING, 2024, completed=True),))
        ),
    ),
    (
        "ready_to_sustain",
        Phase.SUSTAINING,
        # Year after year: a school whose earlier years are not on the portal still qualifies.
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.SUSTAINING, 2025, completed=True),))
        ),
    ),
    (
        "ready_to_sustain",
        Phase.SUSTAINING,
        lambda p: case_for(
            p, history=History(), school=replace(SCHOOL, is_mastery_specialist_school=True)
        ),
    ),
    *[
        (
            "lead_participants",
            p,
            lambda p: case_for(
                p,
                answers=replace(
                    answers_for(p),
                    lead_participants=answers_for(p).lead_participants
                    + (Person("Extra", "extra@oak.example"),),
                ),
            ),
        )
        for p in ALL
    ],
]


@pytest.mark.parametrize(
    ("rule", "phase", "build"),
    PASSING,
    ids=[f"{rule}-{phase}-{n}" for n, (rule, phase, _) in enumerate(PASSING)],
)
def test_each_rule_passes_just_inside_it(rule, phase, build):
    result = assess(build(phase))
    assert result.outcome == Outcome.ELIGIBLE, result.reasons


# How failures combine, and where the school fits instead ------------------------------------------


def test_not_eligible_outweighs_needs_review_and_every_reason_is_given():
    case = case_for(
        Phase.DEVELOPMENT,
        school=replace(SCHOOL, status=School.Status.CLOSED, hub_id=2, hub_name="Boolean Maths Hub"),
    )
    result = assess(case)
    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.failed == ("open", "in_hub_area")
    assert result.instead_hub == "Boolean Maths Hub"


def test_no_school_stops_the_other_rules():
    result = assess(case_for(Phase.SUSTAINING, school=None, answers=Answers()))
    assert result.failed == ("in_register",)


@pytest.mark.parametrize(
    ("phase", "history", "school", "instead"),
    [
        (
            Phase.DEVELOPMENT,
            (PastParticipation(Phase.DEVELOPMENT, 2023, True),),
            SCHOOL,
            Phase.EMBEDDING,
        ),
        (
            Phase.DEVELOPMENT,
            (
                PastParticipation(Phase.DEVELOPMENT, 2022, True),
                PastParticipation(Phase.EMBEDDING, 2023, True),
            ),
            SCHOOL,
            Phase.SUSTAINING,
        ),
        (Phase.EMBEDDING, (), SCHOOL, Phase.DEVELOPMENT),
        (Phase.SUSTAINING, (), SCHOOL, Phase.DEVELOPMENT),
        (
            Phase.READINESS,
            (PastParticipation(Phase.DEVELOPMENT, 2024, True),),
            SCHOOL,
            Phase.EMBEDDING,
        ),
        (
            Phase.READINESS,
            (PastParticipation(Phase.DEVELOPMENT, 2024, False),),
            replace(SCHOOL, is_mastery_specialist_school=True),
            Phase.SUSTAINING,
        ),
    ],
)
def test_a_school_in_the_wrong_phase_is_pointed_to_the_one_that_fits(
    phase, history, school, instead
):
    result = assess(case_for(phase, history=History(history), school=school))
    assert result.outcome == Outcome.NOT_ELIGIBLE
    assert result.instead_phase == instead


# Every register status × phase × history: the outcome each combination gets on purpose ---------

E, R, N = Outcome.ELIGIBLE, Outcome.NEEDS_REVIEW, Outcome.NOT_ELIGIBLE
WORST = (E, R, N)

# What the register's status alone decides.
BY_STATUS = {
    School.Status.OPEN: E,
    School.Status.OPEN_PROPOSED_TO_CLOSE: R,
    School.Status.PROPOSED_TO_OPEN: N,
    School.Status.CLOSED: N,
}

# The phases a school takes before asking for each one, on the usual pathway.
BEFORE = {
    Phase.READINESS: (),
    Phase.DEVELOPMENT: (),
    Phase.EMBEDDING: (Phase.DEVELOPMENT,),
    Phase.SUSTAINING: (Phase.DEVELOPMENT, Phase.EMBEDDING),
}
NEXT = {Phase.READINESS: Phase.DEVELOPMENT, Phase.DEVELOPMENT: Phase.EMBEDDING}
NEXT[Phase.EMBEDDING] = Phase.SUSTAINING


def pathway(*phases, last_year=YEAR - 1) -> tuple[PastParticipation, ...]:
    """One phase a year, the last in `last_year`; those before this year completed."""
    first = last_year - len(phases) + 1
    return tuple(
        PastParticipation(phase, first + n, completed=first + n < YEAR)
        for n, phase in enumerate(phases)
    )


def histories(phase):
    """(name, participations, what the history alone decides) for each history that can be."""
    rows = [("none", (), E if not BEFORE[phase] else N)]
    if phase != Phase.READINESS:
        earlier = BEFORE[phase] or (Phase.READINESS,)
        rows.append(("earlier phase done", pathway(*earlier), E))
    # Readiness again is the hub's call; Sustaining is joined year after year; the rest are once.
    again = {Phase.READINESS: R, Phase.SUSTAINING: E}.get(phase, N)
    rows.append(("same phase done", pathway(*BEFORE[phase], phase), again))
    rows.append(("same phase this year", pathway(*BEFORE[phase], phase, last_year=YEAR), N))
    if phase in NEXT:
        later = (*BEFORE[phase], phase, NEXT[phase])
        if phase == Phase.READINESS:
            later = (NEXT[phase],)
        rows.append(("later phase done", pathway(*later), N))
    return rows


MATRIX = [
    (status, phase, name, past, max(BY_STATUS[status], by_history, key=WORST.index))
    for status in School.Status
    for phase in ALL
    for name, past, by_history in histories(phase)
]


def is_plain(reason: str) -> bool:
    """A sentence a school can read: no codes, no stored values, no template left over."""
    leftovers = ("_", "{", "}", "None", "Outcome", "proposed_to", "Phase.")
    return (
        reason[:1].isupper()
        and reason.endswith(".")
        and not any(bit in reason for bit in leftovers)
        and "  " not in reason
    )


@pytest.mark.parametrize(
    ("status", "phase", "history", "past", "outcome"),
    MATRIX,
    ids=[f"{status}-{phase}-{name.replace(' ', '-')}" for status, phase, name, *_ in MATRIX],
)
def test_every_status_phase_and_history_has_its_outcome(status, phase, history, past, outcome):
    school = replace(SCHOOL, status=status)
    result = assess(case_for(phase, school=school, history=History(past)))
    assert result.outcome == outcome, result.reasons
    assert all(is_plain(reason) for reason in result.reasons), result.reasons
    if status != School.Status.OPEN:
        assert "register of schools" in result.reasons[0]
    pathway_rules = {r.code for r in RULES if r.points_to_another_phase}
    if pathway_rules & set(result.failed):
        # The school is told which phase fits instead, with a link to express an interest in it.
        assert result.instead_phase and result.instead_phase != phase


def test_the_matrix_covers_every_status_and_phase():
    assert {(status, phase) for status, phase, *_ in MATRIX} == {
        (status, phase) for status in School.Status for phase in ALL
    }
    assert len(MATRIX) == 4 * (4 + 5 + 5 + 4)


@pytest.mark.parametrize(
    ("phase", "past", "instead"),
    [
        (Phase.READINESS, pathway(Phase.READINESS), Phase.DEVELOPMENT),
        (Phase.DEVELOPMENT, pathway(Phase.DEVELOPMENT), Phase.EMBEDDING),
        (Phase.EMBEDDING, pathway(Phase.DEVELOPMENT, Phase.EMBEDDING), Phase.SUSTAINING),
        (Phase.EMBEDDING, pathway(Phase.DEVELOPMENT, Phase.SUSTAINING), Phase.SUSTAINING),
    ],
)
def test_a_phase_already_done_points_to_the_next_step(phase, past, instead):
    result = assess(case_for(phase, history=History(past)))
    assert result.instead_phase == instead


# What the school picker refuses at once: the register's own facts -----------------------------


def test_register_problems_refuse_a_school_not_in_the_register():
    assert register_problems(None) == [
        "We cannot find this school in the register of schools in England (Get Information "
        "about Schools)."
    ]


@pytest.mark.parametrize(
    ("status", "problems"),
    [
        (School.Status.OPEN, []),
        # Proposed to close: the school may ask; the hub reviews it (see not_closing).
        (School.Status.OPEN_PROPOSED_TO_CLOSE, []),
        (
            School.Status.CLOSED,
            [
                "Oak Primary School is closed in the register of schools. If it has become an "
                "academy or joined another school, it has a new URN: search for it by its new "
                "name or URN and express an interest under that URN."
            ],
        ),
        (
            School.Status.PROPOSED_TO_OPEN,
            [
                "Oak Primary School is not open yet: the register of schools lists it as "
                "proposed to open, and its URN may still change before it opens. A school "
                "becoming an academy should express an interest under its current URN; a new "
                "school can express an interest once it has opened."
            ],
        ),
    ],
)
def test_register_problems_for_each_status(status, problems):
    assert register_problems(replace(SCHOOL, status=status)) == problems


def test_register_problems_give_every_reason():
    closed_secondary = replace(SCHOOL, status=School.Status.CLOSED, phase_of_education="Secondary")
    assert len(register_problems(closed_secondary)) == 2


# The README's table of rules is this module's, row for row ------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_rules_table() -> list[tuple[str, ...]]:
    """The rows of the table in the README's "Enrolment" section, header left out."""
    section = README.read_text().split("## Enrolment: how schools join", 1)[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [tuple(cell.strip() for cell in line.strip("|").split("|")) for line in lines[2:]]


def rules_table() -> list[tuple[str, ...]]:
    """Each rule: what it asks, its outcome when not met, and the reason for its first failing
    case above (Oak Primary School, 2026/27)."""
    examples = {}
    for code, phase, build, _, _ in FAILING:
        examples.setdefault(code, (phase, build))
    rows = []
    for rule in RULES:
        phase, build = examples[rule.code]
        reason = assess(build(phase)).reasons[0]
        rows.append((rule.asks, Outcome(rule.fails_as).label, reason))
    return rows


def test_the_readme_table_lists_every_rule_as_the_module_has_it():
    assert readme_rules_table() == rules_table()
