"""A real Celery worker, started here against the real Redis, runs the diagnostic task."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from hubportal.celery import app as celery_app
from hubportal.tasks import diagnostic_ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_queue():
    """A worker of our own, on a queue of our own, for the length of one test."""
    if not settings.REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL: the worker test needs the real Redis.")
        pytest.skip("REDIS_URL is not set: no broker to start a worker against.")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hubportal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    celery_app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.worker
def test_a_real_worker_runs_the_diagnostic_task(worker_queue):
    result = diagnostic_ping.apply_async(args=["hubportal"], queue=worker_queue)
    assert result.get(timeout=60) == "pong: hubportal"
    assert result.successful()


def test_without_a_broker_tasks_run_in_process():
    assert diagnostic_ping.delay("local").get(timeout=5) == "pong: local"
