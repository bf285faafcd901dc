"""With the real Redis and a real Celery worker: a submission leads to a decision and exactly one
outcome e-mail, and running the check again sends nothing more.

The worker is a separate process, so it must see this test's database: the test commits
(transactional_db) and the worker is started with DATABASE_URL naming the test database.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from enrolment.models import ExpressionOfInterest
from enrolment.services import eoi_submit
from enrolment.tasks import check_eligibility
from hubportal.celery import app as celery_app
from notifications.models import Notification
from notifications.tasks import send_notification

from .conftest import answers

ROOT = Path(__file__).resolve().parents[2]
TASKS = (check_eligibility, send_notification)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A worker on a queue of its own, on the test database, writing its mail to files."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL and DATABASE_URL (PostgreSQL) for this test.")
        pytest.skip("Needs REDIS_URL and a PostgreSQL DATABASE_URL the worker can share.")
    queue = f"test-enrolment-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.enrolment.worker_app",
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
        env={
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            # django-environ drops the first slash of the path: four make it absolute.
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "CONN_MAX_AGE": "0",
            "ENROLMENT_TEST_QUEUE": queue,
        },
    )
    # Send this test's tasks to its own worker, not to any other on the shared broker.
    for task in TASKS:
        monkeypatch.setattr(task, "queue", queue, raising=False)
        monkeypatch.setattr(task, "_exec_options", None)
    celery_app.conf.task_always_eager = False
    try:
        yield mail_dir
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def _outcome_mails(mail_dir) -> int:
    return sum(
        path.read_text(errors="replace").count("Subject: Your expression of interest: eligible")
        for path in mail_dir.iterdir()
    )


def _all_sent() -> bool:
    queued = Notification.objects.exclude(status=Notification.Status.SENT)
    return Notification.objects.filter(kind="eoi_outcome").exists() and not queued.exists()


def test_a_submission_is_decided_by_the_worker_with_one_outcome_mail(
    worker, hub, hub_school, hub_lead
):
    eoi, created = eoi_submit(**answers(hub_school))
    assert created

    assert _wait_for(_all_sent), "the worker did not check the submission and send its mail"
    eoi.refresh_from_db()
    assert eoi.status == ExpressionOfInterest.Status.TO_REVIEW
    assert eoi.outcome == "eligible"
    assert eoi.checked_at is not None
    assert _wait_for(lambda: _outcome_mails(worker) == 1)
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == ["eoi_acknowledgement", "eoi_hub_notice", "eoi_outcome"]

    # The same task again, through the worker: nothing is decided or sent twice.
    again = check_eligibility.apply_async(args=[eoi.pk])
    assert again.get(timeout=60) == ExpressionOfInterest.Status.TO_REVIEW
    assert _outcome_mails(worker) == 1
    assert Notification.objects.filter(kind="eoi_outcome").count() == 1
    assert eoi.events.filter(action="checked").count() == 1
