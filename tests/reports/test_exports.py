"""The exports: what each row says, and the XLSX opening with openpyxl to match the CSV."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from reports import exports
from reports.exports import FORMULA_STARTS
from schools.models import SchoolContact

pytestmark = pytest.mark.django_db


def _csv(client, name, query="", **kwargs) -> list[list[str]]:
    response = client.get(reverse(name, kwargs={"fmt": "csv", **kwargs}) + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx(client, name, query="", **kwargs):
    response = client.get(reverse(name, kwargs={"fmt": "xlsx", **kwargs}) + query)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def _as_csv(value) -> str:
    """A cell read back from the workbook, written as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return str(value)


def _same(csv_cell: str, xlsx_cell) -> bool:
    if isinstance(xlsx_cell, int | float) and not isinstance(xlsx_cell, bool):
        return float(csv_cell) == pytest.approx(float(xlsx_cell))
    return csv_cell == _as_csv(xlsx_cell)


EXPORTS = [
    ("reports:export-participations", "", {}),
    ("reports:export-participations", "?hub=test-hub&year=2024&show=all", {}),
    ("reports:export-schools", "?hub=test-hub", {}),
    ("reports:export-interests", "", {}),
]


@pytest.mark.parametrize(("name", "query", "kwargs"), EXPORTS)
def test_the_xlsx_opens_and_matches_the_csv(client, staff_user, world, name, query, kwargs):
    client.force_login(staff_user)
    rows = _csv(client, name, query, **kwargs)
    sheet = _xlsx(client, name, query, **kwargs)
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == len(cells) > 1
    for csv_row, xlsx_row in zip(rows, cells, strict=True):
        xlsx_row = xlsx_row + [None] * (len(csv_row) - len(xlsx_row))
        for csv_cell, xlsx_cell in zip(csv_row, xlsx_row, strict=True):
            assert _same(csv_cell, xlsx_cell), (csv_row, xlsx_row)


def test_the_register_xlsx_matches_its_csv_and_has_dates_as_dates(client, hub_lead, world):
    client.force_login(hub_lead)
    group = world.groups["DEV-24"]
    rows = _csv(client, "reports:export-register", pk=group.pk)
    sheet = _xlsx(client, "reports:export-register", pk=group.pk)
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Work group code",
        "Workshop",
        "Date",
        "URN",
        "School",
        "Attendee",
        "Lead participant",
        "Attendance",
    ]
    assert cells[1][2] == datetime(2024, 10, 2)
    for csv_row, xlsx_row in zip(rows, cells, strict=True):
        for csv_cell, xlsx_cell in zip(csv_row, xlsx_row, strict=True):
            assert _same(csv_cell, xlsx_cell)
    # A3 has two lead participants, B3 none named, B2 withdrew: two rows per workshop.
    first = [row for row in rows[1:] if row[1] == "1"]
    assert [(row[4], row[5], row[6], row[7]) for row in first] == [
        ("School A3", "A3 lead 1", "Yes", "Present"),
        ("School A3", "A3 lead 2", "Yes", "Present"),
    ]
    second = [row[7] for row in rows[1:] if row[1] == "2"]
    assert second == ["Present", "Absent"]
    assert {row[7] for row in rows[1:] if row[1] not in ("1", "2")} == {"Not recorded"}
    assert len(rows) == 1 + 6 * 2


def test_the_register_lists_invited_teachers_after_lead_participants(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-register", pk=world.groups["SUS-24"].pk)
    first = [(row[5], row[6], row[7]) for row in rows[1:] if row[1] == "1"]
    assert first == [
        ("A1 lead 1", "Yes", "Apologies"),
        ("A1 guest", "No", "Absent"),
        ("M lead 1", "Yes", "Present"),
    ]


def test_participations_export_rows(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-participations", "?hub=test-hub&year=2024&show=all")
    header, body = rows[0], rows[1:]
    assert header[:11] == [
        "URN",
        "School",
        "Local authority",
        "Hub",
        "Academic year",
        "Phase",
        "Work group code",
        "Status",
        "Placed on",
        "Lead participants",
        "Workshop attendance (%)",
    ]
    by_school = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_school) == {"School A1", "School M", "School A2", "School B1"} | {
        "School A3",
        "School B2",
        "School B3",
    }
    a3 = by_school["School A3"]
    assert a3["URN"] == str(world.schools["A3"].urn)
    assert a3["Local authority"] == "Authority A"
    assert a3["Hub"] == "Test Maths Hub"
    assert a3["Academic year"] == "2024/25"
    assert (a3["Phase"], a3["Work group code"]) == ("Development", "DEV-24")
    assert a3["Lead participants"] == "A3 lead 1; A3 lead 2"
    assert (a3["Workshop attendance (%)"], a3["Attendances recorded"]) == ("75.0", "4")
    assert a3["Action plan status"] == "Draft"
    assert (a3["Grant status"], a3["Grant amount (£)"]) == ("Due", "1000.00")
    assert a3["Release days used"] == "4.5"
    assert a3["Placed on"] == timezone.localdate().isoformat()
    b3 = by_school["School B3"]
    assert (b3["Support visits done"], b3["Action plan status"]) == ("1", "No plan yet")
    assert b3["Workshop attendance (%)"] == ""
    b2 = by_school["School B2"]
    assert (b2["Status"], b2["Grant status"]) == ("Withdrawn", "Claimed")
    assert by_school["School A1"]["Action plan status"] == "Shared with the specialist"
    assert by_school["School A1"]["Workshop attendance (%)"] == "0.0"


def test_schools_export_gives_each_schools_pathway(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-schools", "?hub=test-hub")
    header = rows[0]
    by_school = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    # The hub's open primary schools, and A4 (closed) because it took part; not A5 (secondary).
    assert set(by_school) == {
        f"School {key}" for key in ("A1", "A2", "A3", "A4", "B1", "B2", "B3", "M")
    }
    a1 = by_school["School A1"]
    assert a1["Pathway"] == "Development 2022/23; Embedding 2023/24; Sustaining 2024/25"
    assert a1["First year in Development"] == "2022/23"
    assert a1["First year in Sustaining"] == "2024/25"
    assert (a1["Years taking part"], a1["Latest phase and year"]) == ("3", "Sustaining, 2024/25")
    assert by_school["School A4"]["Open or closed"] == "Closed"
    assert by_school["School B1"]["Pathway"] == "Development 2023/24; Embedding 2024/25"
    assert by_school["School B2"]["Pathway"] == ""
    assert by_school["School A3"]["First year in Readiness"] == "2023/24"
    assert by_school["School M"]["Mastery Specialist school"] == "Yes"
    assert by_school["School M"]["Hub"] == "Test Maths Hub"


def test_interests_export_gives_outcomes(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-interests", "?hub=test-hub&year=2024")
    header = rows[0]
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(body) == 5
    outcomes = sorted((row["School"], row["Status"], row["Eligibility outcome"]) for row in body)
    assert outcomes[0] == ("School A1", "Waiting for the hub's decision", "Eligible")
    assert ("School B2", "Declined", "Not eligible") in outcomes
    assert all(row["Hub"] == "Test Maths Hub" for row in body)
    assert all(row["Submitted on"] == timezone.localdate().isoformat() for row in body)


def test_a_value_a_spreadsheet_would_run_is_written_as_text(client, hub_lead, world):
    school = world.schools["A3"]
    school.name = '=HYPERLINK("http://evil.example")'
    school.save()
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-participations", "?hub=test-hub&year=2024")
    assert '\'=HYPERLINK("http://evil.example")' in [row[1] for row in rows]
    sheet = _xlsx(client, "reports:export-participations", "?hub=test-hub&year=2024")
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    evil = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"


BATCHED = [
    ("reports:export-participations", "?hub=test-hub&show=all"),
    ("reports:export-schools", "?hub=test-hub"),
    ("reports:export-interests", "?hub=test-hub"),
]


@pytest.mark.parametrize(("name", "query"), BATCHED)
def test_an_export_says_the_same_whatever_the_size_of_its_batches(
    client, hub_lead, world, monkeypatch, name, query
):
    client.force_login(hub_lead)
    whole = _csv(client, name, query)
    assert len(whole) > 4
    for size in (1, 2, 3):
        monkeypatch.setattr(exports, "BATCH_SIZE", size)
        assert _csv(client, name, query) == whole
        sheet = _xlsx(client, name, query)
        assert len(list(sheet.iter_rows(values_only=True))) == len(whole)


def test_participations_with_nothing_recorded_and_withdrawn_ones(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-participations", "?hub=test-hub&show=all")
    header = rows[0]
    by_group = {(row[6], row[1]): dict(zip(header, row, strict=True)) for row in rows[1:]}
    # No lead participant named, no attendance; one support visit done.
    b3 = by_group[("DEV-24", "School B3")]
    assert b3["Lead participants"] == ""
    assert (b3["Workshop attendance (%)"], b3["Attendances recorded"]) == ("", "0")
    assert b3["Support visits done"] == "1"
    # Nothing recorded at all: no attendance, no visit, no plan.
    a2 = by_group[("EMB-24", "School A2")]
    assert (a2["Workshop attendance (%)"], a2["Attendances recorded"]) == ("", "0")
    assert (a2["Support visits done"], a2["Action plan status"]) == ("0", "No plan yet")
    # Withdrawn: what it had recorded before it left is still shown.
    b2 = by_group[("DEV-24", "School B2")]
    assert (b2["Status"], b2["Lead participants"]) == ("Withdrawn", "B2 lead 1")
    assert (b2["Workshop attendance (%)"], b2["Attendances recorded"]) == ("0.0", "1")
    assert (b2["Grant status"], b2["Grant claimed on"]) == ("Claimed", "2024-10-20")
    assert (b2["Grant paid on"], b2["Release days used"]) == ("", "2.0")
    assert by_group[("DEV-22", "School B1")]["Status"] == "Withdrawn"
    # In the order of the list: hub, newest year first, work group code, school.
    assert [(row[4], row[6], row[1]) for row in rows[1:4]] == [
        ("2024/25", "DEV-24", "School A3"),
        ("2024/25", "DEV-24", "School B2"),
        ("2024/25", "DEV-24", "School B3"),
    ]


def test_the_participations_xlsx_has_dates_as_dates_and_numbers_as_numbers(client, hub_lead, world):
    client.force_login(hub_lead)
    sheet = _xlsx(client, "reports:export-participations", "?hub=test-hub&year=2024&show=all")
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_school = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    b2 = by_school["School B2"]
    assert isinstance(b2["Placed on"], datetime)
    assert b2["Grant claimed on"] == datetime(2024, 10, 20)
    assert b2["Grant paid on"] is None
    assert (b2["Release days used"], b2["Attendances recorded"]) == (2, 1)
    a3 = by_school["School A3"]
    assert (a3["Workshop attendance (%)"], a3["Grant amount (£)"]) == (75, 1000)
    assert by_school["School B3"]["Workshop attendance (%)"] is None


def test_a_lead_participants_name_a_spreadsheet_would_run_is_written_as_text(
    client, hub_lead, world
):
    SchoolContact.objects.filter(name="A3 lead 1").update(name="=1+1")
    SchoolContact.objects.filter(name="B2 lead 1").update(name="+44 1632 960000")
    client.force_login(hub_lead)
    query = "?hub=test-hub&year=2024&show=all"
    rows = _csv(client, "reports:export-participations", query)
    leads = {row[1]: row[9] for row in rows[1:]}
    assert leads["School A3"] == "'=1+1; A3 lead 2"
    assert leads["School B2"] == "'+44 1632 960000"
    sheet = _xlsx(client, "reports:export-participations", query)
    cells = {row[1].value: row[9] for row in sheet.iter_rows(min_row=2)}
    assert (cells["School A3"].value, cells["School A3"].data_type) == ("=1+1; A3 lead 2", "s")
    assert cells["School B2"].value == "+44 1632 960000"


def test_a_school_that_has_not_taken_part_has_an_empty_pathway(client, hub_lead, world):
    client.force_login(hub_lead)
    rows = _csv(client, "reports:export-schools", "?hub=test-hub")
    header = rows[0]
    b2 = next(dict(zip(header, row, strict=True)) for row in rows[1:] if row[1] == "School B2")
    assert [b2[column] for column in header[7:]] == ["", "", "", "", "0", "", ""]
