"""Benchmark the portal at national scale: every busy page's cold path against two floors, and a
mixed load of reads and writes.

    make bench                      # or: .venv/bin/python bench/pages.py
    BENCH_ROUNDS=20 BENCH_EXPORT_REQUESTS=2 BENCH_SECONDS=30 make bench     # a quick try

1. Makes the PostgreSQL database `hubportal_bench` (postgres@127.0.0.1, trust authentication)
   if it is missing, migrates it, and loads the national demo data unless it holds schools.
2. Starts its own redis-server on a free loopback port (the broker and the cache), gunicorn
   with DEBUG off and the bench's settings (`bench.settings`: the portal's URLs and two floors,
   /bench/hello and /bench/hello-signed-in), and one Celery worker (solo pool) for the tasks
   the writes hand on.
3. Cold paths (bench/cold.py; nothing is kept between requests): one client, one request at a
   time, many rounds; in each round every page in a shuffled order, each page sampled together
   with one plain hello and one signed-in hello (as the same person), so noise hits page and
   floors alike. Per page: median and p95, the median as a multiple of each floor, the time to
   the first byte, and the SQL queries of one request (counted twice in this process).
   Exports: the first byte against the signed-in hello, and rows per second.
4. Mixed load (bench/mixed.py, bench/locustfile.py), twice with the same people and pacing:
   reads only, then with the writes (attendance marked, expressions of interest sent from
   distinct client addresses). p50, p95 and p99 per page side by side, errors, and the bench
   Redis's memory growth.
5. Prints the machine, the data, markdown tables, and a verdict line per limit; exits 1 if
   any limit is missed.

Settings, each optional: BENCH_DATABASE_URL; BENCH_ROUNDS (rounds of the cold paths, 200: each
page and each floor sampled that often); BENCH_EXPORT_REQUESTS (samples of each export, 10);
BENCH_MAX_SECONDS (time allowed for the cold-path rounds, 1800: the rounds stop there);
BENCH_WORKERS (gunicorn workers, two per CPU); BENCH_USERS (locust users, 25); BENCH_SECONDS
(each locust run, 90). The database is kept between runs: drop it to start afresh.
"""

import os
import platform
import signal
import sys
from pathlib import Path

# Run as a script: the project folder, not bench/, heads the import path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench import cold, mixed  # noqa: E402
from bench.config import (  # noqa: E402
    ENVIRONMENT,
    FLOORS,
    HOST,
    MIXED_P50_LIMIT,
    REDIS_GROWTH_LIMIT,
    ROUNDS,
    SECONDS,
    USERS,
    WORK,
    WORKERS,
)
from bench.processes import (  # noqa: E402
    cpu_seconds,
    database_ready,
    free_port,
    get,
    redis_client,
    start_gunicorn,
    start_redis,
    start_worker,
    stop,
)


def _machine(redis_port: int) -> str:
    from importlib.metadata import version

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
    redis_version = redis_client(redis_port).info("server")["redis_version"]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {postgres}; Redis {redis_version}; "
        f"gunicorn {version('gunicorn')}, {WORKERS} sync workers; locust {version('locust')}; "
        "every client on the same machine, over loopback"
    )


def _scale() -> str:
    from enrolment.models import ExpressionOfInterest
    from schools.models import Hub, School
    from workgroups.models import Attendance, Participation, WorkGroup

    return (
        f"national demo data: {Hub.objects.count()} hubs, {School.objects.count():,} schools, "
        f"{WorkGroup.objects.count():,} work groups, "
        f"{Participation.objects.count():,} participations, "
        f"{Attendance.objects.count():,} attendance records, "
        f"{ExpressionOfInterest.objects.count():,} expressions of interest"
    )


def _verdicts(measured, reads, loaded, growth) -> list[tuple[bool, str]]:
    lines = []
    for found in measured:
        page = found.page
        if found.errors or not found.total:
            lines.append((False, f"{page.name}: {len(found.errors)} errors in the cold samples"))
            continue
        if page.export:
            ratio = found.first_ratio_signed
            what = "first byte"
            floor = "signed-in hello"
        elif page.floor == "plain":
            ratio, what, floor = found.ratio_plain, "cold median", "hello"
        else:
            ratio, what, floor = found.ratio_signed, "cold median", "signed-in hello"
        lines.append(
            (ratio <= page.limit, f"{page.name}: {what} {ratio:.1f} × {floor} (≤ {page.limit})")
        )
    lines.append((loaded.errors == 0, f"mixed load: {loaded.errors} errors (0 allowed)"))
    for name, row in loaded.stats.items():
        before = reads.stats.get(name)
        if not before or not before[2]:
            continue  # a write: there is no reads-only figure to hold it to
        ratio = row[2] / before[2]
        lines.append(
            (
                ratio <= MIXED_P50_LIMIT,
                f"mixed load, {name}: p50 {row[2]} ms, {ratio:.2f} × reads only "
                f"({before[2]} ms; ≤ {MIXED_P50_LIMIT})",
            )
        )
    lines.append(
        (
            growth <= REDIS_GROWTH_LIMIT,
            f"bench Redis used_memory grew {growth / 1024 / 1024:+.2f} MB over the mixed run "
            f"(≤ {REDIS_GROWTH_LIMIT / 1024 / 1024:.0f} MB)",
        )
    )
    return lines


def _on_terminate(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")


def main() -> int:
    signal.signal(signal.SIGTERM, _on_terminate)
    database_ready()
    processes = []
    try:
        redis_port = free_port()
        processes.append(start_redis(redis_port))
        ENVIRONMENT["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
        os.environ.update(ENVIRONMENT)
        import django

        django.setup()
        people = cold.people_of_the_demo()
        pages = cold.pages_to_measure(people)
        port = free_port()
        server = start_gunicorn(port)
        processes.append(server)
        # Nobody needs the tasks' results, but a worker takes them off the broker, as in
        # production, so the writes cost what they cost there.
        worker = start_worker()
        processes.append(worker)
        floor_queries = {}
        for kind, path, who in FLOORS:
            cookie = cold.cookie_header(cold.session_cookie(people[who])) if who else ""
            sample = get(port, path, cookie)
            if sample.status != 200:
                raise SystemExit(f"{path} answered {sample.status}: is bench.settings served?")
            floor = cold.Page(kind, path, who, kind, 1)
            floor_queries[kind] = cold.two_counts(cold.count_queries(floor, people))

        print()
        print(f"Machine: {_machine(redis_port)}")
        print(f"Data: {_scale()}")
        print(f"Load average (1, 5, 15 min) at the start: {os.getloadavg()}")
        print()
        print(f"Cold paths: {ROUNDS} rounds of {len(pages)} pages, one request at a time.")
        measured, rounds, cold_seconds = cold.measure(port, pages, people)
        print()
        print(
            f"Cold paths: {rounds} rounds in {cold_seconds:.0f} s, one client, one request at a "
            "time; each page sampled beside one plain and one signed-in hello (as the same "
            "person); SQL queries counted in-process, twice."
        )
        print()
        cold.print_pages(measured, floor_queries)
        print()
        cold.print_exports(measured)
        print(flush=True)

        print(f"Mixed load: {USERS} users for {SECONDS} s, reads only and then with writes.")
        plan = mixed.write_plan(people)
        busy = [(cpu_seconds(server), cpu_seconds(worker))]
        reads = mixed.run(port, plan, writes=False)
        busy.append((cpu_seconds(server), cpu_seconds(worker)))
        before = mixed.used_memory(redis_port)
        loaded = mixed.run(port, plan, writes=True)
        after = mixed.used_memory(redis_port)
        busy.append((cpu_seconds(server), cpu_seconds(worker)))
        worker_alive = worker.poll() is None
    finally:
        for process in reversed(processes):
            stop(process)
        # The plan holds live session keys: it goes with the run.
        (WORK / "locust-plan.json").unlink(missing_ok=True)

    print()
    print(
        f"Mixed load (locust): {USERS} users (hub leads, specialists and schools, 2:2:1), one to "
        f"two seconds between requests, {SECONDS} s per run; the reads-only run makes a GET of "
        "the page in place of each write. Celery worker (solo pool) "
        f"{'running' if worker_alive else 'STOPPED (see its log)'} throughout. The machine's "
        f"one-minute load average: {reads.load[0]:.1f} → {reads.load[1]:.1f} over the reads-only "
        f"run, {loaded.load[0]:.1f} → {loaded.load[1]:.1f} over the mixed run."
    )
    (web_0, worker_0), (web_1, worker_1), (web_2, worker_2) = busy
    print(
        f"CPU seconds spent by gunicorn's workers: {web_1 - web_0:.0f} over the reads-only run, "
        f"{web_2 - web_1:.0f} over the mixed run; by the Celery worker: {worker_1 - worker_0:.0f} "
        f"and {worker_2 - worker_1:.0f}."
    )
    busiest = max(reads.load + loaded.load)
    if busiest > (os.cpu_count() or 1):
        print(
            f"Caution: the load average reached {busiest:.1f} on {os.cpu_count()} cores during "
            "the mixed-load runs; they follow each other, so what else ran on the machine "
            "weighs on their comparison as much as the writes do."
        )
    print()
    mixed.print_runs(reads, loaded)
    print()
    print(
        f"Bench Redis used_memory: {before / 1024 / 1024:.2f} MB before the mixed run, "
        f"{after / 1024 / 1024:.2f} MB after."
    )
    for failure in (reads.failures + loaded.failures)[:20]:
        print(f"  {failure}")
    print()
    verdicts = _verdicts(measured, reads, loaded, after - before)
    for ok, line in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {line}")
    failed = sum(1 for ok, _ in verdicts if not ok)
    print()
    print(f"{failed} of {len(verdicts)} limits missed." if failed else "Every limit is met.")
    print(f"Logs: {WORK}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
