"""The bench's two floors: served by the bench's URLconf only, doing what any (signed-in) page
pays and no more."""

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

from bench import settings as bench_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

served_by_the_bench = override_settings(
    ROOT_URLCONF=bench_settings.ROOT_URLCONF, TEMPLATES=bench_settings.TEMPLATES
)


@pytest.mark.parametrize("path", ["/bench/hello", "/bench/hello-signed-in"])
def test_the_portal_serves_no_floor(path):
    with pytest.raises(Resolver404):
        resolve(path, urlconf="hubportal.urls")


@served_by_the_bench
def test_the_bench_serves_the_portal_too(client):
    assert client.get("/work-groups/").status_code == 200


@served_by_the_bench
def test_plain_hello_says_hello_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/hello")
    assert response.status_code == 200
    assert response.content == b"hello"
    assert response["Content-Type"].startswith("text/plain")


@served_by_the_bench
def test_signed_in_hello_reads_the_session_the_user_and_roles_and_draws_the_base_layout(
    client, django_assert_num_queries
):
    client.force_login(UserFactory())
    with django_assert_num_queries(3):
        response = client.get("/bench/hello-signed-in")
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["bench/hello_signed_in.html", "base.html"]


@served_by_the_bench
def test_signed_in_hello_sends_a_stranger_to_sign_in(client):
    assert client.get("/bench/hello-signed-in").status_code == 302
