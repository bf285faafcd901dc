"""Demo action plans: every placed school gets one.

In the demo hub's two latest years the plans are written through the services, step by step, so
they come in every state (draft, shared, reviewed, revised, shared again) with a real history,
reviews and comments; last year's plans carry into this year's. Everywhere else plans are
bulk-created with their first history record, which keeps the national scale quick to load.
"""

from datetime import timedelta

from django.db.models import Max
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.roles import SYSTEM
from schools.models import SchoolContact
from workgroups.models import Participation
from workgroups.programme import Phase

from . import services
from .models import Action, ActionPlan, Priority
from .programme import ActionStatus, PlanStatus
from .selectors import previous_plan_for

CONTEXTS = [
    "Two-form entry primary; most teachers have used mastery approaches for three years. "
    "Two new teachers joined in September.",
    "One-form entry with mixed-age classes in KS2. The maths lead is new to the role.",
    "Large junior school; collaborative planning is strong in Years 3 and 4, patchier in 5 and 6.",
    "Infant school; fluency in number facts is a whole-school focus after last year's data.",
]
OUTCOMES = {
    "outcomes_pupils": "More pupils meet the expected standard and talk confidently about "
    "their reasoning.",
    "outcomes_whole_school": "A calculation policy with consistent representations from "
    "Reception to Year 6.",
    "outcomes_practice": "Every teacher plans collaboratively each fortnight and uses variation "
    "in practice tasks.",
    "outcomes_professional_learning": "Teachers use the NCETM Primary PD Materials in staff "
    "meetings each half term.",
}

# (title, areas, why, [(action, owner, success criteria, resources)])
PRIORITIES = [
    (
        "Fluency in number facts across the school",
        ["fluency"],
        "Recall of number bonds and times tables is not yet automatic and slows problem solving.",
        [
            (
                "Daily ten-minute fluency sessions in every class",
                "Maths subject leader",
                "Sessions seen in every class on learning walks",
                "Mastering Number materials",
            ),
            (
                "Half-termly check of times tables recall in Years 3 to 6",
                "Year 4 teacher",
                "Recall rises each half term",
                "Thirty minutes per class",
            ),
        ],
    ),
    (
        "Representations that expose the structure",
        ["representation_structure", "coherence"],
        "Representations differ from class to class, so pupils meet them afresh each year.",
        [
            (
                "Agree the bar model and part-whole model progression",
                "Maths subject leader",
                "A one-page progression used by every teacher",
                "One staff meeting",
            ),
            (
                "Lesson study on the part-whole model in Year 2",
                "Year 2 teacher",
                "Two cycles of lesson study completed",
                "Two half-days of cover",
            ),
        ],
    ),
    (
        "Mathematical talk and reasoning in every lesson",
        ["mathematical_thinking"],
        "Pupils give answers but rarely explain or justify them.",
        [
            (
                "Stem sentences planned into every lesson",
                "Class teachers",
                "Stem sentences visible in planning and pupils' talk",
                "Planning time",
            ),
            (
                "Pupil voice survey on talking about maths",
                "Headteacher",
                "Survey done in autumn and summer",
                "None",
            ),
        ],
    ),
    (
        "Variation in practice tasks",
        ["variation"],
        "Independent practice repeats one kind of question and does not draw attention to "
        "what changes.",
        [
            (
                "Collaborative planning of practice tasks in year-group pairs",
                "Phase leaders",
                "Practice tasks in books show intelligent variation",
                "Fortnightly PPA overlap",
            ),
        ],
    ),
]
READINESS_PRIORITIES = [
    (
        "A shared vision for maths",
        ["vision_culture", "mathematical_mindsets"],
        "Staff and pupils do not yet share a picture of what good maths learning looks like.",
        [
            (
                "Write the school's vision for maths with staff and pupils",
                "Headteacher",
                "Vision agreed and displayed in every classroom",
                "Two staff meetings",
            ),
        ],
    ),
    (
        "Arithmetical proficiency in KS1",
        ["arithmetical_proficiency", "subject_expertise"],
        "Pupils leave KS1 counting on rather than recalling facts.",
        [
            (
                "Subject knowledge sessions on early number",
                "Maths subject leader",
                "Every KS1 teacher attends three sessions",
                "NCETM materials",
            ),
        ],
    ),
]
REVIEW_COMMENTS = [
    "A focused plan. Make the success criteria measurable so you can see impact by spring.",
    "Good priorities. Who will check the fluency sessions happen? Name an owner for each.",
    "Ambitious: consider which two actions matter most this term.",
]

# The states of this year's plans in the demo hub, in turn: every state shows up in each group.
ROUNDS = ["draft", "shared", "reviewed", "revised", "shared_again"]


def seed(*, rng, demo_hub=None, **context):
    """A plan for every participation; written in full in the demo hub's latest two years."""
    latest = Participation.objects.aggregate(top=Max("academic_year__start_year"))["top"]
    if latest is None:
        return {}
    rich = (
        Participation.objects.filter(
            work_group__hub=demo_hub, academic_year__start_year__gte=latest - 1
        )
        .select_related("work_group__lead__user", "academic_year", "school")
        .order_by("academic_year__start_year", "work_group__code", "school__name")
    )
    authors = _authors()
    plans = []
    for index, participation in enumerate(rich):
        is_current = participation.academic_year.start_year == latest
        author = authors.get(participation.school_id)
        if author and is_current:
            state = "revised"  # the demo school contact finds a review to act on
        else:
            state = ROUNDS[index % len(ROUNDS)] if is_current else "reviewed"
        plan = _write(participation, rng, author, state, last_year=not is_current)
        if plan:
            plans.append(plan)
    _bulk(rng)
    return {"action_plans": plans}


def _authors() -> dict[int, object]:
    """Each school's first contact with an account: who writes its plan in the demo."""
    authors = {}
    for contact in SchoolContact.objects.filter(user__isnull=False).select_related("user"):
        authors.setdefault(contact.school_id, contact.user)
    return authors


def _bank(phase):
    return READINESS_PRIORITIES if phase == Phase.READINESS else PRIORITIES


def _is_blank(plan) -> bool:
    return plan.is_empty and not plan.priorities.exists()


def _write(participation, rng, author, state, *, last_year):
    """One plan, written and reviewed through the services as people would; None if it was
    written before (the step is safe to run on data that already has plans)."""
    existing = ActionPlan.objects.filter(participation=participation).first()
    if existing and not _is_blank(existing):
        return None
    plan = services.action_plan_create(participation=participation, acting_user=author or SYSTEM)
    if _is_blank(plan) and previous_plan_for(participation):
        # Created empty at placement, before last year's plan was written: carry it over now.
        plan = services.action_plan_carry_over(plan=plan, acting_user=author or SYSTEM)
    if _is_blank(plan):
        _write_content(plan, participation, rng, author, last_year=last_year)
    if last_year:
        plan.refresh_from_db()
        services.action_plan_update(
            plan=plan,
            version=plan.version,
            changes={
                "mid_year_review": "Fluency sessions are happening in every class.",
                "end_of_year_reflection": "Pupils explain their reasoning far more often.",
                "impact_evidence": "Pupil voice survey; book looks; end-of-year assessments.",
            },
            acting_user=author or SYSTEM,
        )
    lead = participation.work_group.lead
    if state == "draft" or lead is None:
        return plan
    _review_rounds(plan, author, lead.user, state, rng)
    return plan


def _write_content(plan, participation, rng, author, *, last_year) -> None:
    year = participation.academic_year
    services.action_plan_update(
        plan=plan,
        version=plan.version,
        changes={"context": rng.choice(CONTEXTS), **OUTCOMES},
        acting_user=author or SYSTEM,
    )
    # Last year most actions got done; a few carry on into this year.
    statuses = [ActionStatus.DONE, ActionStatus.DONE, ActionStatus.ON_TRACK]
    for title, areas, why, actions in rng.sample(_bank(participation.phase), k=2):
        priority = services.priority_create(
            plan=plan, title=title, areas=areas, description=why, acting_user=author or SYSTEM
        )
        for description, owner, criteria, resources in actions:
            starts = year.starts_on + timedelta(days=rng.randint(7, 60))
            services.action_create(
                priority=priority,
                acting_user=author or SYSTEM,
                description=description,
                owner=owner,
                starts_on=starts,
                due_on=starts + timedelta(days=rng.randint(30, 200)),
                success_criteria=criteria,
                resources=resources,
                status=rng.choice(statuses if last_year else list(ActionStatus)[:4]),
            )


def _review_rounds(plan, author, specialist, state, rng) -> None:
    """Share, review with comments, revise, share again: as far as `state` goes."""
    plan.refresh_from_db()
    services.action_plan_share(plan=plan, acting_user=author or SYSTEM, quiet=True)
    if state == "shared":
        return
    plan.refresh_from_db()
    services.action_plan_review(
        plan=plan, acting_user=specialist, comment=rng.choice(REVIEW_COMMENTS), quiet=True
    )
    action = plan.actions.order_by("priority__position", "position", "pk").first()
    if action is None:
        return
    services.comment_add(
        plan=plan,
        action=action,
        body="How will you know this is working by February?",
        acting_user=specialist,
    )
    if state == "reviewed":
        return
    if author:
        services.comment_add(
            plan=plan,
            action=action,
            body="We will look at books and talk to pupils in each class.",
            acting_user=author or SYSTEM,
        )
    services.action_update(
        action=action,
        version=action.version,
        changes={
            "success_criteria": action.success_criteria
            + "; pupil voice in February shows pupils recall facts quickly",
            "status": ActionStatus.AT_RISK,
        },
        acting_user=author or SYSTEM,
    )
    if state == "shared_again":
        plan.refresh_from_db()
        services.action_plan_share(plan=plan, acting_user=author or SYSTEM, quiet=True)


def _bulk(rng) -> None:
    """A short plan for every other participation, with history, a few queries per thousand."""
    missing = Participation.objects.filter(action_plan__isnull=True)
    bulk_create_with_history(
        [ActionPlan(participation=participation) for participation in missing],
        ActionPlan,
        batch_size=1000,
    )
    blank = list(
        ActionPlan.objects.filter(context="", priorities__isnull=True).select_related(
            "participation"
        )
    )
    for plan in blank:
        plan.status = rng.choice([PlanStatus.DRAFT, PlanStatus.SHARED])
        plan.context = rng.choice(CONTEXTS)
        for name, text in OUTCOMES.items():
            setattr(plan, name, text)
        plan.version += 1
    bulk_update_with_history(
        blank, ActionPlan, ["status", "context", *OUTCOMES, "version"], batch_size=1000
    )
    chosen = [(plan, rng.choice(_bank(plan.participation.phase))) for plan in blank]
    priorities = bulk_create_with_history(
        [
            Priority(plan=plan, position=1, title=title, areas=areas, description=why)
            for plan, (title, areas, why, _) in chosen
        ],
        Priority,
        batch_size=1000,
    )
    bulk_create_with_history(
        [
            Action(
                plan=plan,
                priority=priority,
                position=position,
                description=description,
                owner=owner,
                success_criteria=criteria,
                resources=resources,
                status=rng.choice(list(ActionStatus)),
            )
            for (plan, (_, _, _, actions)), priority in zip(chosen, priorities, strict=True)
            for position, (description, owner, criteria, resources) in enumerate(actions, 1)
        ],
        Action,
        batch_size=1000,
    )
