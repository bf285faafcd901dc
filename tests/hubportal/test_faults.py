"""When Redis or PostgreSQL fail: the pages answer, say what is wrong, and beat carries on.

Each test breaks services of its own: a redis-server on its own port (stopped, or hung with
SIGSTOP), and a TCP proxy in front of the database that the test cuts and restores. The machine's
shared PostgreSQL and Redis are never touched.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from enrolment.models import ExpressionOfInterest
from hubportal.settings import redis_cache
from tests.enrolment.conftest import form_data
from tests.factories import UserFactory
from tests.support.faults import RedisServer, TcpProxy, wait_for, worker_database_url

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Numbers-and-shapes-2026"


@pytest.fixture
def own_redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def cache_on(settings):
    def use(server):
        settings.CACHES = {"default": redis_cache(server.url)}

    return use


def _sign_in(client, user) -> int:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["down", "hung"])
def test_with_redis_down_or_hung_people_sign_in_and_pages_answer_at_once(
    own_redis, cache_on, fault
):
    cache_on(own_redis)
    user = UserFactory(password=PASSWORD)
    client = Client(raise_request_exception=False)
    if fault == "down":
        own_redis.stop()
    else:
        own_redis.hang()

    started = time.monotonic()
    assert _sign_in(client, user) == 302  # the rate limit's counter is skipped, not fatal
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(reverse("enrolment:catalogue-index")).status_code == 200
    # A hung server costs each cache call its short timeout, never the page.
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_with_redis_down_a_school_sends_its_expression_of_interest(
    own_redis, cache_on, hub, hub_school, django_capture_on_commit_callbacks
):
    cache_on(own_redis)
    own_redis.stop()
    client = Client(raise_request_exception=False)
    form_url = reverse("enrolment:eoi-create", args=[hub.slug, "development"])
    check_url = client.post(form_url, form_data(hub_school)).url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check_url)
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.filter(school=hub_school).exists()


@pytest.fixture
def database_behind_proxy(transactional_db):
    """This test's connection goes through a proxy it can cut; put back afterwards."""
    original = dict(connection.settings_dict)
    proxy = TcpProxy(original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432))
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    yield proxy
    proxy.close()
    connection.close()
    connection.settings_dict.update(HOST=original["HOST"], PORT=original["PORT"])


def test_without_the_database_pages_say_try_again_in_a_minute_then_recover(
    database_behind_proxy,
):
    if connection.vendor != "postgresql":
        pytest.skip("The database blink is a PostgreSQL connection cut through a proxy.")
    user = UserFactory(password=PASSWORD)
    client = Client(raise_request_exception=False)
    assert _sign_in(client, user) == 302

    database_behind_proxy.cut()
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "try again in a minute" in response.content.decode()
    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["database"].startswith("down")

    database_behind_proxy.restore()

    def answers() -> bool:
        # What the end of each request does outside the test client: drop a broken connection.
        connection.close_if_unusable_or_obsolete()
        return client.get(reverse("accounts:profile")).status_code == 200

    assert wait_for(answers, 10)


# Beat, reading its whole schedule from the database every second rather than every five
# minutes, so that the cut lands on a read.
BEAT_READING_OFTEN = (
    "import sys, django; django.setup(); "
    "import django_celery_beat.schedulers as s; s.SCHEDULE_SYNC_MAX_INTERVAL = 1; "
    "from celery.__main__ import main; sys.argv[0] = 'celery'; sys.exit(main())"
)


def test_beat_goes_on_through_a_database_blink(database_behind_proxy, own_redis, tmp_path):
    """Beat reads its schedule from the database: cut under it, it waits, then goes on."""
    if connection.vendor != "postgresql":
        pytest.skip("The database blink is a PostgreSQL connection cut through a proxy.")
    log = tmp_path / "beat.log"
    beat = subprocess.Popen(
        [sys.executable, "-c", BEAT_READING_OFTEN, "-A", "hubportal", "beat", "--loglevel=INFO"]
        + ["--pidfile=", "-s", str(tmp_path / "beat-schedule")],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": worker_database_url(port=database_behind_proxy.port),
            "REDIS_URL": own_redis.url,  # what beat queues goes to a broker of this test's
            "OUTBOX_SWEEP_SECONDS": "1",
            "DJANGO_SETTINGS_MODULE": "hubportal.settings",
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )

    def sent() -> int:
        return log.read_text().count("Sending due task outbox-sweep")

    try:
        assert wait_for(lambda: sent() >= 2, 60), log.read_text()
        database_behind_proxy.cut()
        time.sleep(8)  # longer than a tick, and than the stock scheduler's retry of a save
        assert beat.poll() is None, log.read_text()
        database_behind_proxy.restore()
        before = sent()
        assert wait_for(lambda: sent() >= before + 2, 30), log.read_text()
        assert beat.poll() is None
    finally:
        beat.terminate()
        beat.wait(timeout=30)
