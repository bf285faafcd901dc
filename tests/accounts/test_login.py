import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"


def test_login_by_email_signs_in(client):
    user = UserFactory(email="teacher@school.example")
    response = client.post(LOGIN, {"login": "Teacher@School.example", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="teacher@school.example")
    response = client.post(LOGIN, {"login": "teacher@school.example", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "e-mail address and/or password you specified are not correct" in (
        response.content.decode().replace("email", "e-mail")
    )


def test_repeated_failures_are_rate_limited(client):
    UserFactory(email="teacher@school.example")
    bodies = [
        client.post(
            LOGIN, {"login": "teacher@school.example", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    # Five failures for one address are allowed in five minutes; then even the right password
    # is refused until the time is up.
    assert not any("Too many failed login attempts" in body for body in bodies[:5])
    assert "Too many failed login attempts" in bodies[5]
    response = client.post(LOGIN, {"login": "teacher@school.example", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_there_is_no_open_sign_up(client):
    response = client.get("/account/signup/")
    assert "Accounts are by invitation" in response.content.decode()
    response = client.post(
        "/account/signup/",
        {"email": "new@example.org", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    from accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_usernames_do_not_exist():
    from accounts.models import User

    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username")


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_changing_email_sends_a_verification_to_the_new_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    from notifications.models import Notification

    user = UserFactory(email="old@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/email/", {"action_add": "", "email": "new@example.org"}, follow=True
        )
    assert response.status_code == 200
    new = EmailAddress.objects.get(user=user, email="new@example.org")
    assert not new.verified
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    # Account mail goes through the outbox like every other e-mail.
    assert Notification.objects.get(recipient="new@example.org").status == "sent"
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_password_reset_mail_goes_through_the_outbox(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    UserFactory(email="teacher@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password/reset/", {"email": "teacher@school.example"})
    assert [m.to for m in mailoutbox] == [["teacher@school.example"]]
    assert "/account/password/reset/key/" in mailoutbox[0].body
    notification = Notification.objects.get(recipient="teacher@school.example")
    assert notification.kind == "account:password_reset_key"
    assert notification.status == "sent"
