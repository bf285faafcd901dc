"""The soak: one long mixed load (reads and writes, as `make bench`'s mixed run), with the memory
of the bench's Redis and of the Celery worker sampled all along. Both must stay flat.

    make soak                       # or: .venv/bin/python bench/soak.py
    BENCH_SOAK_SECONDS=120 make soak                                      # a quick try

Bounded and on the loopback only: the bench's own database, redis-server, gunicorn and worker
(bench/processes.py), BENCH_USERS locust users (25) for BENCH_SOAK_SECONDS (600). Prints a
sample every 30 s and a verdict: Redis grows by at most 2 MB and the worker's resident memory by
at most 20 MB from the first sample after warm-up to the end; exits 1 otherwise, or on any
failed request.
"""

import os
import sys
import threading
from pathlib import Path

# Run as a script: the project folder, not bench/, heads the import path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench import cold, mixed  # noqa: E402
from bench.config import (  # noqa: E402
    ENVIRONMENT,
    HOST,
    REDIS_GROWTH_LIMIT,
    SOAK_EVERY,
    SOAK_SECONDS,
    SOAK_WORKER_GROWTH_LIMIT,
    USERS,
    WORK,
)
from bench.processes import (  # noqa: E402
    database_ready,
    free_port,
    start_gunicorn,
    start_redis,
    start_worker,
    stop,
)


def resident_bytes(pid: int) -> int:
    """The process's resident memory (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _sample(redis_port, worker, samples, done) -> None:
    while True:
        samples.append((mixed.used_memory(redis_port), resident_bytes(worker.pid)))
        if done.wait(SOAK_EVERY):
            return


def _mb(value: int) -> str:
    return f"{value / 1024 / 1024:.1f}"


def main() -> int:
    database_ready()
    processes = []
    samples, done = [], threading.Event()
    try:
        redis_port = free_port()
        processes.append(start_redis(redis_port))
        ENVIRONMENT["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
        os.environ.update(ENVIRONMENT)
        import django

        django.setup()
        people = cold.people_of_the_demo()
        port = free_port()
        processes.append(start_gunicorn(port))
        worker = start_worker()
        processes.append(worker)
        plan = mixed.write_plan(people)
        print(f"Soak: {USERS} users, reads and writes, for {SOAK_SECONDS} s.", flush=True)
        sampler = threading.Thread(target=_sample, args=(redis_port, worker, samples, done))
        sampler.start()
        run = mixed.run(port, plan, writes=True, seconds=SOAK_SECONDS)
        done.set()
        sampler.join()
        worker_alive = worker.poll() is None
    finally:
        done.set()
        for process in reversed(processes):
            stop(process)
        (WORK / "locust-plan.json").unlink(missing_ok=True)

    print()
    print("| after | Redis used_memory MB | worker resident MB |")
    print("|---|---|---|")
    for n, (redis_bytes, worker_bytes) in enumerate(samples):
        print(f"| {n * SOAK_EVERY} s | {_mb(redis_bytes)} | {_mb(worker_bytes)} |")
    # From the first sample after warm-up (the worker's first tasks load the code it runs).
    (redis_start, worker_start), (redis_end, worker_end) = (
        samples[min(1, len(samples) - 1)],
        samples[-1],
    )
    requests = sum(row[0] for row in run.stats.values())
    verdicts = [
        (run.errors == 0, f"{requests} requests, {run.errors} errors"),
        (worker_alive, "the Celery worker ran throughout"),
        (
            redis_end - redis_start <= REDIS_GROWTH_LIMIT,
            f"Redis grew by {_mb(redis_end - redis_start)} MB (limit {_mb(REDIS_GROWTH_LIMIT)})",
        ),
        (
            worker_end - worker_start <= SOAK_WORKER_GROWTH_LIMIT,
            f"the worker grew by {_mb(worker_end - worker_start)} MB "
            f"(limit {_mb(SOAK_WORKER_GROWTH_LIMIT)})",
        ),
    ]
    print()
    for failure in run.failures[:20]:
        print(f"  {failure}")
    for ok, line in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {line}")
    return 0 if all(ok for ok, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
