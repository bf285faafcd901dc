"""No outbox service trusts its caller: each refuses a person who may not act, changing nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from core.roles import SYSTEM
from notifications import services
from notifications.models import Notification, NotificationPreference
from schools.models import HubStaff
from tests.factories import HubStaffFactory
from tests.support.services import services_taking_acting_user

from .test_outbox_page import mail

pytestmark = pytest.mark.django_db


def _refusals(hub, other_hub, people):
    failed = mail(hub, status=Notification.Status.FAILED)
    preference = NotificationPreference.objects.create(user=people["hub_lead"])
    return {
        # A lead of another hub may not send this hub's mail again.
        "notification_resend": lambda: services.notification_resend(
            notification=failed, acting_user=_lead_of(other_hub)
        ),
        "notifications_resend_failed": lambda: services.notifications_resend_failed(
            acting_user=people["specialist"]
        ),
        "preferences_set": lambda: services.preferences_set(
            preference=preference, acting_user=people["school_contact"], reminders=False
        ),
    }


def _lead_of(hub):
    return HubStaffFactory(hub=hub, role=HubStaff.Role.HUB_LEAD).user


def test_every_outbox_service_has_a_refusal_case(hub, other_hub, people):
    assert set(_refusals(hub, other_hub, people)) == services_taking_acting_user(services)


@pytest.mark.parametrize(
    "name", ["notification_resend", "notifications_resend_failed", "preferences_set"]
)
def test_each_outbox_service_refuses_who_may_not_act(hub, other_hub, people, name):
    refusals = _refusals(hub, other_hub, people)
    before = list(Notification.objects.values_list("pk", "status", "attempts", "resent_by"))
    before += list(NotificationPreference.objects.values_list("pk", "reminders", "digests"))
    with pytest.raises(PermissionDenied):
        refusals[name]()
    after = list(Notification.objects.values_list("pk", "status", "attempts", "resent_by"))
    after += list(NotificationPreference.objects.values_list("pk", "reminders", "digests"))
    assert after == before


def test_the_system_may_send_any_mail_again(hub):
    failed = mail(hub, status=Notification.Status.FAILED)
    services.notification_resend(notification=failed, acting_user=SYSTEM)
    failed.refresh_from_db()
    assert failed.status == Notification.Status.QUEUED
    assert failed.resent_by is None  # the system is recorded as nobody in particular
