"""With the real Redis and real Celery workers: scans send once, failing mail is retried or failed.

Each test starts workers in subprocesses on a queue of their own, pointed at the test database
(PostgreSQL: the workers connect to it like any other client) and at a test mail backend that
counts in Redis, so the test can see what another process delivered.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from hubportal.celery import app as celery_app
from notifications.models import Notification
from notifications.services import MAX_ATTEMPTS, notify
from notifications.tasks import send_notification
from reminders.tasks import remind_workshops_coming_up
from tests.support.mail import attempts_key, delivered, delivered_key

from .conftest import schedule

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    """DATABASE_URL, pointing at the test database this test writes to."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = connection.settings_dict["NAME"]
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def wait_for(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def workers(transactional_db):
    """Start workers on a queue of this test's; this process sends its tasks there too."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL and a PostgreSQL DATABASE_URL for worker tests.")
        pytest.skip("Worker tests need the real Redis (REDIS_URL) and PostgreSQL (DATABASE_URL).")
    queue, mail_key = f"test-{uuid.uuid4().hex[:8]}", f"test-mail-{uuid.uuid4().hex[:8]}"
    started = []

    def start(backend: str, count: int = 1, **settings_env: str) -> str:
        env = {
            **os.environ,
            **settings_env,
            "DATABASE_URL": _test_database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "TEST_EMAIL_BACKEND": backend,
            "TEST_MAIL_KEY": mail_key,
            "TEST_CELERY_QUEUE": queue,
        }
        for n in range(count):
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "hubportal",
                        "worker",
                        "--pool=solo",
                        "-Q",
                        queue,
                        "-n",
                        f"{queue}-{n}@%h",
                        "--loglevel=WARNING",
                        "--without-heartbeat",
                        "--without-gossip",
                        "--without-mingle",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        return mail_key

    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_default_queue = previous_queue
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.wait(timeout=30)
        redis.Redis.from_url(settings.REDIS_URL).delete(
            queue, delivered_key(mail_key), attempts_key(mail_key)
        )


def test_a_scan_on_two_workers_sends_each_mail_once(workers, world, specialist):
    mail_key = workers("tests.support.mail.RedisOutboxBackend", count=2)
    schedule(world.workshop(1), timezone.localdate() + timedelta(days=7), host=world.host)
    expected = {world.participant.email, world.host_contact.email, specialist.email}

    # Beat and an operator queue the same scan at once, on two workers: each mail goes once.
    runs = [remind_workshops_coming_up.delay() for _ in range(3)]
    results = [run.get(timeout=60) for run in runs]

    assert Notification.objects.count() == len(expected)
    assert sum(result or 0 for result in results) == len(expected)
    assert wait_for(lambda: len(delivered(mail_key)) >= len(expected))
    assert wait_for(
        lambda: not Notification.objects.exclude(status=Notification.Status.SENT).exists()
    )
    # A broker delivering a mail's task again (a worker died before acknowledging it) and the
    # next morning's run send nothing more.
    for pk in Notification.objects.values_list("pk", flat=True):
        send_notification.delay(pk).get(timeout=30)
    assert remind_workshops_coming_up.delay().get(timeout=60) == 0
    time.sleep(1)
    assert sorted(item["to"][0] for item in delivered(mail_key)) == sorted(expected)


def test_a_mail_server_failing_twice_ends_sent_once_after_retries(workers):
    mail_key = workers("tests.support.mail.RedisFailTwiceBackend")

    notification = notify(
        kind="test",
        key="worker:fail-twice",
        to="person@school.example",
        subject="A test",
        template="notifications/email/test",
        context={"name": "Sam"},
    )

    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).status == "sent")
    notification.refresh_from_db()
    assert notification.attempts == 3
    assert len(delivered(mail_key)) == 1


def test_a_mail_server_that_always_fails_ends_failed_with_the_error(workers):
    # Given up as soon as the quick attempts are spent (a day, outside the tests).
    mail_key = workers("tests.support.mail.AlwaysFailingBackend", OUTBOX_GIVE_UP_SECONDS="0")

    notification = notify(
        kind="test",
        key="worker:always-fails",
        to="person@school.example",
        subject="A test",
        template="notifications/email/test",
        context={"name": "Sam"},
    )

    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).status == "failed")
    notification.refresh_from_db()
    assert notification.attempts == MAX_ATTEMPTS
    assert "ConnectionRefusedError: mail server refused the connection" in notification.last_error
    assert delivered(mail_key) == []
