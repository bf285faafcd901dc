import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from accounts.services import invitation_send
from core.roles import SYSTEM, roles_for
from notifications.models import Notification
from notifications.services import notification_resend
from tests.support.services import services_taking_acting_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Numbers-and-shapes-2026"


def _link_from(mail) -> str:
    return re.search(r"http\S+/account/invitations/\S+/", mail.body).group(0)


def _path(link: str) -> str:
    return urlsplit(link).path


@pytest.fixture
def invited(django_capture_on_commit_callbacks, mailoutbox, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
            email="New.Teacher@School.example", full_name="New Teacher", acting_user=staff_user
        )
    return invitation, _path(_link_from(mailoutbox[0]))


def test_invitation_email_carries_a_one_time_link(invited, mailoutbox):
    invitation, path = invited
    assert mailoutbox[0].to == ["new.teacher@school.example"]
    assert "expires on" in mailoutbox[0].body
    # Only the hash of the token is stored.
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert Invitation.objects.for_token(token).get() == invitation


def test_invitation_sets_a_password_once_then_the_link_is_dead(client, invited):
    invitation, path = invited
    response = client.get(path)
    assert response.status_code == 200
    assert "new.teacher@school.example" in response.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@school.example")
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.emailaddress_set.get().verified

    client.logout()
    again = client.post(
        path, {"password1": "Another-password-99", "password2": "Another-password-99"}
    )
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_link_says_so(client, invited):
    invitation, path = invited
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(path)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.get(email="new.teacher@school.example").has_usable_password()


def test_an_unknown_link_says_it_is_not_valid(client):
    response = client.get(reverse("accounts:invitation-accept", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_weak_or_mismatched_passwords_are_refused_and_the_link_still_works(client, invited):
    invitation, path = invited
    response = client.post(path, {"password1": "password", "password2": "password"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})
    assert "do not match" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_new_invitation_makes_older_links_die_once_one_is_used(
    client, mailoutbox, invited, staff_user
):
    first_invitation, first_path = invited
    second = invitation_send(email="new.teacher@school.example", acting_user=staff_user)
    assert second.user == first_invitation.user
    client.post(first_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    second.refresh_from_db()
    assert second.is_used


def test_only_national_staff_can_open_the_invite_page(client, hub_lead, staff_user, mailoutbox):
    url = reverse("accounts:invitation-create")
    client.force_login(hub_lead)
    assert client.get(url).status_code == 404
    client.force_login(staff_user)
    response = client.post(
        url, {"email": "specialist@hub.example", "full_name": "Spec Ialist"}, follow=True
    )
    assert response.status_code == 200
    assert "An invitation is on its way" in response.content.decode()
    assert User.objects.filter(email="specialist@hub.example", is_national_staff=False).exists()


def test_national_staff_invite_national_staff_who_then_act_everywhere(client, staff_user):
    client.force_login(staff_user)
    client.post(
        reverse("accounts:invitation-create"),
        {"email": "colleague@ncetm.example", "full_name": "Col League", "is_national_staff": "on"},
    )
    colleague = User.objects.get(email="colleague@ncetm.example")
    assert roles_for(colleague).is_national_staff
    assert colleague.is_staff  # the admin's door comes with the role


def test_only_national_staff_and_hub_leads_invite_and_only_staff_grant_the_role(
    hub_lead, school_contact
):
    with pytest.raises(PermissionDenied):
        invitation_send(email="x@school.example", acting_user=school_contact)
    with pytest.raises(PermissionDenied):
        invitation_send(email="x@school.example", acting_user=hub_lead, grant_national_staff=True)
    assert not User.objects.filter(email="x@school.example").exists()
    invitation_send(email="x@school.example", acting_user=SYSTEM, grant_national_staff=True)
    assert User.objects.get(email="x@school.example").is_national_staff


def test_invite_page_refuses_a_bad_address(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("accounts:invitation-create"), {"email": "not-an-address", "full_name": "X"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_every_account_service_has_a_refusal_case():
    # invitation_send is refused above; invitation_accept is the public's: its link is the key.
    assert services_taking_acting_user(services) == {"invitation_send", "invitation_accept"}


def test_the_outbox_keeps_no_working_invitation_link(invited, client, staff_user):
    """Sent, the link has gone to its one reader: the stored mail and the outbox page hold
    none, and "send again" says to invite anew rather than sending a dead or stolen link."""
    invitation, path = invited
    mail = Notification.objects.get(kind="invitation")
    assert mail.status == Notification.Status.SENT
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in mail.body_text + mail.body_html + mail.secret
    client.force_login(staff_user)
    page = client.get(reverse("notifications:outbox-detail", args=[mail.pk])).content.decode()
    assert token not in page and "one-time link" in page
    with pytest.raises(ValidationError, match="send a new invitation"):
        notification_resend(notification=mail, acting_user=staff_user)


def test_a_password_reset_link_is_not_kept_after_sending(
    client, hub_lead, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": hub_lead.email})
    [sent] = mailoutbox
    link = re.search(r"http\S+/password/reset/key/\S+", sent.body).group(0)
    mail = Notification.objects.get(kind__startswith="account:password_reset")
    assert link not in mail.body_text + mail.body_html + mail.secret
