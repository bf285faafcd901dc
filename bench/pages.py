"""Benchmark the busiest pages at national scale, beside a minimal "hello" view in the same run.

    make bench                      # or: .venv/bin/python bench/pages.py

1. Makes the PostgreSQL database `hubportal_bench` (postgres@127.0.0.1, trust authentication)
   if it is missing, migrates it, and loads the national demo data unless it holds schools.
2. Collects the static files and starts gunicorn on a free loopback port with DEBUG off.
3. Signs in the demo hub lead and the demo staff member (sessions made in this process).
4. Counts each page's SQL queries in this process, then loads it with concurrent clients over
   loopback, and prints requests per second, the median and 95th percentile latency (to the
   last byte), the median as a multiple of hello's, the median time to the first byte (a
   streamed export starts arriving long before it ends), and the queries per request.
5. Every page but hello keeps what it reads in the cache until a record changes (decision
   0006): each is then measured again with a change counted before every request, so that it
   is worked out afresh: what the first person to open it after a change waits.

Settings, each optional: BENCH_DATABASE_URL, BENCH_CACHE_URL (the shared cache, as in
production: Redis database 3 on 127.0.0.1), BENCH_CLIENTS (concurrent clients; one per CPU),
BENCH_REQUESTS (requests per page, 100), BENCH_EXPORT_REQUESTS (per export, 6), BENCH_WORKERS
(gunicorn workers; two per CPU). The database is kept between runs: drop it to start afresh.
"""

import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hubportal_bench"
)
# As many clients as CPUs keeps every CPU busy without queueing requests behind each other.
CLIENTS = int(os.environ.get("BENCH_CLIENTS", str(os.cpu_count() or 2)))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
EXPORT_REQUESTS = int(os.environ.get("BENCH_EXPORT_REQUESTS", "6"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2))))
WARM_UP = 3
# The ratio the issue asks every page to stay under, in the same run.
RATIO_LIMIT = 10

ENVIRONMENT = {
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "hubportal-bench-static"),
    # Kept exports (and any upload) stay out of the project folder.
    "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / "hubportal-bench-media"),
    "LOG_LEVEL": "WARNING",
    # The demo data's e-mails (acknowledgements, invitations) go nowhere.
    "EMAIL_URL": "dummymail://",
    "CONN_MAX_AGE": "600",
    # Every gunicorn worker and this process share one cache, as web processes do in production.
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
}


def _manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
        check=True,
    )


def _database_ready() -> None:
    """Create the database if missing; migrate; load the national demo data if empty."""
    import psycopg2

    url = urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    server = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username or "postgres", dbname="postgres"
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating the database {name}.")
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()
    _manage("migrate", "--noinput", "-v", "0")
    started = time.monotonic()
    _manage("seed_demo", "--scale", "national", "--if-empty")
    print(f"Demo data ready ({time.monotonic() - started:.0f} s).")
    # Bulk-loaded tables have no planner statistics until autovacuum gets round to them.
    database = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username or "postgres", dbname=name
    )
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    database.close()
    _manage("collectstatic", "--noinput", "-v", "0")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hubportal.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=300",
        ],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, *_ = _get(port, "/healthz", "")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.25)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within a minute.")


def _get(port: int, path: str, cookie: str) -> tuple[int, float, float, int]:
    """One request on a fresh connection (gunicorn's sync workers close each one): status,
    seconds to the first byte of the body and to the last, body size."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        chunk = response.read1(65536)
        first = time.perf_counter() - started
        size = len(chunk)
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, first, time.perf_counter() - started, size
    finally:
        connection.close()


@dataclass
class Page:
    name: str
    path: str
    who: str  # "hub_lead" or "staff"
    export: bool = False
    # Measured with a change to the records counted before each request.
    after_a_change: bool = False

    @property
    def requests(self) -> int:
        return EXPORT_REQUESTS if self.export else REQUESTS


@dataclass
class Result:
    page: Page
    seconds: list
    first_byte: list
    elapsed: float
    queries: int
    size: int

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.seconds)

    @property
    def first_byte_ms(self) -> float:
        return 1000 * statistics.median(self.first_byte)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return 1000 * ordered[max(0, round(0.95 * len(ordered)) - 1)]

    @property
    def per_second(self) -> float:
        return len(self.seconds) / self.elapsed


def _pages():
    """The pages to load, found in the demo data (in this process, after django.setup())."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from accounts.demo import DEMO_LOGINS
    from accounts.models import User
    from schools.models import HubStaff
    from workgroups.models import AcademicYear, Participation, WorkGroup

    users = {key: User.objects.get(email=DEMO_LOGINS[key][1]) for key in ("hub_lead", "staff")}
    hub = HubStaff.objects.get(user=users["hub_lead"], role=HubStaff.Role.HUB_LEAD).hub
    year = AcademicYear.start_year_for(timezone.localdate())
    group = (
        WorkGroup.objects.filter(hub=hub, academic_year__start_year=year)
        .annotate(
            taking_part=Count(
                "participations", filter=~Q(participations__status=Participation.Status.WITHDRAWN)
            )
        )
        .order_by("-taking_part", "code")
        .first()
    )
    if group is None:
        raise SystemExit(f"The demo hub has no work groups in {year}: is the demo data loaded?")
    pages = [
        Page("hello", "/reports/bench/hello", "hub_lead"),
        Page("dashboard", f"/reports/?hub={hub.slug}&year={year}", "hub_lead"),
        Page("national view", f"/reports/national/?year={year}", "staff"),
        Page("cohort page", f"/groups/?hub={hub.slug}&year={year}", "hub_lead"),
        Page(f"work group page ({group.code})", f"/groups/{group.pk}/", "hub_lead"),
        Page("review queue", "/review/", "hub_lead"),
        Page(
            "export: participations, every hub and year (CSV)",
            "/reports/exports/participations.csv",
            "staff",
            export=True,
        ),
        Page(
            "export: schools and pathways, every hub (CSV)",
            "/reports/exports/schools.csv",
            "staff",
            export=True,
        ),
    ]
    after_a_change = [
        Page(f"{page.name}, after a change", page.path, page.who, page.export, after_a_change=True)
        for page in pages[1:]
    ]
    return users, pages, after_a_change


def _sessions(users) -> dict:
    """A signed-in session cookie per person, and a test client for counting queries."""
    from django.conf import settings
    from django.test import Client

    clients, cookies = {}, {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        clients[key] = client
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[key] = f"{settings.SESSION_COOKIE_NAME}={session}"
    return clients, cookies


def _fetch(client, path):
    response = client.get(path)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    response.close()
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in this process.")


def _a_change() -> None:
    """Count a change to the records, as a save anywhere in the portal would."""
    from hubportal import changes

    changes.mark_changed("workgroups")


def _count_queries(client, page: Page) -> int:
    """The SQL queries of one request, as the measured requests find things: after one request
    that leaves the page's records (or the export's file) in the cache, or after a change."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fetch(client, page.path)
    if page.after_a_change:
        _a_change()
    with CaptureQueriesContext(connection) as queries:
        _fetch(client, page.path)
    return len(queries)


def _load(port: int, page: Page, cookie: str, queries: int) -> Result:
    for _ in range(WARM_UP if page.export else 2 * WORKERS):
        status, *_ = _get(port, page.path, cookie)
        if status != 200:
            raise SystemExit(f"{page.path} answered {status} from gunicorn.")
    seconds, first_bytes, sizes, lock = [], [], [], threading.Lock()

    def one(_):
        if page.after_a_change:
            _a_change()
        status, first, took, size = _get(port, page.path, cookie)
        if status != 200:
            raise RuntimeError(f"{page.path} answered {status}")
        with lock:
            seconds.append(took)
            first_bytes.append(first)
            sizes.append(size)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        list(pool.map(one, range(page.requests)))
    elapsed = time.perf_counter() - started
    return Result(page, seconds, first_bytes, elapsed, queries, max(sizes))


def _machine() -> str:
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kilobytes = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kilobytes / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} CPUs{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {postgres}; gunicorn {WORKERS} sync "
        f"workers; {CLIENTS} concurrent clients on the same machine"
    )


def _scale() -> str:
    from schools.models import Hub, School
    from workgroups.models import Attendance, Participation

    return (
        f"{Hub.objects.count()} hubs, {School.objects.count():,} schools, "
        f"{Participation.objects.count():,} participations, "
        f"{Attendance.objects.count():,} attendance records"
    )


def main() -> int:
    _database_ready()
    os.environ.update(ENVIRONMENT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubportal.settings")
    import django

    django.setup()
    users, pages, after_a_change = _pages()
    clients, cookies = _sessions(users)
    port = _free_port()
    server = _start_gunicorn(port)
    try:
        results, afresh = [], []
        for page in pages + after_a_change:
            queries = _count_queries(clients[page.who], page)
            found = _load(port, page, cookies[page.who], queries)
            (afresh if page.after_a_change else results).append(found)
            print(f"  measured {page.name}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    hello = results[0].median_ms
    print()
    print(f"Machine: {_machine()}")
    print(f"Data: {_scale()}")
    print()
    _table(results, hello)
    print()
    print("Worked out afresh: a change to the records counted before every request.")
    print()
    _table(afresh, hello)
    print()
    slow = [result.page.name for result in results if result.median_ms / hello >= RATIO_LIMIT]
    if slow:
        print(f"Median at or over {RATIO_LIMIT} × hello's: {', '.join(slow)}.")
        return 1
    print(f"Every page's median is under {RATIO_LIMIT} × hello's.")
    return 0


def _table(results, hello: float) -> None:
    print(
        "| page | requests | req/s | median ms | p95 ms | × hello | first byte ms | "
        "SQL queries | size |"
    )
    print("|" + "---|" * 9)
    for result in results:
        print(
            f"| {result.page.name} | {len(result.seconds)} | {result.per_second:.1f} | "
            f"{result.median_ms:.1f} | {result.p95_ms:.1f} | {result.median_ms / hello:.1f} | "
            f"{result.first_byte_ms:.1f} | {result.queries} | {result.size / 1024:,.0f} KB |"
        )


if __name__ == "__main__":
    sys.exit(main())
