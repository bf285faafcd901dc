from celery import shared_task
from django.conf import settings

from .services import SendFailed, notification_send, outbox_sweep


@shared_task(bind=True, max_retries=None, acks_late=True)
def send_notification(self, notification_id: int):
    """Send one mail from the outbox, retrying with exponential backoff while it fails."""
    try:
        notification_send(notification_id=notification_id)
    except SendFailed as error:
        # 10 s, 20 s, 40 s, 80 s: short countdowns, well inside the broker's visibility timeout.
        # The base is a setting so that the real-worker tests can retry in a fraction of that.
        base = settings.NOTIFICATION_RETRY_BASE_SECONDS
        raise self.retry(exc=error, countdown=base * 2**self.request.retries) from error


@shared_task
def sweep_outbox():
    """Re-queue mail that a dead worker left behind."""
    return outbox_sweep()
