"""A hub lead finds a failed e-mail in the hub's outbox, reads why, and sends it again."""

import pytest

from notifications.models import Notification
from tests.factories import TEST_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hub_lead_resends_a_failed_mail_from_the_outbox(page, assert_accessible, hub, hub_lead):
    Notification.objects.create(
        kind="workshop_next_week",
        key="workshop:1:next_week:2025-10-16",
        recipient="lead@oak.example",
        hub=hub,
        subject="Workshop next week: NCP25-DEV-01 workshop 1",
        body_text="Hello,\n\nWorkshop 1 is next week.",
        status=Notification.Status.FAILED,
        attempts=5,
        last_error="ConnectionRefusedError: mail server refused the connection",
    )
    Notification.objects.create(
        kind="visit_coming_up",
        key="visit:1:coming_up:2025-10-20",
        recipient="head@elm.example",
        hub=hub,
        subject="Support visit on Monday 20 October: Elm Primary",
        body_text="Hello",
        status=Notification.Status.SENT,
    )
    sign_in(page, hub_lead.email, TEST_PASSWORD)

    page.get_by_role("button", name="More").click()  # the less used pages
    page.get_by_role("link", name="Outbox").click()
    assert page.locator("h1").inner_text() == "Outbox"
    assert_accessible(page)

    page.get_by_label("Status", exact=True).select_option("failed")
    page.get_by_role("button", name="Filter").click()
    assert page.get_by_text("Support visit on Monday 20 October").count() == 0
    page.get_by_role("link", name="Workshop next week: NCP25-DEV-01 workshop 1").click()
    assert page.get_by_text("mail server refused the connection").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send this e-mail again").click()
    assert page.get_by_text("is queued again").is_visible()
    assert_accessible(page)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
