import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Invitation, User
from schools.models import HubStaff
from schools.permissions import may_manage_hub_staff
from schools.services import hub_staff_invite, hub_staff_remove

from ..factories import TEST_PASSWORD, HubStaffFactory

pytestmark = pytest.mark.django_db


def test_may_manage_hub_staff(people, hub, other_hub):
    assert may_manage_hub_staff(people["hub_lead"], hub)
    assert may_manage_hub_staff(people["staff"], other_hub)
    assert not may_manage_hub_staff(people["hub_lead"], other_hub)
    assert not may_manage_hub_staff(people["specialist"], hub)
    assert not may_manage_hub_staff(people["school_contact"], hub)


def test_hub_lead_invites_a_specialist_from_the_hub_page(
    client, hub, hub_lead, hub_school, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(hub_lead)
    url = reverse("schools:hubstaff-invite", args=[hub.slug])
    assert (
        "Invite a Mastery Specialist"
        in client.get(reverse("schools:hub-detail", args=[hub.slug])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "full_name": "Maya Specialist",
                "email": "Maya@School.example",
                "role": HubStaff.Role.MASTERY_SPECIALIST,
                "school": str(hub_school.urn),
            },
        )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "maya@school.example is now Mastery Specialist at Test Maths Hub" in page
    staff = HubStaff.objects.get(user__email="maya@school.example")
    assert (staff.hub, staff.role, staff.school) == (
        hub,
        HubStaff.Role.MASTERY_SPECIALIST,
        hub_school,
    )
    assert staff.history.get().history_user == hub_lead
    invitation = Invitation.objects.get(user=staff.user)
    assert invitation.invited_by == hub_lead
    assert "Mastery Specialist at Test Maths Hub" in invitation.reason
    assert mailoutbox[0].to == ["maya@school.example"]
    # A new address: its one-time link sets the password.
    link = re.search(r"http\S+(/account/invitations/\S+/)", mailoutbox[0].body).group(1)
    client.logout()
    assert 'name="password1"' in client.get(link).content.decode()
    client.force_login(hub_lead)
    page = client.get(reverse("schools:hub-detail", args=[hub.slug])).content.decode()
    assert "Maya Specialist" in page
    assert "Invited, not yet accepted" not in page


def test_inviting_an_existing_account_waits_for_its_owner_to_accept(
    client, hub, hub_lead, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    """A national staff member's address: no role and no password link, until they accept."""
    User.objects.filter(pk=staff_user.pk).update(full_name="Nadia National")
    client.force_login(hub_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("schools:hubstaff-invite", args=[hub.slug]),
            {
                "full_name": "Not Their Name",
                "email": staff_user.email,
                "role": HubStaff.Role.MASTERY_SPECIALIST,
            },
            follow=True,
        )
    page = response.content.decode()
    assert f"{staff_user.email} already has an account: they have been asked to accept" in page
    assert not HubStaff.objects.filter(user=staff_user).exists()
    assert "Invited, not yet accepted" in page and "Nadia National" in page
    [mail] = mailoutbox
    assert mail.to == [staff_user.email]
    link = re.search(r"http\S+(/account/invitations/\S+/)", mail.body).group(1)
    client.logout()
    answer = client.get(link)
    assert answer.status_code == 302 and "/account/login/" in answer.url
    staff_user.refresh_from_db()
    assert staff_user.check_password(TEST_PASSWORD) and staff_user.full_name != "Not Their Name"

    # Asking again while they have not answered sends nothing more.
    with pytest.raises(ValidationError, match="has not answered yet"):
        hub_staff_invite(
            hub=hub,
            email=staff_user.email,
            full_name="",
            role=HubStaff.Role.MASTERY_SPECIALIST,
            acting_user=hub_lead,
        )
    assert Invitation.objects.filter(user=staff_user).count() == 1

    client.force_login(staff_user)
    client.post(link, {"answer": "accept"})
    staff = HubStaff.objects.get(user=staff_user, hub=hub)
    assert staff.history.get().history_user == hub_lead
    client.force_login(hub_lead)
    page = client.get(reverse("schools:hub-detail", args=[hub.slug])).content.decode()
    assert "Invited, not yet accepted" not in page


def test_inviting_someone_already_in_the_role_says_so(hub, hub_lead, specialist):
    with pytest.raises(ValidationError, match="already Mastery Specialist"):
        hub_staff_invite(
            hub=hub,
            email=specialist.email,
            full_name="",
            role=HubStaff.Role.MASTERY_SPECIALIST,
            acting_user=hub_lead,
        )
    assert HubStaff.objects.filter(user=specialist).count() == 1


def test_invite_form_explains_a_bad_school_urn(client, hub, hub_lead):
    client.force_login(hub_lead)
    response = client.post(
        reverse("schools:hubstaff-invite", args=[hub.slug]),
        {"full_name": "A", "email": "a@b.example", "role": "hub_lead", "school": "999"},
    )
    assert response.status_code == 200
    assert "There is no school with URN 999" in response.content.decode()
    assert not User.objects.filter(email="a@b.example").exists()


def test_a_specialist_cannot_invite(hub, specialist):
    with pytest.raises(PermissionDenied):
        hub_staff_invite(
            hub=hub,
            email="x@y.example",
            full_name="X",
            role=HubStaff.Role.HUB_LEAD,
            acting_user=specialist,
        )


def test_hub_lead_removes_a_specialist(client, hub, hub_lead, specialist):
    member = HubStaff.objects.get(user=specialist, hub=hub)
    client.force_login(hub_lead)
    url = reverse("schools:hubstaff-remove", args=[hub.slug, member.pk])
    assert "Remove the role" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not HubStaff.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=specialist.pk).exists()
    deletion = HubStaff.history.filter(id=member.pk, history_type="-").get()
    assert deletion.history_user == hub_lead


def test_the_last_hub_lead_cannot_be_removed(hub, hub_lead, staff_user):
    lead_role = HubStaff.objects.get(user=hub_lead, hub=hub)
    with pytest.raises(ValidationError, match="at least one hub lead"):
        hub_staff_remove(staff=lead_role, acting_user=hub_lead)
    HubStaffFactory(hub=hub, role=HubStaff.Role.HUB_LEAD)
    hub_staff_remove(staff=lead_role, acting_user=staff_user)
    assert not HubStaff.objects.filter(pk=lead_role.pk).exists()


def test_a_lead_of_another_hub_cannot_remove(other_hub, hub, specialist):
    outsider_lead = HubStaffFactory(hub=other_hub, role=HubStaff.Role.HUB_LEAD).user
    with pytest.raises(PermissionDenied):
        hub_staff_remove(staff=HubStaff.objects.get(user=specialist), acting_user=outsider_lead)
