"""What `make bench` runs against and with, from BENCH_* environment variables."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hubportal_bench"
)
# Cold paths: rounds of every page, each sample beside one of each floor.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
EXPORT_REQUESTS = int(os.environ.get("BENCH_EXPORT_REQUESTS", "10"))
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "1800"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2))))
# Mixed load: locust users, and the length of each of its two runs.
USERS = int(os.environ.get("BENCH_USERS", "25"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "90"))
SPAWN_RATE = min(5, USERS)
# The soak (make soak): one long mixed run, memory sampled every SOAK_EVERY seconds.
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
SOAK_EVERY = 30
SOAK_WORKER_GROWTH_LIMIT = 20 * 1024 * 1024
# The people the mixed load signs in as, and the schools' distinct clients.
HUB_LEADS = 10
SPECIALISTS = 10
SCHOOL_CLIENTS = 10

# The floors: (kind, path, who signs in).
FLOORS = [("plain", "/bench/hello", None), ("signed", "/bench/hello-signed-in", "hub_lead")]

# The limits of the issue: a page's cold median against a floor's, in the same run.
DASHBOARD_LIMIT = 2
NATIONAL_LIMIT = 4
SIGNED_IN_LIMIT = 3
PUBLIC_LIMIT = 5
EXPORT_FIRST_BYTE_LIMIT = 3
MIXED_P50_LIMIT = 2
REDIS_GROWTH_LIMIT = 2 * 1024 * 1024

# Logs, the locust plan (it holds session keys) and its statistics: one folder per run.
WORK = Path(tempfile.mkdtemp(prefix="hubportal-bench-"))
ENVIRONMENT = {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "PYTHONPATH": str(ROOT),
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "hubportal-bench-static"),
    # Kept exports (and any upload) stay out of the project folder.
    "MEDIA_ROOT": str(WORK / "media"),
    "LOG_LEVEL": "WARNING",
    # The e-mails the demo data and the writes cause go nowhere.
    "EMAIL_URL": "dummymail://",
    "CONN_MAX_AGE": "600",
}
