"""Benchmark the reminder scans over a national year of data.

    .venv/bin/python bench/reminders_scan.py             # a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hp_bench_reminders \\
        .venv/bin/python bench/reminders_scan.py

Builds, in an empty database, the programme's year 2025/26 at national scale: 40 hubs, about
1,170 work groups of six workshops (about 7,000 workshops), seven schools in each group (about
8,200 participations and 25,000 school contacts), the Development groups' termly visits, action
plans for most schools, and expressions of interest for next year. Dates are spread over each
half-term's school days, so each scan finds on its morning what a real morning would hold.

For each scan, on a morning it has work: the first run, which records that morning's e-mails
(sending them is the workers' job and is not timed), and a second run, which finds them all in
the outbox, so its queries are the scan's reads alone. It does this at a tenth of the size, then
at full size: the second run's query count must be the same at both, and the script fails if
it is not. The database named by DATABASE_URL is emptied first: never point it at data you
want to keep.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HUBS = 40
GROUPS_PER_HUB = 29  # 40 x 29 x 6 = 6,960 workshops
SCHOOLS_PER_GROUP = 7
START_YEAR = 2025
# Share of groups in each phase, roughly as hubs run them.
PHASE_SHARES = [("readiness", 0.1), ("development", 0.3), ("embedding", 0.2), ("sustaining", 0.4)]

# Each scan and a morning of 2025/26 when it has work to do.
MORNINGS = [
    ("workshops_coming_up", date(2025, 10, 9)),
    ("attendance_not_recorded", date(2025, 10, 22)),
    ("support_visits_coming_up", date(2025, 10, 17)),
    ("visits_not_scheduled", date(2025, 10, 24)),
    ("action_plans_not_shared", date(2025, 11, 13)),
    ("mid_year_reviews_due", date(2026, 2, 23)),
    ("end_of_year_reflections_due", date(2026, 6, 15)),
    ("eois_waiting", date(2025, 10, 13)),
    ("weekly_digest", date(2025, 11, 17)),
]


def _school_days(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day.weekday() < 5]


def build(*, hubs: int, first_hub: int, rng: random.Random) -> int:
    """Add `hubs` hubs, each with its year of groups; return how many workshops were added."""
    from django.db import connection

    from accounts.models import User
    from actionplans.models import ActionPlan
    from enrolment.models import ExpressionOfInterest
    from schools.models import Hub, HubStaff, LocalAuthority, School, SchoolContact
    from workgroups.models import LONDON, Participation, SupportVisit, WorkGroup, Workshop
    from workgroups.programme import PHASES, Term
    from workgroups.services import academic_year_get_or_create

    year = academic_year_get_or_create(start_year=START_YEAR)
    next_year = academic_year_get_or_create(start_year=START_YEAR + 1)
    half_terms = {h.number: _school_days(h.starts_on, h.ends_on) for h in year.half_terms.all()}
    term_days = {
        Term.AUTUMN: half_terms[1] + half_terms[2],
        Term.SPRING: half_terms[3] + half_terms[4],
        Term.SUMMER: half_terms[5] + half_terms[6],
    }
    phases = [phase for phase, share in PHASE_SHARES for _ in range(int(share * 10))]
    workshops = 0
    for h in range(first_hub, first_hub + hubs):
        hub = Hub.objects.create(
            name=f"Bench Hub {h}", slug=f"bench-{h}", contact_email=f"hub{h}@x.example"
        )
        authority = LocalAuthority.objects.create(code=f"B{h}", name=f"Authority {h}", hub=hub)
        specialists = GROUPS_PER_HUB // 3 + 1
        users = User.objects.bulk_create(
            User(email=f"staff{h}-{n}@hub.example", full_name=f"Staff {h}-{n}", password="!")
            for n in range(specialists + 1)
        )
        HubStaff.objects.create(user=users[0], hub=hub, role=HubStaff.Role.HUB_LEAD)
        leads = HubStaff.objects.bulk_create(
            HubStaff(user=user, hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST)
            for user in users[1:]
        )
        count = GROUPS_PER_HUB * SCHOOLS_PER_GROUP + 300
        schools = School.objects.bulk_create(
            School(
                urn=h * 100_000 + n,
                name=f"School {h}-{n} Primary School",
                search_name=f"school {h} {n} primary school",
                local_authority=authority,
                phase_of_education="Primary",
                street=f"{n} School Lane",
                town="Townville",
                postcode="AB1 2CD",
            )
            for n in range(count)
        )
        groups = WorkGroup.objects.bulk_create(
            WorkGroup(
                hub=hub,
                phase=phases[g % len(phases)],
                academic_year=year,
                code=f"NCP25-{h:02d}-{g:02d}",
                title=f"Work group {g}",
                lead=leads[g % len(leads)],
                status=WorkGroup.Status.RUNNING,
            )
            for g in range(GROUPS_PER_HUB)
        )
        group_workshops, participations, contacts, leads_of = [], [], [], []
        for g, group in enumerate(groups):
            members = schools[g * SCHOOLS_PER_GROUP : (g + 1) * SCHOOLS_PER_GROUP]
            for number in range(1, 7):
                day = rng.choice(half_terms[number])
                group_workshops.append(
                    Workshop(
                        work_group=group,
                        number=number,
                        status=Workshop.Status.CANCELLED
                        if rng.random() < 0.01
                        else Workshop.Status.SCHEDULED,
                        date=day,
                        host_school=rng.choice(members),
                        attendance_recorded_at=datetime.combine(day, datetime.min.time(), LONDON)
                        + timedelta(hours=15)
                        if rng.random() < 0.9
                        else None,
                    )
                )
            for school in members:
                participations.append(
                    Participation(
                        school=school,
                        work_group=group,
                        phase=group.phase,
                        academic_year=year,
                        status=Participation.Status.WITHDRAWN
                        if rng.random() < 0.03
                        else Participation.Status.ACTIVE,
                    )
                )
                contacts.append(
                    SchoolContact(
                        school=school,
                        name=f"Head of {school.name}",
                        email=f"head@{school.urn}.example",
                        role=SchoolContact.Role.HEADTEACHER,
                    )
                )
                for n in range(PHASES[group.phase].lead_participants_per_school):
                    contact = SchoolContact(
                        school=school,
                        name=f"Lead {n} of {school.name}",
                        email=f"lead{n}@{school.urn}.example",
                        role=SchoolContact.Role.LEAD_PARTICIPANT,
                    )
                    contacts.append(contact)
                    leads_of.append((len(participations) - 1, contact))
        workshops += len(Workshop.objects.bulk_create(group_workshops))
        participations = Participation.objects.bulk_create(participations)
        SchoolContact.objects.bulk_create(contacts)
        Through = Participation.lead_participants.through
        Through.objects.bulk_create(
            Through(participation_id=participations[i].pk, schoolcontact_id=contact.pk)
            for i, contact in leads_of
        )
        visits, plans = [], []
        for participation in participations:
            if PHASES[participation.phase].termly_support_visits:
                for term in Term:
                    scheduled = rng.random() < 0.7
                    visits.append(
                        SupportVisit(
                            participation=participation,
                            term=term,
                            status=SupportVisit.Status.SCHEDULED
                            if scheduled
                            else SupportVisit.Status.EXPECTED,
                            scheduled_for=rng.choice(term_days[term]) if scheduled else None,
                        )
                    )
            if rng.random() < 0.8:
                shared = rng.random() < 0.75
                plans.append(
                    ActionPlan(
                        participation=participation,
                        shared_at=datetime(2025, 11, 1, tzinfo=LONDON) if shared else None,
                        mid_year_review="Fluency is daily." if rng.random() < 0.5 else "",
                    )
                )
        SupportVisit.objects.bulk_create(visits)
        ActionPlan.objects.bulk_create(plans)
        spare = schools[GROUPS_PER_HUB * SCHOOLS_PER_GROUP :]
        eois = ExpressionOfInterest.objects.bulk_create(
            ExpressionOfInterest(
                reference=f"EOI-B{h}-{n}",
                hub=hub,
                school=school,
                phase="development",
                academic_year=next_year,
                submitter_name="Sam Submitter",
                submitter_role="Maths lead",
                submitter_email=f"sam@{school.urn}.example",
                headteacher_name="Hilary Head",
                headteacher_email=f"head@{school.urn}.example",
                priorities="Fluency.",
                privacy_consent=True,
                status=rng.choice(["to_review", "to_review", "placed", "declined", "waitlisted"]),
            )
            for n, school in enumerate(spare[:60])
        )
        for offset in range(30):
            ExpressionOfInterest.objects.filter(pk__in=[e.pk for e in eois[offset::30]]).update(
                created_at=datetime(2025, 10, 12, 9, tzinfo=LONDON) - timedelta(days=offset)
            )
    # As autovacuum would after a day of such writes: the planner needs the tables' statistics.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return workshops


class QueryCounter:
    """Counts every SQL statement run (Django's own query log keeps only the last 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(scan, morning: date) -> tuple[int, float, int]:
    """Run the scan on that morning: (mails recorded, seconds, SQL queries)."""
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        mails = scan(today=morning)
        seconds = time.perf_counter() - start
    return mails, seconds, counter.count


def measure(label: str) -> list[tuple]:
    """Each scan: its first run ever (the day before its morning, when everything already due
    is caught up at once), its morning (only what fell due that day), and the same morning
    again (nothing new: the scan's reads alone)."""
    from notifications.models import Notification
    from reminders import scans

    Notification.objects.all().delete()
    rows = []
    for name, morning in MORNINGS:
        scan = getattr(scans, name)
        catch_up = timed(scan, morning - timedelta(days=1))
        day = timed(scan, morning)
        again = timed(scan, morning)
        assert again[0] == 0, f"{name} recorded {again[0]} mails on its second run"
        rows.append((name, catch_up, day, again))
    print(f"\n{label}")
    print(f"{'scan':<28} {'first run ever':>22} {'its morning':>30} {'again (reads)':>19}")
    for name, (c_mails, c_s, _), (mails, seconds, queries), (_, again_s, reads) in rows:
        print(
            f"{name:<28} {c_mails:>6,} mails {c_s:>7.2f} s "
            f"{mails:>6,} mails {seconds:>6.2f} s {queries:>6,} q "
            f"{again_s:>7.3f} s {reads:>3} q"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=HUBS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="reminders-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubportal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hubportal.celery import app as celery_app
    from workgroups.models import Workshop

    # The scans record mail and queue one task each; the tasks go to an in-memory broker and
    # are not run: sending is the workers' job, not the scan's.
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    rng = random.Random(args.seed)
    tenth = max(1, args.hubs // 10)

    start = time.perf_counter()
    build(hubs=tenth, first_hub=0, rng=rng)
    print(
        f"Built {tenth} hubs, {Workshop.objects.count():,} workshops "
        f"in {time.perf_counter() - start:.1f} s"
    )
    small = measure(f"A tenth: {tenth} hubs, {Workshop.objects.count():,} workshops")

    start = time.perf_counter()
    build(hubs=args.hubs - tenth, first_hub=tenth, rng=rng)
    print(
        f"\nBuilt up to {args.hubs} hubs, {Workshop.objects.count():,} workshops "
        f"in {time.perf_counter() - start:.1f} s"
    )
    full = measure(f"National: {args.hubs} hubs, {Workshop.objects.count():,} workshops")

    grew = [s[0] for s, f in zip(small, full, strict=True) if s[3][2] != f[3][2]]
    if grew:
        sys.exit(f"\nThe reads of these scans grew with the data: {', '.join(grew)}")
    print("\nEvery scan's reads took the same number of queries at both sizes.")


if __name__ == "__main__":
    main()
