from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError

from .services import MAX_ATTEMPTS, SendFailed, notification_send, outbox_sweep


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_notification(self, notification_id: int):
    """Send one mail from the outbox, retrying with exponential backoff while it fails: the mail
    server's refusals (SendFailed) and the database's blinks alike."""
    try:
        notification_send(notification_id=notification_id, retrying=self.request.retries > 0)
    except (SendFailed, DatabaseError, InterfaceError) as error:
        # 10 s, 20 s, 40 s, 80 s: short countdowns, well inside the broker's visibility timeout;
        # beyond them the mail waits in the outbox for the sweep. The base is a setting so that
        # the real-worker tests can retry in a fraction of that.
        retries = min(self.request.retries, MAX_ATTEMPTS - 1)
        base = settings.NOTIFICATION_RETRY_BASE_SECONDS
        raise self.retry(exc=error, countdown=base * 2**retries) from error


@shared_task
def sweep_outbox():
    """Hand the workers every mail due: lost tasks, lapsed claims, backoffs over."""
    return outbox_sweep()
