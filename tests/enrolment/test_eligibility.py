"""Every eligibility rule, for every phase it applies to: a case that passes and one that fails,
with the exact reason the school is given. The function is pure: no database here."""

from dataclasses import replace

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
from workgroups.programme import PHASES, Phase

YEAR = 2026
HUB = HubFacts(id=1, name="Abacus Maths Hub")
SCHOOL = SchoolFacts(
    urn=123456,
    name="Oak Primary School",
    is_open=True,
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
            lambda p: case_for(p, school=replace(SCHOOL, is_open=False)),
            Outcome.NOT_ELIGIBLE,
            "Oak Primary School is closed in the register of schools.",
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
        "done_development",
        Phase.EMBEDDING,
        lambda p: case_for(p, history=History()),
        Outcome.NOT_ELIGIBLE,
        "Embedding is for schools that have completed Development; Oak Primary School has not "
        "taken part in Development.",
    ),
    (
        "ready_to_sustain",
        Phase.SUSTAINING,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.READINESS, 2024, completed=True),))
        ),
        Outcome.NOT_ELIGIBLE,
        "Sustaining is for schools that have completed Development or Embedding, and for "
        "Mastery Specialist schools; Oak Primary School is neither.",
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
    *[("open", p, lambda p: case_for(p, school=replace(SCHOOL, is_open=True))) for p in ALL],
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
            p, history=History((PastParticipation(Phase.READINESS, 2025, completed=True),))
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
        "ready_to_sustain",
        Phase.SUSTAINING,
        lambda p: case_for(
            p, history=History((PastParticipation(Phase.EMBEDDING, 2024, completed=True),))
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
        school=replace(SCHOOL, is_open=False, hub_id=2, hub_name="Boolean Maths Hub"),
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


def test_register_problems_are_those_the_form_can_refuse_at_once():
    assert register_problems(None) == [
        "We cannot find this school in the register of schools in England (Get Information "
        "about Schools)."
    ]
    closed_secondary = replace(SCHOOL, is_open=False, phase_of_education="Secondary")
    assert len(register_problems(closed_secondary)) == 2
    assert register_problems(SCHOOL) == []
