"""Single flight: at most one run of a periodic job at a time, across every worker.

Beat may queue a scan while yesterday's is still running, an operator may press "run" in the
admin, or a task left unacknowledged is delivered again: only one run does the work, the others
return at once. The outbox's unique key already stops a mail going twice; the lock saves the
second run's reads and the noise of its refused inserts.
"""

import logging
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

from core.locks import lock_key

logger = logging.getLogger(__name__)


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
