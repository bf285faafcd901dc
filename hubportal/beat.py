"""Beat's scheduler: django-celery-beat's, going on through a database blink.

The stock scheduler reads its schedule from the database on each tick and lets some database
errors escape, which ends the beat process. This one logs the error, drops the broken
connection, reads the whole schedule again on the next tick and waits a few seconds: when the
database is back, so is the schedule, with no restart.
"""

import logging

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_celery_beat.schedulers import DatabaseScheduler

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5


class SteadyDatabaseScheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        try:
            return super().tick(*args, **kwargs)
        except (DatabaseError, InterfaceError) as error:
            logger.warning("Beat cannot reach the database (%s); trying again shortly.", error)
            close_old_connections()
            self._initial_read = True
            return RETRY_SECONDS
