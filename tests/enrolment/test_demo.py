"""The demo data: next year's expressions of interest in the demo hub, in every state."""

import io

import pytest
from django.core.management import call_command

from enrolment.models import ExpressionOfInterest
from schools.models import Hub

pytestmark = pytest.mark.django_db


def test_the_demo_has_submissions_in_every_state_the_hub_lead_meets(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", scale="small", stdout=out)
    assert "Expressions of interest:" in out.getvalue()
    demo_hub = Hub.objects.order_by("pk").first()
    eois = ExpressionOfInterest.objects.filter(hub=demo_hub)
    statuses = set(eois.values_list("status", flat=True))
    assert statuses == {"to_review", "waitlisted", "placed", "declined", "not_eligible"}
    outcomes = set(eois.values_list("outcome", flat=True))
    assert outcomes == {"eligible", "needs_review", "not_eligible"}
    assert eois.exclude(override_note="").exists()
    placed = eois.get(status="placed")
    assert placed.participation is not None
    assert placed.school.contacts.filter(user__isnull=False).count() == 3
    assert all(e.reference and e.events.exists() for e in eois)
