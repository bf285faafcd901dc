from celery import shared_task
from django.db import OperationalError

from core.locks import single_flight
from core.roles import SYSTEM

from .services import eoi_check, eoi_checks_sweep


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


@shared_task
def sweep_eoi_checks() -> int | None:
    """Check again what waits too long for its check (beat, every EOI_CHECK_SWEEP_SECONDS)."""
    with single_flight("enrolment.sweep_eoi_checks") as acquired:
        return eoi_checks_sweep(acting_user=SYSTEM) if acquired else None
