"""An expression of interest whose check was lost is checked all the same: by the sweep, or by
the hub's lead from its page; and a broker that is down never fails the school's Send."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterest
from enrolment.services import eoi_checks_sweep, eoi_submit
from hubportal.celery import app as celery_app
from schools.models import HubStaff
from tests.factories import HubStaffFactory
from tests.support.faults import RedisServer

from .conftest import answers, form_data

pytestmark = pytest.mark.django_db

RECEIVED = ExpressionOfInterest.Status.RECEIVED


def _waiting(school, minutes_ago: int) -> ExpressionOfInterest:
    """Sent, its check's task lost on the way (it never ran)."""
    celery_app.conf.task_always_eager = False
    try:
        eoi, _ = eoi_submit(**answers(school))
    finally:
        celery_app.conf.task_always_eager = True
    ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return eoi


def test_the_sweep_checks_what_waited_too_long_and_leaves_the_rest(
    hub_school, other_school, settings, django_capture_on_commit_callbacks
):
    settings.EOI_CHECK_AFTER_SECONDS = 180
    stuck, fresh = _waiting(hub_school, 10), _waiting(other_school, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert eoi_checks_sweep(acting_user=SYSTEM) == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status != RECEIVED and stuck.checked_at is not None
    assert fresh.status == RECEIVED


def test_the_hubs_lead_runs_a_lost_check_from_its_page(
    client, hub, other_hub, hub_school, hub_lead, django_capture_on_commit_callbacks
):
    eoi = _waiting(hub_school, 10)
    url = reverse("enrolment:eoi-check-now", args=[eoi.reference])
    client.force_login(HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user)
    assert client.post(url).status_code == 404
    client.force_login(hub_lead)
    page = client.get(reverse("enrolment:eoi-detail", args=[eoi.reference])).content.decode()
    assert "Not checked yet" in page and "Check now" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Checked:" in response.content.decode()
    eoi.refresh_from_db()
    assert eoi.status != RECEIVED


@pytest.fixture
def broker_down():
    """The workers' broker, a Redis of this test's, stopped: handing a task over fails."""
    server = RedisServer().start()
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = server.url
    celery_app.conf.task_always_eager = False
    celery_app.__dict__.pop("amqp", None)  # made again, with a producer pool for this broker
    celery_app._pool = None
    server.stop()
    yield server
    celery_app.conf.broker_url = previous
    celery_app.__dict__.pop("amqp", None)
    celery_app._pool = None
    celery_app.conf.task_always_eager = True


def test_with_the_broker_down_the_school_is_told_and_the_check_runs_when_it_is_back(
    hub, hub_school, broker_down, settings, django_capture_on_commit_callbacks
):
    client = Client(raise_request_exception=False)
    form_url = reverse("enrolment:eoi-create", args=[hub.slug, "development"])
    check_url = client.post(form_url, form_data(hub_school)).url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check_url, follow=True)
    assert response.status_code == 200
    eoi = ExpressionOfInterest.objects.get()
    assert eoi.reference in response.content.decode()
    assert eoi.status == RECEIVED

    # Redis is back (here: tasks run in this process again); the sweep finds the lost check.
    celery_app.conf.task_always_eager = True
    settings.EOI_CHECK_AFTER_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert eoi_checks_sweep(acting_user=SYSTEM) == 1
    eoi.refresh_from_db()
    assert eoi.status != RECEIVED
