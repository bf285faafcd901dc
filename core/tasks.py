"""Handing work to Celery without ever failing the person's request.

What must happen is first a row in the database (a mail in the outbox, an EOI awaiting its
check); the task is only a prompt to do it now. So the prompt goes after commit, and if the
broker cannot take it (Redis down or hung) the request goes on: the app's periodic sweep finds
the row and hands it over again.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def hand_over(task, *args) -> None:
    """Send `task(*args)` to the workers after the current transaction commits, or log why not."""

    def send():
        try:
            # No publish retries: a broker that is down answers at once, and the sweep retries.
            task.apply_async(args=args, retry=False)
        except Exception as error:  # the broker's failure must not become the person's
            logger.warning("Could not hand %s%r to the workers: %s", task.name, args, error)

    transaction.on_commit(send)
