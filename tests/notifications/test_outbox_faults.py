"""The outbox against a real worker, a real SMTP server and a database that blinks.

Each test owns its services: an SMTP sink that refuses or accepts and counts each message by its
Message-ID, a worker process it may kill with SIGKILL, and a proxy in front of the database that
it cuts. The test process plays beat, calling the sweep as beat would every OUTBOX_SWEEP_SECONDS.
Recovery is asserted within three times the configured time; every mail reaches the sink once.
"""

import os
import signal
import time
import uuid

import pytest
from django.db import connection

from hubportal.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notify, outbox_sweep
from tests.support.faults import SmtpSink, TcpProxy, start_worker, wait_for, worker_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SWEEP = 1  # seconds between the sweeps the test runs, as beat would
SLOW_RETRY = 2
LEASE = 4


@pytest.fixture
def outbox(settings):
    """A queue of this test's, an SMTP sink, short outbox timings here and in the workers."""
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        if os.environ.get("CI"):
            pytest.fail("CI must set REDIS_URL and a PostgreSQL DATABASE_URL for worker tests.")
        pytest.skip("Worker tests need the real Redis (REDIS_URL) and PostgreSQL (DATABASE_URL).")
    settings.OUTBOX_SWEEP_SECONDS = SWEEP
    settings.OUTBOX_SLOW_RETRY_SECONDS = SLOW_RETRY
    settings.OUTBOX_LEASE_SECONDS = LEASE
    sink = SmtpSink().start()
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    workers = []

    def worker(**settings_env):
        env = {
            "EMAIL_URL": sink.url,
            "OUTBOX_SLOW_RETRY_SECONDS": str(SLOW_RETRY),
            "OUTBOX_LEASE_SECONDS": str(LEASE),
            **settings_env,
        }
        workers.append(start_worker(queue, **env))
        return workers[-1]

    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield sink, worker
    finally:
        celery_app.conf.task_default_queue = previous_queue
        for process in workers:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        sink.stop()


def _mails(n: int) -> list[Notification]:
    return [
        notify(
            kind="test",
            key=f"fault:{i}",
            to=f"teacher{i}@school.example",
            subject=f"Workshop reminder {i}",
            body_text="See you on Thursday.",
        )
        for i in range(n)
    ]


def _all_sent(mails) -> bool:
    outbox_sweep()  # beat's part
    return not Notification.objects.filter(pk__in=[m.pk for m in mails]).exclude(
        status=Notification.Status.SENT
    )


def _each_once(sink, mails) -> dict[str, int]:
    counts = sink.counts()
    return {m.message_id: counts[m.message_id] for m in mails if counts[m.message_id] != 1}


def test_a_mail_server_outage_longer_than_the_quick_retries_loses_nothing(outbox):
    sink, worker = outbox
    sink.refusing = True
    worker()
    mails = _mails(5)
    # The quick retries (0.5 s to 4 s here) are spent while the server refuses...
    assert wait_for(lambda: not Notification.objects.filter(attempts__lt=5).exists(), 30), list(
        Notification.objects.values_list("status", "attempts")
    )
    time.sleep(1)
    assert sum(sink.counts().values()) == 0
    # ...and once it accepts again, each mail goes within its slow retry, once.
    sink.refusing = False
    assert wait_for(lambda: _all_sent(mails), 3 * (SLOW_RETRY + SWEEP))
    assert _each_once(sink, mails) == {}


def test_a_worker_killed_mid_send_loses_nothing_and_sends_at_most_one_twice(outbox):
    sink, worker = outbox
    sink.delay = 0.3  # a slow mail server, so that the kill lands mid-send
    first = worker()
    mails = _mails(12)
    assert wait_for(lambda: sum(sink.counts().values()) >= 3, 30)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    worker()
    assert wait_for(lambda: _all_sent(mails), 3 * (LEASE + SWEEP) + 12 * sink.delay)
    assert all(sink.counts()[m.message_id] >= 1 for m in mails)
    # The one window left: SMTP accepted the mail in flight and the worker died before recording
    # it. That mail (with the same Message-ID) may go twice; no other can.
    twice = _each_once(sink, mails)
    assert len(twice) <= 1 and set(twice.values()) <= {2}


def test_a_database_blink_under_the_worker_sends_each_mail_once(outbox):
    sink, worker = outbox
    sink.delay = 0.1
    proxy = TcpProxy(
        connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"])
    )
    try:
        worker(DATABASE_URL=worker_database_url(port=proxy.port), OUTBOX_LEASE_SECONDS="30")
        mails = _mails(20)
        assert wait_for(lambda: sum(sink.counts().values()) >= 3, 30)
        proxy.cut()
        time.sleep(5)
        proxy.restore()
        assert wait_for(lambda: _all_sent(mails), 60)
        assert _each_once(sink, mails) == {}
    finally:
        proxy.close()
