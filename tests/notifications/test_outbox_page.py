"""The outbox page: a hub lead's view of the hub's mail, with filters and a resend action."""

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "hub_lead", "specialist", "school_contact", "outsider"]


def mail(hub=None, *, status=Notification.Status.SENT, n=1, **fields) -> Notification:
    fields = {
        "kind": "test",
        "key": f"test:{hub.pk if hub else 'national'}:{status}:{n}",
        "recipient": f"person{n}@school.example",
        "hub": hub,
        "subject": f"Mail {n} ({status})",
        "body_text": "Hello",
        "status": status,
        **fields,
    }
    return Notification.objects.create(**fields)


# Who may see what -------------------------------------------------------------------------------

MATRIX = {
    "list": {"staff", "hub_lead"},
    "own-hub-mail": {"staff", "hub_lead"},
    "other-hub-mail": {"staff"},
    "national-mail": {"staff"},
}


@pytest.fixture
def urls(hub, other_hub):
    return {
        "list": reverse("notifications:outbox-list"),
        "own-hub-mail": reverse("notifications:outbox-detail", args=[mail(hub).pk]),
        "other-hub-mail": reverse("notifications:outbox-detail", args=[mail(other_hub).pk]),
        "national-mail": reverse("notifications:outbox-detail", args=[mail(None).pk]),
    }


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, people, urls, role, name):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(urls[name])
    if role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    elif role in MATRIX[name]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_hubs_lead_and_staff_can_resend(client, people, hub, role):
    failed = mail(hub, status=Notification.Status.FAILED)
    if people[role] is not None:
        client.force_login(people[role])

    response = client.post(reverse("notifications:outbox-resend", args=[failed.pk]))

    failed.refresh_from_db()
    if role in {"staff", "hub_lead"}:
        assert response.status_code == 302
        assert failed.status == Notification.Status.QUEUED
        assert failed.resent_by == people[role]
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert failed.status == Notification.Status.FAILED


def test_a_hub_lead_cannot_resend_another_hubs_mail(client, hub_lead, other_hub):
    theirs = mail(other_hub, status=Notification.Status.FAILED)
    client.force_login(hub_lead)

    response = client.post(reverse("notifications:outbox-resend", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Notification.Status.FAILED


# What the page shows ----------------------------------------------------------------------------


def test_the_hub_lead_sees_the_hubs_mail_only_and_filters_by_status(
    client, hub_lead, hub, other_hub
):
    mail(hub, status=Notification.Status.SENT, subject="Workshop next week")
    mail(hub, status=Notification.Status.FAILED, subject="Record attendance", last_error="Boom")
    mail(other_hub, subject="Another hub's reminder")
    client.force_login(hub_lead)

    page = client.get(reverse("notifications:outbox-list")).content.decode()
    assert "Workshop next week" in page and "Record attendance" in page
    assert "Another hub&#x27;s reminder" not in page and "Another hub's reminder" not in page
    assert "Send all 1 failed e-mail again" in page

    failed = client.get(reverse("notifications:outbox-list"), {"status": "failed"}).content.decode()
    assert "Record attendance" in failed and "Boom" in failed
    assert "Workshop next week" not in failed


def test_the_status_tabs_count_the_hubs_mail(client, hub_lead, hub, other_hub):
    for n in range(3):
        mail(hub, n=n, status=Notification.Status.SENT)
    mail(hub, n=5, status=Notification.Status.FAILED)
    mail(other_hub, n=6, status=Notification.Status.SENT)
    client.force_login(hub_lead)

    page = client.get(reverse("notifications:outbox-list")).content.decode()

    assert '<a href="?status=sent">Sent</a>: 3' in page
    assert '<a href="?status=failed">Failed</a>: 1' in page
    assert '<a href="?status=queued">Queued</a>: 0' in page
    assert "4 e-mails" in page


def test_search_by_recipient_or_subject(client, hub_lead, hub):
    mail(hub, n=1, recipient="head@oak.example", subject="Support visit")
    mail(hub, n=2, recipient="lead@elm.example", subject="Workshop tomorrow")
    client.force_login(hub_lead)

    page = client.get(reverse("notifications:outbox-list"), {"q": "oak.example"}).content.decode()

    assert "Support visit" in page and "Workshop tomorrow" not in page


def test_an_unknown_status_filter_is_refused_with_a_message_not_an_error(client, hub_lead, hub):
    mail(hub)
    client.force_login(hub_lead)

    response = client.get(reverse("notifications:outbox-list"), {"status": "exploded"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_detail_shows_the_message_and_its_error_and_resending_queues_it_again(
    client, hub_lead, hub, mailoutbox, django_capture_on_commit_callbacks
):
    failed = mail(
        hub,
        status=Notification.Status.FAILED,
        body_text="Workshop 3 is tomorrow.",
        attempts=5,
        last_error="ConnectionRefusedError: mail server refused the connection",
    )
    client.force_login(hub_lead)
    url = reverse("notifications:outbox-detail", args=[failed.pk])
    page = client.get(url).content.decode()
    assert "Workshop 3 is tomorrow." in page
    assert "mail server refused the connection" in page
    assert "Send this e-mail again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notifications:outbox-resend", args=[failed.pk]), follow=True
        )

    assert "is queued again" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert failed.resent_by == hub_lead
    assert len(mailoutbox) == 1
    assert "Sent again" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Notification.Status.QUEUED, "already queued"),
        (Notification.Status.SUPPRESSED, "turned these e-mails off"),
    ],
)
def test_mail_in_flight_or_turned_off_is_not_resent(client, hub_lead, hub, status, message):
    notification = mail(hub, status=status)
    client.force_login(hub_lead)

    page = client.get(reverse("notifications:outbox-detail", args=[notification.pk]))
    assert "Send this e-mail again" not in page.content.decode()
    response = client.post(
        reverse("notifications:outbox-resend", args=[notification.pk]), follow=True
    )

    assert message in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == status


def test_resend_all_failed_queues_only_the_hubs_failed_mail(
    client, hub_lead, hub, other_hub, mailoutbox, django_capture_on_commit_callbacks
):
    ours = [mail(hub, status=Notification.Status.FAILED, n=n) for n in range(3)]
    sent = mail(hub, status=Notification.Status.SENT, n=9)
    theirs = mail(other_hub, status=Notification.Status.FAILED)
    client.force_login(hub_lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:outbox-resend-failed"), follow=True)

    assert "3 failed e-mails queued again" in response.content.decode()
    assert len(mailoutbox) == 3
    assert all(Notification.objects.get(pk=n.pk).status == Notification.Status.SENT for n in ours)
    assert Notification.objects.get(pk=theirs.pk).status == Notification.Status.FAILED
    assert Notification.objects.get(pk=sent.pk).sent_at is None  # not sent again


def test_the_outbox_page_takes_the_same_queries_with_more_mail(
    client, hub_lead, hub, django_assert_max_num_queries
):
    client.force_login(hub_lead)
    url = reverse("notifications:outbox-list")
    mail(hub, n=0)
    with django_assert_max_num_queries(7) as small:
        client.get(url)
    for n in range(1, 120):
        mail(hub, n=n, status=Notification.Status.FAILED if n % 3 else Notification.Status.SENT)
    with django_assert_max_num_queries(7) as large:
        client.get(url, {"page": 2})
    assert len(large.captured_queries) == len(small.captured_queries)
