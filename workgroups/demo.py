"""Demo work groups: six years of each hub's pathway, and next year's groups open for interest.

Each hub's schools move along the pathway year by year as real ones do: a few start in
Readiness, go on to Development, then Embedding, then Sustaining year after year, joined there by
the Mastery Specialist schools. Years before the running one are completed, with every workshop
held, attendance taken and visits recorded; the running year is under way, so the demo
specialist finds workshops and visits coming up and a few things overdue. Everything is
bulk-created (no per-row history), which keeps the national scale quick to load.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from core.roles import SYSTEM
from schools.models import HubStaff, School, SchoolContact

from .models import (
    LONDON,
    AcademicYear,
    Attendance,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
)
from .programme import PHASES, Phase, Strand, Term
from .services import academic_year_get_or_create, work_groups_copy_to_next_year

YEARS_OF_HISTORY = 6
PHASE_LETTER = {
    Phase.READINESS: "R",
    Phase.DEVELOPMENT: "D",
    Phase.EMBEDDING: "E",
    Phase.SUSTAINING: "S",
}
AGENDAS = [
    "Welcome and priorities for the year; lesson study of a Year 3 lesson on place value; "
    "planning the next sequence together.",
    "Reflecting on the intersessional task; shared observation of a fractions lesson; "
    "subject knowledge: the NCETM Primary PD Materials on multiplicative reasoning.",
    "Leadership focus: collaborative planning time in school; TRG-style lesson observation "
    "and discussion; action plan check-in.",
    "Subject knowledge: ratio and proportion across Key Stage 2; planning a coherent small-step "
    "sequence; feedback from each school.",
    "Observing and discussing a Year 5 lesson on area; sharing how schools support teachers "
    "new to mastery approaches.",
    "Impact of the year: what changed in classrooms and systems; refining action plans; "
    "looking ahead to next year.",
]
MATERIALS = "https://www.ncetm.org.uk/classroom-resources/primary-mastery-professional-development/"
VISIT_NOTES = [
    "Observed two lessons in Years 2 and 4: clear small steps, good use of stem sentences.",
    "Supported the in-school TRG: teachers planned and observed a lesson on column addition.",
    "Talked with the headteacher about protected time for collaborative planning.",
]
NEXT_STEPS = [
    "Lead teachers to model a lesson for colleagues in the spring term; head to protect "
    "fortnightly planning time.",
    "Introduce daily fluency sessions in Key Stage 1; revisit the calculation policy.",
    "Run a second in-school TRG before the next workshop; share findings at the workshop.",
]
FIRST = ["Alex", "Bea", "Cal", "Dee", "Eli", "Fran", "Gus", "Hope", "Ivan", "Jo", "Kit", "Lou"]
LAST = ["Archer", "Baker", "Carter", "Dyer", "Ellis", "Fisher", "Gray", "Hunt", "Ingram", "Jay"]


@dataclass
class Batch:
    """Rows built in memory, then bulk-created in dependency order."""

    groups: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    leads: list = field(default_factory=list)  # (participation, [contacts])
    workshops: list = field(default_factory=list)
    attendances: list = field(default_factory=list)  # (workshop, participation, contact, status)
    visits: list = field(default_factory=list)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _day_in(first: date, last: date, rng) -> date:
    """A school day some way into a stretch of dates, never after its end."""
    span = max((last - first).days - 7, 1)
    return min(_weekday(first + timedelta(days=rng.randint(7, 7 + span // 2))), last)


def _staff(hub, rng, existing: dict[str, list[HubStaff]]) -> dict[str, list[HubStaff]]:
    """The hub's group leads: those the earlier step made, and a few more who do not sign in."""
    specialists = list(existing.get(HubStaff.Role.MASTERY_SPECIALIST, []))
    readiness = list(existing.get(HubStaff.Role.READINESS_LEAD, []))
    schools = list(School.objects.in_hub(hub).primary().open().order_by("urn")[:3])
    wanted = [(HubStaff.Role.MASTERY_SPECIALIST, 3 - len(specialists))]
    wanted.append((HubStaff.Role.READINESS_LEAD, 1 - len(readiness)))
    new_users, roles = [], []
    for role, count in wanted:
        for n in range(max(count, 0)):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{role.split('_')[0]}{n + 1}@{hub.slug}.mathshub.example"
            new_users.append(User(email=email, full_name=name, password=make_password(None)))
            roles.append(role)
    users = User.objects.bulk_create(new_users)
    made = HubStaff.objects.bulk_create(
        HubStaff(user=user, hub=hub, role=role, school=schools[i % len(schools)])
        for i, (user, role) in enumerate(zip(users, roles, strict=True))
    )
    for staff in made:
        (specialists if staff.role == HubStaff.Role.MASTERY_SPECIALIST else readiness).append(staff)
    return {"specialists": specialists, "readiness": readiness}


def _contacts_for(schools: list[School], rng) -> dict[int, list[SchoolContact]]:
    """Each school's maths subject leader and a second lead teacher (made once per school)."""
    have = {}
    for contact in SchoolContact.objects.filter(
        school__in=schools,
        role__in=[SchoolContact.Role.LEAD_PARTICIPANT, SchoolContact.Role.LEAD_TEACHER],
    ).order_by("role", "pk"):
        have.setdefault(contact.school_id, []).append(contact)
    new = []
    for school in schools:
        roles = [c.role for c in have.get(school.pk, [])]
        for role in (SchoolContact.Role.LEAD_PARTICIPANT, SchoolContact.Role.LEAD_TEACHER):
            if role not in roles:
                new.append(
                    SchoolContact(
                        school=school,
                        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        email=f"{role.replace('_', '.')}@{school.urn}.school.example",
                        role=role,
                    )
                )
    for contact in SchoolContact.objects.bulk_create(new, batch_size=2000):
        have.setdefault(contact.school_id, []).append(contact)
    for contacts in have.values():
        contacts.sort(key=lambda c: c.role != SchoolContact.Role.LEAD_PARTICIPANT)
    return have


def _chunks(schools: list, count: int) -> list[list]:
    """The schools split into `count` groups of near-equal size (none when there are none)."""
    size = -(-len(schools) // max(count, 1))
    return [schools[i : i + size] for i in range(0, len(schools), size)] if schools else []


def _pathway(pool, ms_schools, first_intake, dev_groups, years):
    """Which schools are in which phase each year: {start_year: {phase: [schools]}}."""
    plan, taken = {}, 0
    previous = {phase: [] for phase in Phase}

    def take(count):
        nonlocal taken
        chosen = pool[taken : taken + count]
        taken += len(chosen)
        return chosen

    for index, year in enumerate(years):
        readiness = take(2 * dev_groups)
        development = previous[Phase.READINESS] + take(
            6 * dev_groups - len(previous[Phase.READINESS])
        )
        if index == len(years) - 1:
            development = [*first_intake, *development][: 7 * dev_groups]
        embedding = previous[Phase.DEVELOPMENT][: 7 * dev_groups]
        sustaining = []
        for school in previous[Phase.EMBEDDING] + previous[Phase.SUSTAINING] + ms_schools:
            if school not in sustaining:
                sustaining.append(school)
        plan[year] = {
            Phase.READINESS: readiness,
            Phase.DEVELOPMENT: development,
            Phase.EMBEDDING: embedding,
            Phase.SUSTAINING: sustaining[:14],
        }
        previous = plan[year]
    return plan


def _group_count(phase, schools, dev_groups) -> int:
    if phase == Phase.READINESS:
        return 1
    if phase == Phase.DEVELOPMENT:
        return dev_groups
    return max(1, -(-len(schools) // 7))


def _plan_hub(hub, staff, contacts, plan, years, today, rng, batch, *, dev_groups, demo_lead):
    """Each year's groups of one hub, with their schools, workshops, attendance and visits."""
    current = years[-1].start_year
    specialists = staff["specialists"]
    for year in years:
        is_current = year.start_year == current
        terms = year.term_dates()
        for phase, schools in plan[year.start_year].items():
            count = _group_count(phase, schools, dev_groups)
            for n, members in enumerate(_chunks(schools, count), start=1):
                if phase == Phase.READINESS:
                    lead = staff["readiness"][0]
                elif demo_lead and n == 1:
                    lead = demo_lead
                else:
                    lead = specialists[(n + list(Phase).index(phase)) % len(specialists)]
                group = WorkGroup(
                    hub=hub,
                    phase=phase,
                    academic_year=year,
                    code=(
                        f"NCP{year.start_year % 100:02d}-{hub.project_code_suffix or hub.pk}-"
                        f"{PHASE_LETTER[phase]}{n}"
                    ),
                    title=f"Primary Teaching for Mastery {phase.label} {n}",
                    description=PHASES[phase].what_is_involved,
                    lead=lead,
                    status=WorkGroup.Status.RUNNING if is_current else WorkGroup.Status.COMPLETED,
                    completed_at=(
                        None if is_current else datetime.combine(year.ends_on, time(12), LONDON)
                    ),
                )
                batch.groups.append(group)
                _plan_group(
                    group, year, terms, members, contacts, today, rng, batch, is_current=is_current
                )


def _grant_status(facts, is_current):
    if not facts.grant:
        return Participation.GrantStatus.NOT_APPLICABLE
    return Participation.GrantStatus.DUE if is_current else Participation.GrantStatus.PAID


def _plan_group(group, year, terms, members, contacts, today, rng, batch, *, is_current):
    facts = PHASES[group.phase]
    parts = []
    for school in members:
        participation = Participation(
            school=school,
            work_group=group,
            phase=group.phase,
            academic_year=year,
            status=Participation.Status.ACTIVE if is_current else Participation.Status.COMPLETED,
            completed_at=None if is_current else group.completed_at,
            grant_amount=facts.grant,
            grant_status=_grant_status(facts, is_current),
            grant_claimed_on=None if is_current or not facts.grant else terms[Term.SPRING][0],
            grant_paid_on=None if is_current or not facts.grant else terms[Term.SUMMER][0],
            release_days_used=(
                Decimal(rng.randint(2, 4) if is_current else rng.randint(8, 10))
                if facts.release_days
                else Decimal(0)
            ),
        )
        leads = contacts[school.pk][: facts.lead_participants_per_school]
        batch.participations.append(participation)
        batch.leads.append((participation, leads))
        parts.append((participation, leads))
    half_terms = {h.number: h for h in year.half_terms.all()}
    # The first workshop is at the lead's school; the others move round the schools.
    own = [group.lead.school] if group.lead.school else []
    hosts = own + [school for school in members if school not in own] or [None]
    for number in range(1, facts.workshops_per_year + 1):
        half_term = half_terms[number]
        day = _day_in(half_term.starts_on, half_term.ends_on, rng)
        scheduled = not is_current or half_term.starts_on <= today + timedelta(days=70)
        workshop = Workshop(
            work_group=group,
            number=number,
            half_term=half_term,
            status=Workshop.Status.SCHEDULED if scheduled else Workshop.Status.DRAFT,
            date=day if scheduled else None,
            session=Workshop.Session.MORNING if number % 2 else Workshop.Session.AFTERNOON,
            host_school=hosts[(number - 1) % len(hosts)],
            strands=(
                list(Strand.values)
                if number == 1
                else sorted(rng.sample(Strand.values, rng.randint(1, 3)))
            ),
            agenda=AGENDAS[number - 1] if scheduled else "",
            materials=MATERIALS if scheduled else "",
        )
        workshop.starts_at, workshop.ends_at = Workshop.SESSION_TIMES[workshop.session]
        batch.workshops.append(workshop)
        held = scheduled and day < today
        # The most recent workshop of the running year waits for its attendance: overdue.
        waiting = is_current and held and day >= today - timedelta(days=14)
        if held and not waiting:
            workshop.attendance_recorded_at = datetime.combine(day, time(16), LONDON)
            for participation, leads in parts:
                for contact in leads:
                    roll = rng.random()
                    status = (
                        Attendance.Status.PRESENT
                        if roll < 0.88
                        else Attendance.Status.APOLOGIES
                        if roll < 0.95
                        else Attendance.Status.ABSENT
                    )
                    batch.attendances.append((workshop, participation, contact, status))
    if facts.termly_support_visits:
        for index, (participation, _) in enumerate(parts):
            for term in Term:
                batch.visits.append(_visit(participation, term, terms[term], today, index, rng))


def _visit(participation, term, dates, today, index, rng) -> SupportVisit:
    first, last = dates
    day = _day_in(first, last, rng)
    visit = SupportVisit(participation=participation, term=term)
    if last < today or (day < today and index % 4 != 1):
        visit.status = SupportVisit.Status.DONE
        visit.scheduled_for = visit.visited_on = day
        visit.lessons_observed = rng.randint(1, 3)
        visit.trg_supported = rng.random() < 0.7
        visit.trg_notes = VISIT_NOTES[1] if visit.trg_supported else ""
        visit.met_headteacher = visit.met_lead_teachers = True
        visit.discussion_notes = f"{VISIT_NOTES[0]} {VISIT_NOTES[2]}"
        visit.next_steps = NEXT_STEPS[rng.randrange(len(NEXT_STEPS))]
    elif first <= today <= last and index % 4 == 1:
        # Planned for a day already gone and not yet written up: the demo's overdue visit.
        visit.status = SupportVisit.Status.SCHEDULED
        visit.scheduled_for = _weekday(max(first, today - timedelta(days=6)))
        if visit.scheduled_for >= today:
            visit.scheduled_for = _weekday(today + timedelta(days=2))
        visit.starts_at = time(9, 30)
    elif first <= today + timedelta(days=60):
        visit.status = SupportVisit.Status.SCHEDULED
        visit.scheduled_for = _weekday(max(day, today + timedelta(days=3)))
        visit.starts_at = time(9, 30)
    return visit


def _save(batch: Batch) -> None:
    WorkGroup.objects.bulk_create(batch.groups, batch_size=1000)
    for participation in batch.participations:
        participation.work_group_id = participation.work_group.pk
    Participation.objects.bulk_create(batch.participations, batch_size=2000)
    through = Participation.lead_participants.through
    through.objects.bulk_create(
        (
            through(participation_id=participation.pk, schoolcontact_id=contact.pk)
            for participation, contacts in batch.leads
            for contact in contacts
        ),
        batch_size=5000,
    )
    for workshop in batch.workshops:
        workshop.work_group_id = workshop.work_group.pk
    Workshop.objects.bulk_create(batch.workshops, batch_size=2000)
    Attendance.objects.bulk_create(
        (
            Attendance(
                workshop_id=workshop.pk,
                participation_id=participation.pk,
                contact=contact,
                status=status,
                recorded_at=workshop.attendance_recorded_at,
            )
            for workshop, participation, contact, status in batch.attendances
        ),
        batch_size=5000,
    )
    for visit in batch.visits:
        visit.participation_id = visit.participation.pk
    SupportVisit.objects.bulk_create(batch.visits, batch_size=5000)


def seed(*, hubs, demo_hub, demo_users, rng, stdout=None, **context):
    """Six years of work groups in every hub, and next year's groups open for interest."""
    today = timezone.localdate()
    current = AcademicYear.start_year_for(today)
    for start_year in range(current - YEARS_OF_HISTORY + 1, current + 1):
        academic_year_get_or_create(start_year=start_year)
    years = list(
        AcademicYear.objects.filter(
            start_year__range=(current - YEARS_OF_HISTORY + 1, current)
        ).prefetch_related("half_terms")
    )
    staff_rows = {}
    for member in HubStaff.objects.filter(hub__in=hubs).exclude(role=HubStaff.Role.HUB_LEAD):
        staff_rows.setdefault(member.hub_id, {}).setdefault(member.role, []).append(member)
    demo_contact_schools = set(
        SchoolContact.objects.filter(user=demo_users["school_contact"]).values_list(
            "school_id", flat=True
        )
    )
    batch = Batch()
    for hub in hubs:
        staff = _staff(hub, rng, staff_rows.get(hub.pk, {}))
        schools = list(School.objects.in_hub(hub).primary().open().order_by("urn"))
        ms_schools = [s for s in schools if s.is_mastery_specialist_school]
        first_intake = [s for s in schools if s.pk in demo_contact_schools]
        pool = [s for s in schools if s not in ms_schools and s not in first_intake]
        rng.shuffle(pool)
        dev_groups = 1 if len(pool) < 100 else 2
        plan = _pathway(pool, ms_schools, first_intake, dev_groups, [y.start_year for y in years])
        taking_part = {s.pk: s for year in plan.values() for group in year.values() for s in group}
        contacts = _contacts_for(list(taking_part.values()), rng)
        demo_lead = None
        if hub == demo_hub:
            demo_lead = next(
                s for s in staff["specialists"] if s.user_id == demo_users["specialist"].pk
            )
        _plan_hub(
            hub,
            staff,
            contacts,
            plan,
            years,
            today,
            rng,
            batch,
            dev_groups=dev_groups,
            demo_lead=demo_lead,
        )
    _save(batch)
    _withdraw_one(demo_hub, current)
    this_year = years[-1]
    opening = []
    for hub in hubs:
        opening += work_groups_copy_to_next_year(
            hub=hub,
            academic_year=this_year,
            acting_user=demo_users["hub_lead"] if hub == demo_hub else SYSTEM,
        )
    WorkGroup.objects.filter(pk__in=[g.pk for g in opening]).update(status=WorkGroup.Status.OPEN)
    if stdout:
        stdout.write(
            f"Work groups: {len(batch.groups)} over {len(years)} years and {len(opening)} open "
            f"for {AcademicYear.name_for(current + 1)}; {len(batch.participations)} "
            f"participations, {len(batch.attendances)} attendance records."
        )
    return {"work_groups": batch.groups}


def _withdraw_one(hub, current) -> None:
    """One school of the running year's Sustaining group has withdrawn: the page shows why."""
    participation = (
        Participation.objects.filter(
            work_group__hub=hub, academic_year__start_year=current, phase=Phase.SUSTAINING
        )
        .order_by("-school__urn")
        .first()
    )
    if participation:
        participation.status = Participation.Status.WITHDRAWN
        participation.withdrawn_reason = "The maths subject leader left at half-term."
        participation.withdrawn_at = timezone.now()
        participation.save(update_fields=["status", "withdrawn_reason", "withdrawn_at"])
