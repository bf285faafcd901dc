"""The bench's database and the processes it starts: its own Redis, gunicorn, a Celery worker.

Each process started here is stopped by bench/pages.py's main(), whatever happens.
"""

import http.client
import math
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .config import BIN, DATABASE_URL, ENVIRONMENT, HOST, ROOT, WORK, WORKERS


def _manage(*args: str, capture: bool = False) -> str:
    # Before the bench's Redis starts: the seed runs its tasks in-process, as on a bare machine.
    environment = {**os.environ, **ENVIRONMENT, "CACHE_URL": "locmemcache://"}
    environment.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout or ""


def database_ready() -> None:
    """Create the database if missing; migrate; load the national demo data if empty."""
    import psycopg2

    url = urlsplit(DATABASE_URL)
    if url.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("The bench only runs against a database on 127.0.0.1.")
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
    # A database seeded before a summary table existed gets it filled (idempotent when right).
    if "rebuild_summaries" in _manage("help", "--commands", capture=True).split():
        _manage("rebuild_summaries")
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def log_file(name: str):
    return open(WORK / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)


def _wait_for(what: str, ready, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"{what} did not start within {seconds:.0f} s (logs in {WORK}).")


def start_redis(port: int) -> subprocess.Popen:
    if shutil.which("redis-server") is None:
        raise SystemExit("make bench starts its own redis-server: install it (apt redis-server).")
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=log_file("redis"),
        stderr=subprocess.STDOUT,
    )
    _wait_for("redis-server", lambda: redis_client(port).ping())
    return redis


def redis_client(port: int):
    import redis

    return redis.Redis(host=HOST, port=port, socket_timeout=5, socket_connect_timeout=5)


def start_gunicorn(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "hubportal.wsgi",
            f"--bind={HOST}:{port}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=300",
        ],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
        stdout=log_file("gunicorn"),
        stderr=subprocess.STDOUT,
    )
    _wait_for("gunicorn", lambda: get(port, "/healthz", "").status == 200)
    return server


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "hubportal", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT,
        env={**os.environ, **ENVIRONMENT},
        stdout=log_file("celery"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Sample:
    status: int
    first: float  # seconds to the first byte of the body
    total: float  # seconds to the last
    size: int
    lines: int


def get(port: int, path: str, cookie: str) -> Sample:
    """One GET on a fresh connection (gunicorn's sync workers close each one)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        chunk = response.read1(65536)
        first = time.perf_counter() - started
        size, lines = len(chunk), chunk.count(b"\n")
        while chunk := response.read(65536):
            size += len(chunk)
            lines += chunk.count(b"\n")
        return Sample(response.status, first, time.perf_counter() - started, size, lines)
    finally:
        connection.close()


def cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user and system) of a process and its children so far; NaN off Linux."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone since the listing
            pid, parent = int(stat.parent.name), int(fields[1])
            if process.pid in (pid, parent):
                total += (int(fields[11]) + int(fields[12])) / tick
        return total
    except (OSError, ValueError, IndexError):
        return math.nan
