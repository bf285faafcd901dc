"""Cold paths: every page sampled beside the two floors, in shuffled rounds, one at a time.

Nothing is kept between requests (there is no page cache), so every sample is the cold path. The
floors are sampled beside each page (as the same person), so the noise of a busy machine
falls on a page and its floors alike, and the ratios hold where the milliseconds do not.
"""

import http.client
import math
import random
import statistics
import time
from dataclasses import dataclass, field

from .config import (
    DASHBOARD_LIMIT,
    EXPORT_FIRST_BYTE_LIMIT,
    EXPORT_REQUESTS,
    MAX_SECONDS,
    NATIONAL_LIMIT,
    PUBLIC_LIMIT,
    ROUNDS,
    SIGNED_IN_LIMIT,
    WORKERS,
)
from .processes import get


@dataclass
class Page:
    name: str
    path: str
    who: str | None  # the signed-in person's key; None: nobody signed in
    floor: str  # "plain" or "signed": the floor the limit is against
    limit: float
    export: bool = False


def _ms(values: list[float]) -> float:
    return 1000 * statistics.median(values) if values else math.nan


def _p95_ms(values: list[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Measured:
    page: Page
    plain: list = field(default_factory=list)  # the plain hello beside each sample
    signed: list = field(default_factory=list)  # the signed-in hello beside each sample
    total: list = field(default_factory=list)
    first: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    sizes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    queries: tuple = ()

    @property
    def ratio_plain(self) -> float:
        return _ms(self.total) / _ms(self.plain)

    @property
    def ratio_signed(self) -> float:
        return _ms(self.total) / _ms(self.signed)

    @property
    def first_ratio_signed(self) -> float:
        return _ms(self.first) / _ms(self.signed)

    @property
    def rows_per_second(self) -> float:
        rows = sum(max(lines - 1, 0) for lines in self.lines)  # less each file's header line
        return rows / sum(self.total) if self.total else math.nan


def people_of_the_demo():
    """The demo logins the pages are read as (in this process, after django.setup())."""
    from accounts.demo import DEMO_LOGINS
    from accounts.models import User

    keys = ("hub_lead", "staff", "specialist", "school_contact")
    return {key: User.objects.get(email=DEMO_LOGINS[key][1]) for key in keys}


def largest_groups(hub, year):
    from django.db.models import Count, Q

    from workgroups.models import Participation, WorkGroup

    return (
        WorkGroup.objects.filter(hub=hub, academic_year__start_year=year)
        .annotate(
            taking_part=Count(
                "participations", filter=~Q(participations__status=Participation.Status.WITHDRAWN)
            )
        )
        .order_by("-taking_part", "code")
    )


def pages_to_measure(people) -> list[Page]:
    """The pages to measure, found in the demo data."""
    from django.db.models import Count
    from django.utils import timezone

    from actionplans.models import ActionPlan
    from schools.models import HubStaff, School
    from workgroups.models import AcademicYear

    hub = HubStaff.objects.get(user=people["hub_lead"], role=HubStaff.Role.HUB_LEAD).hub
    year = AcademicYear.start_year_for(timezone.localdate())
    group = largest_groups(hub, year).first()
    if group is None:
        raise SystemExit(f"The demo hub has no work groups in {year}: is the demo data loaded?")
    plan = (
        ActionPlan.objects.filter(participation__school__contacts__user=people["school_contact"])
        .order_by("-participation__academic_year__start_year", "-pk")
        .first()
    )
    school = (
        School.objects.in_hub(hub)
        .annotate(taking_part=Count("participations"))
        .order_by("-taking_part", "urn")
        .first()
    )
    signed = [
        ("dashboard", f"/reports/?hub={hub.slug}&year={year}", "hub_lead"),
        ("national view", f"/reports/national/?year={year}", "staff"),
        ("year on year", f"/reports/years/?hub={hub.slug}&year={year}", "hub_lead"),
        ("cohort page", f"/groups/?hub={hub.slug}&year={year}", "hub_lead"),
        (f"work group page ({group.code})", f"/groups/{group.pk}/", "hub_lead"),
        ("review queue", "/review/", "hub_lead"),
        ("specialist home", "/groups/mine/", "specialist"),
        ("school search (St Mary)", "/schools/?q=St+Mary", "hub_lead"),
        (f"school page ({school.urn})", f"/schools/{school.urn}/", "hub_lead"),
        ("outbox", "/outbox/", "hub_lead"),
    ]
    if plan is not None:
        signed.insert(7, ("action plan", f"/action-plans/{plan.pk}/", "school_contact"))
    limits = {"dashboard": DASHBOARD_LIMIT, "national view": NATIONAL_LIMIT}
    pages = [
        Page(name, path, who, "signed", limits.get(name, SIGNED_IN_LIMIT))
        for name, path, who in signed
    ]
    pages += [
        Page("catalogue", "/work-groups/", None, "plain", PUBLIC_LIMIT),
        Page(
            f"hub catalogue ({hub.slug})", f"/work-groups/{hub.slug}/", None, "plain", PUBLIC_LIMIT
        ),
        Page(
            "EOI form (development)",
            f"/work-groups/{hub.slug}/interest/development/",
            None,
            "plain",
            PUBLIC_LIMIT,
        ),
    ]
    exports = [
        Page(
            "participations, every hub and year (CSV)",
            "/reports/exports/participations.csv",
            "staff",
            "signed",
            EXPORT_FIRST_BYTE_LIMIT,
            export=True,
        ),
        Page(
            "schools and pathways, every hub (CSV)",
            "/reports/exports/schools.csv",
            "staff",
            "signed",
            EXPORT_FIRST_BYTE_LIMIT,
            export=True,
        ),
    ]
    return pages + exports


def session_cookie(user) -> str:
    """A signed-in session (made in this process, kept in the database) as a cookie value."""
    from django.conf import settings

    from tests.support.sessions import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def cookie_header(session: str) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session}"


def _fetch(client, path) -> None:
    response = client.get(path)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    response.close()
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}")


def count_queries(page: Page, people) -> tuple:
    """The SQL queries of one request, counted in this process, twice (after one more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.support.sessions import Client

    client = Client()
    if page.who:
        client.force_login(people[page.who])
    counts = []
    try:
        _fetch(client, page.path)
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                _fetch(client, page.path)
            counts.append(len(queries))
    except Exception as error:  # a page broken in this process is reported, not fatal
        return (f"error: {error}",)
    return tuple(counts)


def get_or_none(port: int, path: str, cookie: str):
    """One sample, or None when the connection failed (counted as an error, not fatal)."""
    try:
        return get(port, path, cookie)
    except (OSError, http.client.HTTPException):
        return None


def measure(port: int, pages: list[Page], people) -> tuple[list[Measured], int, float]:
    """Every page sampled with one plain and one signed-in hello beside it, in shuffled rounds."""
    cookies = {key: cookie_header(session_cookie(user)) for key, user in people.items()}
    measured = [Measured(page) for page in pages]
    for found in measured:
        found.queries = count_queries(found.page, people)
    # Each gunicorn worker opens its database connection and loads its templates first.
    for found in measured:
        for _ in range(2 if found.page.export else 2 * WORKERS):
            sample = get_or_none(port, found.page.path, cookies.get(found.page.who, ""))
            if sample is None or sample.status != 200:
                answer = sample.status if sample else "nothing"
                print(f"  warning: {found.page.path} answered {answer} from gunicorn")
                break
    for _ in range(2 * WORKERS):
        get(port, "/bench/hello", "")
        get(port, "/bench/hello-signed-in", cookies["hub_lead"])
    regular = [found for found in measured if not found.page.export]
    exports = [found for found in measured if found.page.export]
    export_every = max(1, ROUNDS // max(EXPORT_REQUESTS, 1))
    rng = random.Random(2026)
    started = time.monotonic()
    rounds = 0
    for round_number in range(ROUNDS):
        if time.monotonic() - started > MAX_SECONDS:
            print(f"  stopped after {rounds} rounds: BENCH_MAX_SECONDS ({MAX_SECONDS:.0f} s)")
            break
        order = list(regular)
        if (
            exports
            and round_number % export_every == 0
            and round_number // export_every < EXPORT_REQUESTS
        ):
            order += exports
        rng.shuffle(order)
        for found in order:
            signed_cookie = cookies[found.page.who or "hub_lead"]
            steps = [
                ("plain", "/bench/hello", ""),
                ("signed", "/bench/hello-signed-in", signed_cookie),
                ("page", found.page.path, cookies.get(found.page.who, "")),
            ]
            rng.shuffle(steps)
            for kind, path, cookie in steps:
                sample = get_or_none(port, path, cookie)
                if sample is None or sample.status != 200:
                    found.errors.append(f"{path}: {sample.status if sample else 'no answer'}")
                    continue
                if kind == "plain":
                    found.plain.append(sample.total)
                elif kind == "signed":
                    found.signed.append(sample.total)
                else:
                    found.total.append(sample.total)
                    found.first.append(sample.first)
                    found.lines.append(sample.lines)
                    found.sizes.append(sample.size)
        rounds += 1
        if rounds % max(1, ROUNDS // 10) == 0:
            print(f"  cold paths: {rounds} of {ROUNDS} rounds", flush=True)
    return measured, rounds, time.monotonic() - started


def _queries(found: Measured) -> str:
    return two_counts(found.queries)


def two_counts(counts: tuple) -> str:
    if len(counts) == 2 and counts[0] == counts[1]:
        return f"{counts[0]} (both runs)"
    return " / ".join(str(count) for count in counts)


def print_pages(measured: list[Measured], floor_queries: dict) -> None:
    pages = [found for found in measured if not found.page.export]
    plain = [value for found in pages for value in found.plain]
    signed = [value for found in pages for value in found.signed]
    print(
        "| page | as | samples | median ms | p95 ms | × hello | × signed-in hello | "
        "first byte ms | SQL queries | errors |"
    )
    print("|" + "---|" * 10)
    print(
        f"| hello (plain) | nobody | {len(plain)} | {_ms(plain):.1f} | {_p95_ms(plain):.1f} "
        f"| 1.0 | | | {floor_queries['plain']} | |"
    )
    print(
        f"| hello, signed in | page's person | {len(signed)} | {_ms(signed):.1f} | "
        f"{_p95_ms(signed):.1f} | {_ms(signed) / _ms(plain):.1f} | 1.0 | | "
        f"{floor_queries['signed']} | |"
    )
    for found in pages:
        print(
            f"| {found.page.name} | {found.page.who or 'nobody'} | {len(found.total)} | "
            f"{_ms(found.total):.1f} | {_p95_ms(found.total):.1f} | {found.ratio_plain:.1f} | "
            f"{found.ratio_signed:.1f} | {_ms(found.first):.1f} | {_queries(found)} | "
            f"{len(found.errors)} |"
        )


def print_exports(measured: list[Measured]) -> None:
    print(
        "| export | samples | first byte ms | × signed-in hello | whole file ms | rows | "
        "rows/s | size | SQL queries | errors |"
    )
    print("|" + "---|" * 10)
    for found in measured:
        if not found.page.export:
            continue
        rows = max(found.lines[-1] - 1, 0) if found.lines else 0
        size = f"{found.sizes[-1] / 1024 / 1024:,.1f} MB" if found.sizes else ""
        print(
            f"| {found.page.name} | {len(found.total)} | {_ms(found.first):.1f} | "
            f"{found.first_ratio_signed:.1f} | {_ms(found.total):.0f} | {rows:,} | "
            f"{found.rows_per_second:,.0f} | {size} | {_queries(found)} | {len(found.errors)} |"
        )
