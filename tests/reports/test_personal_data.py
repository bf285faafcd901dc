"""Where a person is: the people module knows every table that can hold them; subject access
finds them in each; erasure leaves them nowhere but the register, with the figures unchanged."""

import io
import json
import zipfile
from dataclasses import asdict
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.roles import SYSTEM
from reports import people
from reports.dashboard import dashboard
from reports.erasure import person_erase
from reports.models import Erasure, SubjectAccessRequest, subject_reference
from reports.subject_access import export, subject_access_download, subject_access_request
from reports.tasks import sweep_subject_access
from tests.factories import ExpressionOfInterestFactory, UserFactory

from .conftest import TODAY, YEAR
from .personal_data import EMAIL, NAME, SEEDS, seed_person

pytestmark = pytest.mark.django_db

# What holds a person's data only as the public register has it (not erased).
REGISTER_COLUMNS = {("schools.School", "head_name"), ("schools.HistoricalSchool", "head_name")}


def _name_like(model_field) -> bool:
    name = model_field.name
    return isinstance(model_field, models.CharField) and (
        name == "name" or name.endswith("_name") or name == "owner"
    )


def _can_hold_a_person(model) -> bool:
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        to_account = (
            model_field.is_relation
            and model_field.related_model._meta.label == settings.AUTH_USER_MODEL
        )
        if isinstance(model_field, models.EmailField) or to_account or _name_like(model_field):
            return True
    return False


def test_every_table_that_can_hold_a_person_is_in_the_people_module():
    unknown = [
        model._meta.label
        for model in apps.get_models()
        if _can_hold_a_person(model)
        and model._meta.label not in people.PLACE_BY_MODEL
        and model._meta.label not in people.NO_PERSONAL_DATA
    ]
    assert unknown == []


def test_every_place_names_real_fields():
    for place in people.PLACES:
        model = place.model_class
        named = [s.by for s in place.slots] + list(place.data_fields) + list(place.mentions)
        for name in named + list(place.withheld):
            model._meta.get_field(name)


def test_every_place_has_a_seed():
    assert set(SEEDS) == set(people.PLACE_BY_MODEL)


@pytest.fixture
def person(world):
    participation = world.participations[("DEV-24", "A3")]
    return seed_person(
        hub=world.hub,
        school=world.schools["A3"],
        participation=participation,
        workshop=participation.work_group.workshops.get(number=1),
    )


def _zip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_subject_access_finds_the_person_in_every_place(person):
    content, places = export(EMAIL)
    files = _zip(content)
    assert places == len(people.PLACES)
    for place in people.PLACES:
        rows = json.loads(files[f"{place.file_name}.json"])
        assert rows, place.model
        assert f"{place.file_name}.csv" in files
        if place.data_fields:
            text = files[f"{place.file_name}.json"]
            assert NAME in text or EMAIL in text, place.model
    # Another person's data in the same form is not theirs to read.
    assert "Other Teacher" not in files["enrolment_expressionofinterest.json"]
    # Secrets never leave.
    assert "token_hash" not in files["accounts_invitation.json"]
    assert "password" not in files["accounts_user.json"]
    assert "Petra's key" not in files["mfa_authenticator.json"]
    assert EMAIL in files["README.txt"]


def test_a_hub_leads_export_holds_only_the_hubs_records(person, world):
    content, _ = export(EMAIL, world.other_hub)
    assert set(_zip(content)) == {"README.txt", "everything.json"}
    files = _zip(export(EMAIL, world.hub)[0])
    assert "accounts_user.json" not in files  # the account is the portal's, not the hub's
    assert "schools_schoolcontact.json" in files


def test_subject_access_is_built_downloaded_once_and_recorded(
    person, hub_lead, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        access_request = subject_access_request(email=EMAIL, hub=world.hub, acting_user=hub_lead)
    access_request.refresh_from_db()
    assert access_request.status == SubjectAccessRequest.Status.READY
    assert access_request.email == ""  # the address only until built
    assert access_request.subject_reference == subject_reference(EMAIL)
    assert access_request.requested_by == hub_lead
    name, content = subject_access_download(access_request=access_request, acting_user=hub_lead)
    assert "schools_schoolcontact.csv" in _zip(content)
    access_request.refresh_from_db()
    assert access_request.status == SubjectAccessRequest.Status.DOWNLOADED
    assert not access_request.file
    with pytest.raises(ValidationError):
        subject_access_download(access_request=access_request, acting_user=hub_lead)


def _text_columns():
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, (models.CharField, models.TextField, models.JSONField)):
                yield model, model_field.name


def _where(text: str) -> set[tuple[str, str]]:
    return {
        (model._meta.label, name)
        for model, name in _text_columns()
        if model._default_manager.filter(**{f"{name}__icontains": text}).exists()
    }


def _figures(world):
    return asdict(dashboard(world.hub, YEAR, TODAY).figures)


def test_erasure_leaves_the_person_nowhere_but_the_register(person, world, staff_user):
    assert _where(NAME) and _where(EMAIL)
    before = _figures(world)
    attendance = list(person.contact.participations_led.values_list("pk"))

    erasure = person_erase(email=EMAIL, reason="Asked on 3 May", acting_user=staff_user)

    assert _where(NAME) == REGISTER_COLUMNS
    assert _where(EMAIL) == set()
    assert _figures(world) == before
    assert list(person.contact.participations_led.values_list("pk")) == attendance
    person.user.refresh_from_db()
    assert not person.user.is_active and not person.user.has_usable_password()
    assert not person.user.invitations.exists()
    assert erasure.erased_by == staff_user
    assert erasure.subject_reference == subject_reference(EMAIL)
    assert erasure.changed["School contacts"] == 1
    assert any("register" in note for note in erasure.kept)
    assert NAME not in json.dumps([erasure.reason, erasure.changed, erasure.kept])


def test_a_hub_lead_erases_only_a_person_of_their_hub_alone(person, world, hub_lead):
    ExpressionOfInterestFactory(
        school=world.schools["C1"], hub=world.other_hub, submitter_email=EMAIL
    )
    with pytest.raises(ValidationError, match="national staff must erase"):
        person_erase(email=EMAIL, reason="Asked", hub=world.hub, acting_user=hub_lead)
    assert not Erasure.objects.exists()


def test_a_hub_lead_erases_a_person_of_their_hub(world, hub_lead):
    contact = world.participations[("DEV-24", "A3")].lead_participants.first()
    erasure = person_erase(email=contact.email, reason="Asked", hub=world.hub, acting_user=hub_lead)
    contact.refresh_from_db()
    assert contact.name == people.FORMER
    assert contact.email.endswith("@invalid")
    assert erasure.hub == world.hub and erasure.erased_by == hub_lead


def test_erasure_needs_someone_to_erase(staff_user):
    with pytest.raises(ValidationError, match="holds nothing"):
        person_erase(email="nobody@example.org", reason="Asked", acting_user=staff_user)


def test_the_system_erases_from_a_shell(person):
    erasure = person_erase(email=EMAIL, reason="DPO request 12", acting_user=SYSTEM)
    assert erasure.erased_by is None


def test_an_export_whose_task_was_lost_is_built_by_the_sweep(
    staff_user, django_capture_on_commit_callbacks
):
    UserFactory(email=EMAIL, full_name=NAME)
    lost = SubjectAccessRequest.objects.create(
        requested_by=staff_user, subject_reference=subject_reference(EMAIL), email=EMAIL
    )
    fresh = SubjectAccessRequest.objects.create(
        requested_by=staff_user, subject_reference=subject_reference(EMAIL), email=EMAIL
    )
    SubjectAccessRequest.objects.filter(pk=lost.pk).update(
        created_at=timezone.now() - timedelta(minutes=6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_subject_access() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == SubjectAccessRequest.Status.READY and lost.places > 0
    assert fresh.status == SubjectAccessRequest.Status.WAITING  # its own task may still come
