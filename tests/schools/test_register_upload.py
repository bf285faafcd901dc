import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import LocalAuthority, RegisterImport, School
from schools.tasks import register_import_task

from .gias_csv import COLUMNS, gias_csv, gias_row

pytestmark = pytest.mark.django_db

UPLOAD = reverse("schools:register-import-list")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(rows, name="edubasealldata.csv", **kwargs):
    return SimpleUploadedFile(name, gias_csv(rows, **kwargs), content_type="text/csv")


ROWS = [
    gias_row(100001, "St Mary’s Primary School"),
    gias_row(100002, "Élan Infant School", EstablishmentStatus_name="Closed"),
    gias_row(100003, "Bad Row", CloseDate="yesterday"),
]


def _upload(client, capture, file, **data):
    with capture(execute=True):
        response = client.post(UPLOAD, {"file": file, **data})
    return response


def test_national_staff_upload_the_register_and_read_the_summary(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    response = _upload(client, django_capture_on_commit_callbacks, _file(ROWS))
    record = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:register-import-detail", args=[record.pk])
    assert record.status == RegisterImport.Status.DONE
    assert record.created_by == staff_user
    assert record.summary["created"] == 2
    assert School.objects.get(urn=100001).name == "St Mary’s Primary School"
    page = client.get(response["Location"]).content.decode()
    assert "Created: 2" in page
    assert "Skipped: 1" in page
    assert "CloseDate “yesterday” is not a date" in page
    assert "first import" in page


def test_a_refused_file_says_why_on_the_page(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    bad = _file(ROWS, columns=[c for c in COLUMNS if c != "EstablishmentStatus (name)"])
    response = _upload(client, django_capture_on_commit_callbacks, bad)
    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "no “EstablishmentStatus (name)” column" in page
    assert not School.objects.exists()


def test_check_only_writes_nothing(client, staff_user, django_capture_on_commit_callbacks):
    client.force_login(staff_user)
    _upload(client, django_capture_on_commit_callbacks, _file(ROWS), dry_run="on")
    record = RegisterImport.objects.get()
    assert record.dry_run and record.status == RegisterImport.Status.DONE
    assert record.summary["created"] == 2
    assert not School.objects.exists()
    assert not LocalAuthority.objects.exists()


def test_only_csv_files_are_taken(client, staff_user):
    client.force_login(staff_user)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("schools.xlsx", b"PK")})
    assert "Choose the CSV file" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_one_import_at_a_time(client, staff_user):
    RegisterImport.objects.create(file_name="earlier.csv")
    client.force_login(staff_user)
    response = client.post(UPLOAD, {"file": _file(ROWS)})
    assert "Another register import is waiting or running" in response.content.decode()
    assert RegisterImport.objects.count() == 1


def test_the_task_does_not_run_a_finished_import_again(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    _upload(client, django_capture_on_commit_callbacks, _file(ROWS))
    record = RegisterImport.objects.get()
    finished_at = record.finished_at
    assert register_import_task.delay(record.pk).get() is None
    record.refresh_from_db()
    assert record.finished_at == finished_at


def test_the_page_polls_while_the_import_runs(client, hub_lead):
    record = RegisterImport.objects.create(file_name="gias.csv")
    client.force_login(hub_lead)
    url = reverse("schools:register-import-detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "Waiting to start" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    RegisterImport.objects.filter(pk=record.pk).update(status=RegisterImport.Status.DONE)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_a_hub_lead_cannot_load_the_register_nor_move_another_hubs_school(
    client, hub_lead, hub, other_hub
):
    ours = LocalAuthority.objects.create(code="201", name="Ours", hub=hub)
    theirs = LocalAuthority.objects.create(code="202", name="Theirs", hub=other_hub)
    School.objects.create(urn=100002, name="Their School", local_authority=theirs)
    moved = [gias_row(100002, "Their School, renamed", LA_code="201", LA_name="Ours")]
    client.force_login(hub_lead)

    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert "ask national staff to run an import" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    response = client.post(UPLOAD, {"file": _file(moved)})

    assert response.status_code == 404
    assert not RegisterImport.objects.exists()
    school = School.objects.get(urn=100002)
    assert (school.name, school.local_authority) == ("Their School", theirs)
    assert ours.schools.count() == 0


def _two_areas_imported(client, staff_user, hub, other_hub, capture):
    LocalAuthority.objects.create(code="201", name="Ours", hub=hub)
    LocalAuthority.objects.create(code="202", name="Theirs", hub=other_hub)
    School.objects.create(urn=1, name="Seed School", local_authority=LocalAuthority.objects.first())
    rows = [
        gias_row(100001, "Our New School", LA_code="201", LA_name="Ours"),
        gias_row(100002, "Their New School", LA_code="202", LA_name="Theirs"),
    ]
    client.force_login(staff_user)
    response = _upload(client, capture, _file(rows))
    return response["Location"]


def test_a_hub_lead_reads_only_their_areas_part_of_an_import_and_not_who_ran_it(
    client, staff_user, hub_lead, hub, other_hub, django_capture_on_commit_callbacks
):
    detail = _two_areas_imported(
        client, staff_user, hub, other_hub, django_capture_on_commit_callbacks
    )
    everything = client.get(detail).content.decode()
    assert "Our New School" in everything and "Their New School" in everything

    client.force_login(hub_lead)
    for url in (detail, detail + "?all=1", UPLOAD):
        page = client.get(url).content.decode()
        assert "Their New School" not in page
        assert staff_user.get_full_name() not in page
    page = client.get(detail).content.decode()
    assert "Our New School" in page
    assert "1 new" in page  # the counts are their area's too
