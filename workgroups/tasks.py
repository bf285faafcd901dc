from celery import shared_task

from .services import workshop_notify_schedule


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def workshop_rescheduled_notify(workshop_id: int, sequence: int) -> int:
    """Tell a rescheduled workshop's people its new day; a re-run sends nothing twice.

    Scheduling now records its notices with the change itself: this task stays so that one
    queued before that still runs."""
    return workshop_notify_schedule(workshop_id=workshop_id, sequence=sequence)
