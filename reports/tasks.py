"""The nightly retention run and the gathering of subject access exports, as Celery tasks."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.locks import single_flight
from core.roles import SYSTEM
from core.tasks import hand_over

from .models import SubjectAccessRequest
from .retention import retention_apply
from .subject_access import subject_access_build

logger = logging.getLogger(__name__)

# A request still waiting this long lost its task (a broker blink): the sweep hands it on.
LOST_AFTER = timedelta(minutes=5)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=60, max_retries=3)
def apply_retention():
    """Apply the retention schedule (single flight)."""
    with single_flight("reports.apply_retention") as acquired:
        if not acquired:
            logger.info("The retention run is already running elsewhere: this one does nothing.")
            return None
        return retention_apply(acting_user=SYSTEM)


@shared_task
def sweep_subject_access() -> int:
    """Hand on every export whose task was lost (beat runs this every few minutes)."""
    lost = SubjectAccessRequest.objects.filter(
        status=SubjectAccessRequest.Status.WAITING, created_at__lt=timezone.now() - LOST_AFTER
    )
    handed = 0
    for pk in lost.values_list("pk", flat=True):
        hand_over(build_subject_access, pk)
        handed += 1
    return handed


@shared_task
def build_subject_access(request_id: int):
    """Gather one subject access export; nothing if it is not waiting. A failure is shown to
    the asker, who asks again."""
    access_request = SubjectAccessRequest.objects.filter(pk=request_id).first()
    if access_request is not None:
        subject_access_build(access_request=access_request, acting_user=SYSTEM)
