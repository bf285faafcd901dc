"""Locks: for as long as a transaction lasts, and single flight for periodic jobs.

The summaries are counted again by the service that changed what they count, in its
transaction. Two such transactions counting the same hub year at once would each miss the
other's change (neither sees what the other has not committed) and the one to commit last
would leave its count, one short. Holding the summary's lock from before the count until commit
puts them one after the other: the second counts after the first has committed. On PostgreSQL a
transaction-scoped advisory lock; SQLite has one writer at a time already.
"""

import hashlib
import logging
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit number for the name: PostgreSQL's advisory lock key."""
    digest = hashlib.blake2b(f"hubportal:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_until_commit(*names) -> None:
    """Wait for, and hold until the transaction ends, the lock of each name (in one order
    everywhere, so two transactions never wait on each other)."""
    if connection.vendor != "postgresql" or not names:
        return
    keys = sorted({lock_key(repr(name)) for name in names})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# Single flight: at most one run of a periodic job at a time, across every worker. Beat may
# queue a job while the last is still running, an operator may press "run" in the admin, or a
# task left unacknowledged is delivered again: only one run does the work, the others return at
# once.


def _advisory_unlock(key: int) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    except DatabaseError:
        # The connection broke (perhaps what made the job fail): its locks went with it.
        logger.warning("Could not release advisory lock %s: the connection is gone.", key)


@contextmanager
def single_flight(name: str):
    """Yield True while this process holds the job's lock, False if another run holds it.

    On PostgreSQL a session advisory lock: the database frees it the moment a dead worker's
    connection drops. Elsewhere (SQLite, where a single process runs tasks in-process) a cache
    key added atomically, which expires after the task time limit in case its holder died.
    """
    if connection.vendor == "postgresql":
        key = lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                _advisory_unlock(key)
        return
    key, token = f"single-flight:{name}", uuid.uuid4().hex
    acquired = cache.add(key, token, timeout=settings.CELERY_TASK_TIME_LIMIT)
    try:
        yield acquired
    finally:
        # Only the holder releases, and only its own token (not a later run's, after expiry).
        if acquired and cache.get(key) == token:
            cache.delete(key)
