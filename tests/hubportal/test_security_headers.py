"""What a browser and the admin's door are told: pages with personal data are kept nowhere, the
device's features are off, passwords are long, and the admin signs in through the portal."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_signed_in_pages_and_exports_are_not_stored(client, hub_lead):
    client.force_login(hub_lead)
    for url in (reverse("reports:dashboard"), reverse("reports:export-schools", args=["csv"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_public_pages_carry_a_permissions_policy(client):
    response = client.get(reverse("enrolment:catalogue-index"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_passwords_have_twelve_characters_at_least():
    with pytest.raises(ValidationError):
        validate_password("Shortpass9!")
    validate_password("twelve chars long enough")


def test_the_admin_signs_in_through_the_portals_own_sign_in(client, staff_user):
    """Its password form would skip the second factor and the rate limits."""
    login = reverse("admin:login")
    response = client.post(login, {"username": staff_user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
