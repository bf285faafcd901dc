"""An export is kept once sent, and sent again from the kept file until a record changes."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import HubStaff
from tests.factories import UserFactory
from workgroups.models import Participation

pytestmark = pytest.mark.django_db

PARTICIPATIONS = reverse("reports:export-participations", kwargs={"fmt": "csv"})


def _download(client, path) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
    return body, len(queries)


def _kept_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


def _row(export: bytes, school_name: str) -> str:
    return next(line for line in export.decode("utf-8-sig").splitlines() if school_name in line)


def test_the_same_export_again_is_the_kept_file(client, world, staff_user):
    client.force_login(staff_user)
    first, made = _download(client, PARTICIPATIONS)
    assert len(_kept_files()) == 1
    again, kept = _download(client, PARTICIPATIONS)
    assert again == first
    assert "Sustaining" in again.decode("utf-8-sig")
    # Signing in (session, user, roles) and the hubs to choose from: no rows read.
    assert kept < made
    assert kept <= 5


def test_a_change_makes_a_new_export_and_forgets_the_old(client, world, staff_user):
    client.force_login(staff_user)
    first, _ = _download(client, PARTICIPATIONS + "?show=all")
    [old] = _kept_files()
    school = world.schools["B3"]
    assert "Withdrawn" not in _row(first, school.name)
    Participation.objects.filter(school=school).update(status=Participation.Status.WITHDRAWN)
    after, _ = _download(client, PARTICIPATIONS + "?show=all")
    assert "Withdrawn" in _row(after, school.name)
    [new] = _kept_files()
    assert new != old


# Closing a response closes the database connection, as at the end of any request.
@pytest.mark.django_db(transaction=True)
def test_an_export_cut_off_half_way_is_not_kept(client, world, staff_user, monkeypatch):
    monkeypatch.setattr("reports.exports.BATCH_SIZE", 2)
    client.force_login(staff_user)
    response = client.get(PARTICIPATIONS)
    next(iter(response.streaming_content))
    response.close()  # the person left: the server closes the response
    assert _kept_files() == []
    whole, _ = _download(client, PARTICIPATIONS)
    assert len(_kept_files()) == 1
    assert whole.decode("utf-8-sig").count("\n") > 3


def test_a_kept_export_is_only_sent_to_those_it_was_made_for(client, world, staff_user, hub):
    client.force_login(staff_user)
    every_hub, _ = _download(client, PARTICIPATIONS)
    assert world.other_hub.name in every_hub.decode("utf-8-sig")
    lead = UserFactory()
    HubStaff.objects.create(user=lead, hub=hub, role=HubStaff.Role.HUB_LEAD)
    client.force_login(lead)
    theirs, _ = _download(client, PARTICIPATIONS)
    assert theirs != every_hub
    assert world.other_hub.name not in theirs.decode("utf-8-sig")


def test_a_kept_xlsx_opens_as_made(client, world, staff_user):
    client.force_login(staff_user)
    path = reverse("reports:export-schools", kwargs={"fmt": "xlsx"}) + "?hub=test-hub"
    first, _ = _download(client, path)
    again, _ = _download(client, path)
    assert again == first
    sheet = openpyxl.load_workbook(io.BytesIO(again)).active
    assert sheet.max_row > 1
