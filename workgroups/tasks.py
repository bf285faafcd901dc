from celery import shared_task

from .services import workshop_notify_rescheduled


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def workshop_rescheduled_notify(workshop_id: int, sequence: int) -> int:
    """Tell a rescheduled workshop's attendees its new day; a re-run sends nothing twice."""
    return workshop_notify_rescheduled(workshop_id=workshop_id, sequence=sequence)
