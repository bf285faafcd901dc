import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_says_what_the_portal_is(client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert "Primary Teaching for Mastery Work Groups" in body
    assert 'href="#main"' in body
    assert reverse("privacy") in body


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("staff", "/hubs/"),
        ("hub_lead", "/groups/"),
        ("specialist", "/groups/mine/"),
        ("school_contact", "/schools/{urn}/"),
    ],
)
def test_home_sends_each_role_to_its_start_page(client, people, hub_school, role, start):
    client.force_login(people[role])
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == start.format(urn=hub_school.urn)
    assert response.status_code == 200


def test_someone_with_no_role_is_told_so(client, outsider):
    client.force_login(outsider)
    response = client.get("/")
    assert response.status_code == 200
    assert "no hub or school role" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("staff", ["Hubs", "Schools"], ["My school"]),
        ("hub_lead", ["My hub", "Schools"], ["My school"]),
        ("school_contact", ["My school"], ["Schools", "My hub"]),
    ],
)
def test_navigation_shows_what_the_role_can_use(client, people, role, shown, hidden):
    client.force_login(people[role])
    nav = client.get(reverse("privacy")).context["nav_items"]
    labels = [item["label"] for item in nav]
    assert all(label in labels for label in shown)
    assert not any(label in labels for label in hidden)


def test_unknown_page_is_the_portal_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_privacy_and_accessibility_pages(client):
    assert "Privacy notice" in client.get(reverse("privacy")).content.decode()
    assert "(WCAG) 2.2 at level AA" in client.get(reverse("accessibility")).content.decode()


def test_admin_lives_at_the_configured_path(client, staff_user, settings):
    client.force_login(staff_user)
    staff_user.is_superuser = True
    staff_user.save()
    response = client.get("/" + settings.ADMIN_URL)
    assert response.status_code == 200


def test_a_role_with_many_entries_finds_the_less_used_ones_under_more(client, people):
    client.force_login(people["hub_lead"])
    context = client.get(reverse("privacy")).context
    assert [item["label"] for item in context["nav_more"]] == ["My hub", "Register", "Outbox"]
    assert len([item for item in context["nav_items"] if not item["more"]]) <= 6
    client.force_login(people["school_contact"])
    assert client.get(reverse("privacy")).context["nav_more"] == []
