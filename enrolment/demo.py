"""Demo expressions of interest for next year in the demo hub, one or more in every state.

They go through the services as a school and the hub lead would: submitted, checked, then
overridden, waitlisted, placed or declined. ("Received" lasts only until the check runs, which
happens as soon as the demo data is committed.)
"""

from django.utils.text import slugify

from core.roles import SYSTEM
from schools.models import School
from workgroups.models import WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.services import academic_year_get_or_create, work_group_create

from .eligibility import COMMITMENTS, Answers, Case, HubFacts, Outcome, Person, assess
from .models import ExpressionOfInterest
from .selectors import coming_start_year, school_facts, school_history, work_groups_open
from .services import (
    eoi_check,
    eoi_decline,
    eoi_override,
    eoi_place,
    eoi_submit,
    eoi_waitlist,
)

FIRST = ["Aisha", "Ben", "Cara", "Dev", "Emma", "Finn", "Grace", "Harry", "Isla", "Jack"]
LAST = ["Ali", "Bell", "Cole", "Dunn", "Edwards", "Ford", "Hart", "Jones", "King", "Lowe"]
PRIORITIES = [
    "Fluency in number facts across Key Stage 1, and reasoning about fractions in Years 4 to 6.",
    "Consistent use of representations and stem sentences; time for teachers to plan together.",
    "Helping new staff teach for mastery, and keeping the whole class working together.",
]


def _person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _answers(school, phase, rng, *, hub, start_year, work_group=None) -> dict:
    domain = f"{slugify(school.name)[:30]}.school.example"
    count = PHASES[phase].lead_participants_per_school
    return {
        "hub": hub,
        "school": school,
        "phase": phase,
        "start_year": start_year,
        "work_group": work_group,
        "submitter_name": _person(rng),
        "submitter_role": "Maths subject leader",
        "submitter_email": f"maths.lead@{domain}",
        "headteacher_name": school.head_name or _person(rng),
        "headteacher_email": f"head@{domain}",
        "lead_participants": [
            {"name": _person(rng), "email": f"teacher{n}@{domain}"} for n in range(1, count + 1)
        ],
        "commitments": [c.key for c in COMMITMENTS[phase]],
        "priorities": rng.choice(PRIORITIES),
        "privacy_consent": True,
    }


def _development_group(hub, start_year, lead_user):
    """An open Development group for next year with places left (the work groups step opens
    them; one is made here when it did not)."""
    group = (
        work_groups_open(start_year=start_year)
        .filter(hub=hub, phase=Phase.DEVELOPMENT, places_left__gte=2)
        .first()
    )
    if group:
        return group
    return work_group_create(
        hub=hub,
        phase=Phase.DEVELOPMENT,
        academic_year=academic_year_get_or_create(start_year=start_year),
        code=f"NCP{start_year % 100}-D-{hub.project_code_suffix or hub.pk}-EOI",
        title="Development Work Group",
        status=WorkGroup.Status.OPEN,
        acting_user=lead_user,
    )


def _finder(hub, start_year):
    """Finds, among schools, one the rules judge as wanted for a phase (and not used yet)."""
    used = set()
    hub_facts = HubFacts(id=hub.pk, name=hub.name)

    def find(schools, phase, outcome):
        count = PHASES[phase].lead_participants_per_school
        answers = Answers(
            headteacher=Person("Head", "head@school.example"),
            lead_participants=tuple(Person("Lead", "lead@school.example") for _ in range(count)),
            commitments=frozenset(c.key for c in COMMITMENTS[phase]),
        )
        for school in schools.exclude(pk__in=used).select_related(
            "local_authority__hub", "hub_override"
        ):
            case = Case(
                school=school_facts(school),
                phase=phase,
                year=start_year,
                hub=hub_facts,
                history=school_history(school=school),
                answers=answers,
            )
            if assess(case).outcome == outcome:
                used.add(school.pk)
                return school
        return None

    return find


def seed(*, demo_hub, hubs, demo_users, rng, stdout=None, **context):
    """Next year's expressions of interest in the demo hub: every state the hub lead meets.

    Each school is chosen by asking the rules first, so the demo fits whatever pathway history
    the work groups step made.
    """
    hub, lead = demo_hub, demo_users["hub_lead"]
    start_year = coming_start_year()
    group = _development_group(hub, start_year, lead)
    find = _finder(hub, start_year)
    ours = School.objects.in_hub(hub).primary().open().exclude(contacts__user__isnull=False)
    # Schools of other hubs that could start Development (so only the area needs review).
    theirs = (
        School.objects.exclude(pk__in=School.objects.in_hub(hub))
        .primary()
        .open()
        .exclude(participations__phase=Phase.DEVELOPMENT)
    )

    def submit(phase, outcome, schools=ours, work_group=None):
        school = find(schools.order_by("urn"), phase, outcome)
        if school is None:
            return None
        answers = _answers(
            school, phase, rng, hub=hub, start_year=start_year, work_group=work_group
        )
        eoi, _ = eoi_submit(**answers, acting_user=SYSTEM)
        return eoi_check(eoi_id=eoi.pk, acting_user=SYSTEM)

    # Eligible and waiting for the hub lead.
    submit(Phase.DEVELOPMENT, Outcome.ELIGIBLE, work_group=group)
    submit(Phase.SUSTAINING, Outcome.ELIGIBLE)
    # Decided by the hub lead: placed, waitlisted, declined.
    if placed := submit(Phase.DEVELOPMENT, Outcome.ELIGIBLE, work_group=group):
        eoi_place(eoi=placed, work_group=group, acting_user=lead)
    if waitlisted := submit(Phase.EMBEDDING, Outcome.ELIGIBLE):
        eoi_waitlist(
            eoi=waitlisted,
            note="Our Embedding group is full; we hope to open a second one.",
            acting_user=lead,
        )
    if declined := submit(Phase.EMBEDDING, Outcome.ELIGIBLE):
        eoi_decline(
            eoi=declined,
            note="The school cannot release its lead participant this year; try next year.",
            acting_user=lead,
        )
    # Not eligible: the check says why and which phase fits instead.
    submit(Phase.DEVELOPMENT, Outcome.NOT_ELIGIBLE)
    # From another hub's area: needs review; the hub lead let one of two go ahead.
    submit(Phase.DEVELOPMENT, Outcome.NEEDS_REVIEW, schools=theirs)
    if agreed := submit(Phase.DEVELOPMENT, Outcome.NEEDS_REVIEW, schools=theirs):
        eoi_override(
            eoi=agreed,
            note="Agreed with the school's own hub: its Development group is full this year.",
            acting_user=lead,
        )
    if stdout:
        count = ExpressionOfInterest.objects.filter(hub=hub).count()
        stdout.write(f"Expressions of interest: {count} in {hub.name} for next year.")
    return {}
