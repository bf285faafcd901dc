"""Mixed load: locust run twice with the same people and pacing, reads only and with writes.

The plan (who signs in as whom, which pages, which schools send which expression of interest from
which address) is made here, in the bench's process, and handed to bench/locustfile.py as JSON.
"""

import csv
import json
import math
import os
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .cold import largest_groups, session_cookie
from .config import (
    BIN,
    HOST,
    HUB_LEADS,
    ROOT,
    SCHOOL_CLIENTS,
    SECONDS,
    SPAWN_RATE,
    SPECIALISTS,
    USERS,
    WORK,
)
from .processes import log_file, redis_client


def _bench_hub_lead(hub):
    """A hub lead for a hub the demo data gives none (the demo has one, for its first hub)."""
    from accounts.models import User
    from schools.models import HubStaff

    user, _ = User.objects.get_or_create(
        email=f"lead@{hub.slug}.bench.hubportal.example",
        defaults={"full_name": f"Bench Lead of {hub.name}"},
    )
    HubStaff.objects.get_or_create(user=user, hub=hub, role=HubStaff.Role.HUB_LEAD)
    return user


def _hub_leads(people, year) -> list[dict]:
    from schools.models import Hub, HubStaff

    demo_hub = HubStaff.objects.get(user=people["hub_lead"], role=HubStaff.Role.HUB_LEAD).hub
    leads = [(demo_hub, people["hub_lead"])]
    for hub in Hub.objects.exclude(pk=demo_hub.pk).order_by("pk")[: HUB_LEADS - 1]:
        leads.append((hub, _bench_hub_lead(hub)))
    found = []
    for hub, user in leads:
        groups = list(largest_groups(hub, year)[:2])
        pages = [
            ["dashboard", f"/reports/?hub={hub.slug}&year={year}"],
            ["review queue", "/review/"],
            ["cohort page", f"/groups/?hub={hub.slug}&year={year}"],
            *[["work group page", f"/groups/{group.pk}/"] for group in groups],
        ]
        found.append({"session": session_cookie(user), "pages": pages})
    return found


def _specialists(people, year) -> list[dict]:
    """Group leads with workshops already held this year, whose attendance they can mark."""
    from django.utils import timezone

    from workgroups.models import WorkGroup, Workshop
    from workgroups.selectors import workshop_attendees

    today = timezone.localdate()
    held = (
        Workshop.objects.filter(
            work_group__academic_year__start_year=year,
            work_group__status=WorkGroup.Status.RUNNING,
            date__lte=today,
        )
        .select_related("work_group__lead__user")
        .order_by("-date", "pk")
    )
    by_user = {}
    for workshop in held:
        lead = workshop.work_group.lead
        if lead is None:
            continue
        by_user.setdefault(lead.user, []).append(workshop)
    # The demo specialist first, then others in a fixed order.
    users = sorted(by_user, key=lambda user: (user != people["specialist"], user.pk))
    found = []
    for user in users[:SPECIALISTS]:
        workshops = []
        for workshop in by_user[user][:4]:
            contacts = [row.contact.pk for row in workshop_attendees(workshop) if row.is_lead]
            if contacts:
                workshops.append(
                    {
                        "page": f"/workshops/{workshop.pk}/",
                        "mark": f"/workshops/{workshop.pk}/attendance/",
                        "contacts": contacts,
                    }
                )
        if workshops:
            found.append(
                {"session": session_cookie(user), "home": "/groups/mine/", "workshops": workshops}
            )
    if not found:
        raise SystemExit(f"No work group of {year} has a workshop held yet: nothing to mark.")
    return found


def _eoi_payload(school, form_class, groups, n: int) -> dict | None:
    """A complete expression of interest in Development for a school, if the form takes it."""
    data = {
        "school_query": f"{school.name} ({school.urn})",
        "urn": str(school.urn),
        "submitter_name": "Bench Submitter",
        "submitter_role": "Maths subject leader",
        "submitter_email": f"eoi{n}.{school.urn}@bench.school.example",
        "headteacher_name": "Bench Head",
        "headteacher_email": f"head.{school.urn}@bench.school.example",
        "priorities": "Fluency in number facts and reasoning in Years 3 and 4.",
        "privacy_consent": "on",
        "website": "",
    }
    form = form_class(None, phase="development", work_groups=groups)
    for name in form.fields:
        if name.startswith("lead_") and name.endswith("_name"):
            data[name] = f"Bench Teacher {name.split('_')[1]}"
        elif name.startswith("lead_") and name.endswith("_email"):
            data[name] = f"teacher{name.split('_')[1]}.{school.urn}@bench.school.example"
        elif name.startswith("commit_"):
            data[name] = "on"
    if not form_class(data, phase="development", work_groups=groups).is_valid():
        return None
    return data


def _schools(start_year: int) -> list[dict]:
    """Schools that have never taken part nor expressed interest, one per expression of interest,
    each sent from its own loopback address with its own submitter's e-mail address."""
    from django.db.models import Exists, OuterRef

    from enrolment.forms import InterestForm
    from enrolment.models import ExpressionOfInterest
    from enrolment.selectors import open_groups_for
    from schools.models import School
    from workgroups.models import Participation

    per_client = math.ceil(SECONDS / 6) + 2
    wanted = SCHOOL_CLIENTS * per_client
    candidates = list(
        School.objects.primary()
        .open()
        .filter(
            ~Exists(ExpressionOfInterest.objects.filter(school=OuterRef("pk"))),
            ~Exists(Participation.objects.filter(school=OuterRef("pk"))),
        )
        .values_list("pk", flat=True)
    )
    random.Random(len(candidates)).shuffle(candidates)
    chosen, groups_of = [], {}
    for pk in candidates:
        if len(chosen) == wanted:
            break
        school = School.objects.select_related("local_authority__hub", "hub_override").get(pk=pk)
        hub = school.hub
        if hub is None:
            continue
        if hub.pk not in groups_of:
            groups_of[hub.pk] = list(
                open_groups_for(hub=hub, phase="development", start_year=start_year)
            )
        payload = _eoi_payload(school, InterestForm, groups_of[hub.pk], len(chosen))
        if payload:
            chosen.append((school, hub, payload))
    if len(chosen) < wanted:
        print(f"  warning: {len(chosen)} schools free to express interest, {wanted} wanted")
    clients = []
    for client in range(SCHOOL_CLIENTS):
        eois = []
        for k, (_school, hub, payload) in enumerate(chosen[client::SCHOOL_CLIENTS]):
            eois.append(
                {
                    # A distinct client address per expression of interest (all of 127/8 is
                    # the loopback): the per-address limit counts each once.
                    "address": f"127.1.{client}.{k + 1}",
                    "hub_page": f"/work-groups/{hub.slug}/",
                    "form": f"/work-groups/{hub.slug}/interest/development/",
                    "payload": payload,
                }
            )
        clients.append({"eois": eois})
    return clients


def write_plan(people) -> Path:
    from django.conf import settings
    from django.utils import timezone

    from enrolment.selectors import coming_start_year
    from workgroups.models import AcademicYear

    year = AcademicYear.start_year_for(timezone.localdate())
    plan = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "hub_leads": _hub_leads(people, year),
        "specialists": _specialists(people, year),
        "schools": _schools(coming_start_year()),
    }
    path = WORK / "locust-plan.json"
    path.write_text(json.dumps(plan))
    path.chmod(0o600)
    return path


@dataclass
class LocustRun:
    stats: dict  # name -> (requests, failures, p50, p95, p99)
    failures: list
    seconds: float
    load: tuple  # the machine's one-minute load average before and after

    @property
    def errors(self) -> int:
        """Failed requests, and one for a run that did not finish or a task that raised."""
        failed = sum(row[1] for row in self.stats.values())
        return failed + sum(1 for line in self.failures if not line.startswith("request"))


def run(port: int, plan: Path, *, writes: bool, seconds: int = SECONDS) -> LocustRun:
    mode = "mixed" if writes else "reads"
    prefix = WORK / f"locust-{mode}"
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(SPAWN_RATE),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "15",
        "--host",
        f"http://{HOST}:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    environment = {
        **os.environ,
        "BENCH_LOCUST_PLAN": str(plan),
        "BENCH_LOCUST_WRITES": "1" if writes else "0",
    }
    started, load = time.monotonic(), os.getloadavg()[0]
    failures = []
    with log_file(f"locust-{mode}") as log:
        try:
            subprocess.run(
                command,
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=seconds + 180,
                check=True,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            failures.append(f"locust ({mode}) did not finish: {error}")
    seconds = time.monotonic() - started
    load = (load, os.getloadavg()[0])
    stats = {}
    if not Path(f"{prefix}_stats.csv").exists():
        failures = failures or [f"locust ({mode}) wrote no statistics"]
        return LocustRun(stats, failures, seconds, load)
    with open(f"{prefix}_stats.csv", newline="") as file:
        for row in csv.DictReader(file):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = tuple(
                int(float(row[column] or 0))
                for column in ("Request Count", "Failure Count", "50%", "95%", "99%")
            )
    for row in _rows(f"{prefix}_failures.csv"):
        failures.append(
            f"request {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}×)"
        )
    for row in _rows(f"{prefix}_exceptions.csv"):
        failures.append(f"exception: {row.get('Message', row)} ({row.get('Count', '?')}×)")
    return LocustRun(stats, failures, seconds, load)


def _rows(path: str) -> list[dict]:
    if not Path(path).exists():
        return []
    with open(path, newline="") as file:
        return list(csv.DictReader(file))


def used_memory(port: int) -> int:
    return int(redis_client(port).info("memory")["used_memory"])


def print_runs(reads: LocustRun, mixed: LocustRun) -> None:
    print(
        "| page | reads only: requests | errors | p50 ms | p95 ms | p99 ms | "
        "mixed: requests | errors | p50 ms | p95 ms | p99 ms | p50 mixed ÷ reads only |"
    )
    print("|" + "---|" * 12)
    names = list(reads.stats) + [name for name in mixed.stats if name not in reads.stats]
    for name in names:
        cells = []
        for side in (reads, mixed):
            row = side.stats.get(name)
            cells += list(row) if row else ["—"] * 5
        a, b = reads.stats.get(name), mixed.stats.get(name)
        ratio = f"{b[2] / a[2]:.2f}" if a and b and a[2] else "—"
        print(f"| {name} | " + " | ".join(str(cell) for cell in cells) + f" | {ratio} |")
