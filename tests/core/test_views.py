"""The one way a view changes state (core.views): real requests through small views built on it."""

import pytest
from django.contrib.messages import get_messages

from . import urls as views

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]

NAME_FORM = (
    "{{ heading }}|"
    "{% for e in form.non_field_errors %}top:{{ e }};{% endfor %}"
    "{% for e in form.name.errors %}name:{{ e }};{% endfor %}"
    "|bound={{ form.is_bound }}"
)


@pytest.fixture(autouse=True)
def _page_and_calls(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"core_tests/name_form.html": NAME_FORM},
                    )
                ]
            },
        }
    ]
    views.service_calls.clear()


def said(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


# form_page ---------------------------------------------------------------------------------------


def test_a_get_shows_the_page_with_an_empty_form_and_calls_nothing(client):
    response = client.get("/names/new/")
    assert response.status_code == 200
    assert response.content.decode() == "A new name||bound=False"
    assert views.service_calls == []


def test_a_valid_form_calls_the_service_once_then_says_so_and_redirects_to_what_it_made(client):
    response = client.post("/names/new/", {"name": "ada"})
    assert response.status_code == 302
    assert response.url == "/names/ADA/"
    assert views.service_calls == ["ada"]
    assert said(response) == [("success", "ADA is saved.")]


def test_an_invalid_form_shows_the_page_again_and_never_calls_the_service(client):
    response = client.post("/names/new/", {"name": ""})
    assert response.status_code == 200
    assert response.content.decode() == "A new name|name:Enter the name.;|bound=True"
    assert views.service_calls == []
    assert said(response) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        # The refusal names a field of the form: shown next to it.
        ("taken", "name:That name is taken.;"),
        # It names a field the form does not have, or none: shown above the form.
        ("closed", "top:The list closed yesterday.;"),
        ("later", "top:Not now: try again later.;"),
    ],
)
def test_a_service_refusal_becomes_the_forms_errors_with_no_message(client, name, shown):
    response = client.post("/names/new/", {"name": name})
    assert response.status_code == 200
    assert response.content.decode() == f"A new name|{shown}|bound=True"
    assert views.service_calls == [name]
    assert said(response) == []


def test_a_refusal_can_answer_with_a_page_of_the_views_own_and_status(client):
    response = client.post("/names/check/", {"name": "taken"})
    assert response.status_code == 400
    assert "That name is taken." in response.content.decode()


def test_with_no_success_message_a_valid_form_just_redirects(client):
    response = client.post("/names/check/", {"name": "ada"})
    assert response.status_code == 302 and response.url == "/names/"
    assert said(response) == []


@pytest.mark.parametrize(
    ("name", "answer"), [("ada", "done=True, errors=0"), ("taken", "done=False, errors=1")]
)
def test_an_htmx_post_is_answered_by_the_partial_without_a_message(client, name, answer):
    response = client.post("/names/check/", {"name": name}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode() == f"part, {answer}"
    assert said(response) == []


# button_action -----------------------------------------------------------------------------------


def test_a_button_calls_the_service_and_says_each_message_at_its_level(client):
    response = client.post("/names/ada/save/")
    assert response.status_code == 302 and response.url == "/names/"
    assert views.service_calls == ["ada"]
    assert said(response) == [
        ("success", "ADA is saved."),
        ("info", "It shows on the list tomorrow."),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [("later", "Not now: try again later."), ("taken", "That name is taken.")],
)
def test_a_refused_button_says_why_as_an_error_and_goes_back(client, name, message):
    response = client.post(f"/names/{name}/save/")
    assert response.status_code == 302 and response.url == f"/names/{name}/"
    assert said(response) == [("error", message)]


def test_a_button_posting_a_form_refuses_bad_input_without_calling_the_service(client):
    response = client.post("/names/rename/", {"name": "x" * 21})
    assert response.status_code == 302 and response.url == "/names/"
    assert views.service_calls == []
    assert said(response) == [("error", "The name must be 20 characters or fewer: shorten it.")]


def test_a_button_posting_a_valid_form_hands_its_data_to_the_service(client):
    response = client.post("/names/rename/", {"name": "bea"})
    assert response.status_code == 302 and response.url == "/names/"
    assert views.service_calls == ["bea"]
    assert said(response) == [("success", "Renamed.")]
