"""The data protection officer's commands: retention now, an export to a file, an erasure."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from reports.models import Erasure, RetentionRun, SubjectAccessRequest
from schools.models import SchoolContact
from tests.factories import SchoolContactFactory

pytestmark = pytest.mark.django_db

EMAIL = "carla.contact@school.example"


@pytest.fixture
def contact(hub_school):
    return SchoolContactFactory(school=hub_school, name="Carla Contact", email=EMAIL)


def test_the_commands_export_erase_and_apply_retention(contact, tmp_path):
    path = tmp_path / "export.zip"
    call_command("subject_access", EMAIL, str(path))
    with zipfile.ZipFile(path) as archive:
        assert "Carla Contact" in archive.read("schools_schoolcontact.csv").decode()
    assert SubjectAccessRequest.objects.get().status == "downloaded"

    with pytest.raises(CommandError, match="--yes-erase"):
        call_command("erase_person", EMAIL, reason="Asked")
    call_command("erase_person", EMAIL, reason="Asked", yes_erase=True)
    assert not SchoolContact.objects.filter(email=EMAIL).exists()
    assert Erasure.objects.get().erased_by is None

    call_command("apply_retention")
    assert RetentionRun.objects.exists()
