from celery import shared_task
from django.db import OperationalError

from core.roles import SYSTEM

from .services import eoi_check


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=6,
)
def check_eligibility(eoi_id: int) -> str:
    """Check one expression of interest and send its outcome; a re-run sends nothing twice."""
    return eoi_check(eoi_id=eoi_id, acting_user=SYSTEM).status
