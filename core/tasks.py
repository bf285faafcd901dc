"""Handing work to Celery without ever failing the person's request.

What must happen is first a row in the database (a mail in the outbox, an EOI awaiting its
check); the task is only a prompt to do it now. So the prompt goes after commit, and if the
broker cannot take it (Redis down or hung) the request goes on: the app's periodic sweep finds
the row and hands it over again.
"""

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)

# After the broker has failed once, this process leaves it alone this long: a request never
# waits on it twice (the client library's own reconnection takes about two seconds), and the
# sweeps hand over what was left meanwhile.
RETRY_AFTER_SECONDS = 10
_broker_down_until: dict[str, float] = {}  # by broker address


def hand_over(task, *args) -> None:
    """Send `task(*args)` to the workers after the current transaction commits, or log why not."""

    def send():
        broker = task.app.conf.broker_url
        in_process = task.app.conf.task_always_eager
        if not in_process and time.monotonic() < _broker_down_until.get(broker, 0):
            logger.info("The broker was down just now: %s%r waits for its sweep.", task.name, args)
            return
        try:
            # No publish retries: a broker that is down answers at once, and the sweep retries.
            task.apply_async(args=args, retry=False)
        except Exception as error:  # the broker's failure must not become the person's
            _broker_down_until[broker] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Could not hand %s%r to the workers: %s", task.name, args, error)

    transaction.on_commit(send)
