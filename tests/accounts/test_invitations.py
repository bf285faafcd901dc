import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from accounts.services import invitation_send
from core.roles import SYSTEM, roles_for
from notifications.models import Notification
from notifications.services import notification_resend
from schools.models import HubStaff
from schools.services import hub_staff_invite
from tests.factories import TEST_PASSWORD, UserFactory

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
    assert "Enter the e-mail address in the right format, like name@school.org.uk." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()


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


# Invitations to an existing account ---------------------------------------------------------------

SPECIALIST = HubStaff.Role.MASTERY_SPECIALIST


def _password_forms(client, mailoutbox) -> list[str]:
    """The links in the mails sent that open a form to set a password, for anyone holding one."""
    links = [_path(link) for mail in mailoutbox for link in LINK.findall(mail.body)]
    client.logout()
    return [link for link in links if 'name="password1"' in client.get(link).content.decode()]


LINK = re.compile(r"http\S+/account/invitations/\S+/")


@pytest.fixture
def offered(django_capture_on_commit_callbacks, mailoutbox, hub, hub_lead, staff_user):
    """A hub lead invites a national staff member's address to be a Mastery Specialist."""
    with django_capture_on_commit_callbacks(execute=True):
        invited = hub_staff_invite(
            hub=hub,
            email=staff_user.email.upper(),
            full_name="Someone Else",
            role=SPECIALIST,
            acting_user=hub_lead,
        )
    [mail] = [m for m in mailoutbox if m.to == [staff_user.email]]
    return invited.invitation, _path(_link_from(mail)), mail


def test_an_invitation_to_an_existing_account_gives_nothing_and_sets_no_password(
    client, offered, staff_user, hub_lead, mailoutbox
):
    invitation, path, mail = offered
    assert invitation.for_existing_account
    assert not HubStaff.objects.filter(user=staff_user).exists()
    invited_by = f"{hub_lead.get_full_name()} has invited you to be Mastery Specialist at Test"
    assert invited_by in mail.body
    assert "Set your password" not in mail.body
    # No mail sent holds a link that sets a password: this one asks the visitor to sign in.
    assert _password_forms(client, mailoutbox) == []
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "next=" in response.url
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    token = path.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, password=NEW_PASSWORD, acting_user=AnonymousUser())
    stored = Notification.objects.get(kind="invitation", recipient=staff_user.email)
    assert token not in stored.body_text + stored.secret
    staff_user.refresh_from_db()
    assert staff_user.check_password(TEST_PASSWORD)
    assert staff_user.full_name != "Someone Else"
    assert not HubStaff.objects.filter(user=staff_user).exists()


def test_someone_else_signed_in_cannot_accept_and_is_not_told_whose_it_is(
    client, offered, staff_user, specialist
):
    invitation, path, _ = offered
    roles_before = list(HubStaff.objects.values_list("pk", "user_id", "role"))
    client.force_login(specialist)
    page = client.get(path)
    text = page.content.decode()
    assert page.status_code == 200
    assert "This invitation is for another account" in text
    assert staff_user.email not in text and 'value="accept"' not in text
    assert client.post(path, {"answer": "accept"}).status_code == 404
    assert client.post(path, {"answer": "decline"}).status_code == 404
    assert list(HubStaff.objects.values_list("pk", "user_id", "role")) == roles_before
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_the_invited_person_signed_in_accepts_the_role_and_gets_a_new_session_key(
    client, offered, staff_user, hub, hub_lead
):
    invitation, path, _ = offered
    client.force_login(staff_user)
    page = client.get(path).content.decode()
    assert "Mastery Specialist at Test Maths Hub" in page
    assert 'value="accept"' in page and 'value="decline"' in page
    assert 'name="password1"' not in page
    key_before = client.session.session_key
    response = client.post(path, {"answer": "accept"})
    assert response.status_code == 302
    staff = HubStaff.objects.get(user=staff_user, hub=hub)
    assert staff.role == SPECIALIST
    # Given as the person who invited them, as history records.
    assert staff.history.get().history_user == hub_lead
    assert client.session.session_key != key_before
    assert int(client.session["_auth_user_id"]) == staff_user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(path).status_code == 410


def test_declining_gives_nothing_and_spends_the_link(client, offered, staff_user):
    invitation, path, _ = offered
    client.force_login(staff_user)
    response = client.post(path, {"answer": "decline"}, follow=True)
    assert "You declined the invitation" in response.content.decode()
    assert not HubStaff.objects.filter(user=staff_user).exists()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None and invitation.accepted_at is None
    assert client.post(path, {"answer": "accept"}).status_code == 410
    assert not HubStaff.objects.filter(user=staff_user).exists()


def test_an_inviter_who_may_no_longer_give_the_role_gives_nothing(
    client, offered, staff_user, hub_lead
):
    invitation, path, _ = offered
    HubStaff.objects.filter(user=hub_lead).delete()
    client.force_login(staff_user)
    response = client.post(path, {"answer": "accept"}, follow=True)
    assert "can no longer give you this" in response.content.decode()
    assert not HubStaff.objects.filter(user=staff_user).exists()
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_national_staff_come_to_an_existing_account_only_when_it_accepts(
    client, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    person = UserFactory(email="colleague@ncetm.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
            email=person.email, grant_national_staff=True, acting_user=staff_user
        )
    assert invitation.for_existing_account
    person.refresh_from_db()
    assert not person.is_national_staff and not person.is_staff
    assert _password_forms(client, mailoutbox) == []
    client.force_login(person)
    client.post(_path(_link_from(mailoutbox[0])), {"answer": "accept"})
    person.refresh_from_db()
    assert person.is_national_staff and person.is_staff


def test_inviting_an_existing_account_to_nothing_says_it_has_one(staff_user, outsider):
    with pytest.raises(ValidationError, match="already has an account"):
        invitation_send(email=outsider.email, acting_user=staff_user)
    assert not Invitation.objects.exists()


def test_an_account_made_by_an_unanswered_invitation_is_still_new(
    client, invited, hub, hub_lead, mailoutbox, django_capture_on_commit_callbacks
):
    """Nobody holds its password yet: the role comes at once, with a link to set one."""
    first, _ = invited
    with django_capture_on_commit_callbacks(execute=True):
        result = hub_staff_invite(
            hub=hub, email=first.user.email, full_name="", role=SPECIALIST, acting_user=hub_lead
        )
    assert not result.invitation.for_existing_account
    assert result.staff.user == first.user
    second = _path(_link_from(mailoutbox[-1]))
    assert 'name="password1"' in client.get(second).content.decode()


def test_a_password_link_stops_working_once_the_account_has_a_password(client, invited):
    invitation, path = invited
    user = invitation.user
    user.set_password("Another-password-2026")
    user.save()
    response = client.get(path)
    assert response.status_code == 410
    assert "already has a password" in response.content.decode()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    user.refresh_from_db()
    assert user.check_password("Another-password-2026")


# A second factor ----------------------------------------------------------------------------------

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _codes(secret: str) -> list[str]:
    """The codes an authenticator app with this secret may show now (the clock's tolerance)."""
    return [format_hotp_value(hotp_value(secret, n)) for n in yield_hotp_counters_from_time()]


def _now(secret: str) -> str:
    codes = _codes(secret)
    return codes[len(codes) // 2]


@pytest.fixture
def invited_with_authenticator(django_capture_on_commit_callbacks, mailoutbox, staff_user):
    """An account nobody has set a password for, but which has an authenticator."""
    user = User.objects.create_user(email="returning@school.example", full_name="Re Turning")
    TOTP.activate(user, TOTP_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(email=user.email, acting_user=staff_user)
    return user, _path(_link_from(mailoutbox[0]))


def test_accepting_on_an_account_with_an_authenticator_asks_for_its_code(
    client, invited_with_authenticator
):
    user, path = invited_with_authenticator
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert page.status_code == 200 and page.wsgi_request.user.is_anonymous
    assert 'name="code"' in page.content.decode()
    wrong = next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in _codes(TOTP_SECRET))
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).wsgi_request.user.is_anonymous
    response = client.post(reverse("mfa_authenticate"), {"code": _now(TOTP_SECRET)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_accepting_on_an_account_without_an_authenticator_signs_in_at_once(client, invited):
    _, path = invited
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(response.url).wsgi_request.user.is_authenticated
