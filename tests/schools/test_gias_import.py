import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from schools.gias import load_register
from schools.models import LocalAuthority, RegisterImport, School

from ..factories import HubFactory, LocalAuthorityFactory, SchoolFactory
from .gias_csv import COLUMNS, gias_csv, gias_row

pytestmark = pytest.mark.django_db


def _first_file_rows():
    return [
        gias_row(
            100000,
            "St Mary’s C of E Primary School",
            OpenDate="01-09-1990",
            EstablishmentTypeGroup_name="Academies",
            TypeOfEstablishment_name="Academy converter",
            Street="St James’s Passage, Duke’s Place",
            Town="London",
            Postcode="ec3a  5de",
            HeadTitle_name="Mr",
            HeadFirstName="José",
            HeadLastName="O’Neill",
            TelephoneNum="020 7283 1147",
            SchoolWebsite="http://www.stmarys.example",
            Trusts_name="The Élan Learning Trust",
            NumberOfPupils="312",
            StatutoryLowAge="4",
            StatutoryHighAge="11",
            LastChangedDate="15-07-2025",
        ),
        gias_row(
            100001,
            "Camden Infant School",
            LA_code="202",
            LA_name="Camden",
            EstablishmentStatus_name="Closed",
            CloseDate="31-08-2020",
            OpenDate="",
            NumberOfPupils="",
        ),
        gias_row(
            100002,
            "Ysgol Gymraeg Llangefni",
            LA_code="660",
            LA_name="Isle of Anglesey",
            TypeOfEstablishment_name="Welsh establishment",
            GOR_name="Wales (pseudo)",
        ),
        gias_row(100000, "St Mary’s again (a duplicate URN)"),
        gias_row("ABC", "A row with a bad URN"),
        gias_row(100003, "Bad Date Primary School", OpenDate="31-02-2020"),
        gias_row(
            100004,
            "Hillside Middle School",
            PhaseOfEducation_name="Middle deemed primary",
            EstablishmentStatus_name="Open, but proposed to close",
        ),
        gias_row(
            100005,
            "Riverside All-through Academy",
            PhaseOfEducation_name="All-through",
            EstablishmentStatus_name="Proposed to open",
            HeadTitle_name="Not applicable",
            HeadFirstName="Sam",
            HeadLastName="Lee",
        ),
    ]


@pytest.fixture
def first_file(tmp_path):
    path = tmp_path / "edubasealldata20250901.csv"
    path.write_bytes(gias_csv(_first_file_rows()))
    return path


def _import(path, *args) -> str:
    out = io.StringIO()
    call_command("import_gias", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_file_really_is_windows_1252(first_file):
    raw = first_file.read_bytes()
    assert b"St Mary\x92s" in raw
    assert b"Jos\xe9" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_import_reads_every_field(first_file):
    _import(first_file)
    school = School.objects.select_related("local_authority").get(urn=100000)
    assert school.name == "St Mary’s C of E Primary School"
    assert school.search_name == "st marys c of e primary school"
    assert school.local_authority.code == "201"
    assert school.local_authority.name == "City of London"
    assert school.establishment_type == "Academy converter"
    assert school.establishment_type_group == "Academies"
    assert school.phase_of_education == "Primary"
    assert school.is_primary
    assert school.status == School.Status.OPEN
    assert school.open_date == date(1990, 9, 1)
    assert school.close_date is None
    assert (school.statutory_low_age, school.statutory_high_age) == (4, 11)
    assert school.street == "St James’s Passage, Duke’s Place"
    assert school.town == "London"
    assert school.postcode == "EC3A 5DE"
    assert school.postcode_compact == "EC3A5DE"
    assert school.head_name == "Mr José O’Neill"
    assert school.telephone == "020 7283 1147"
    assert school.website == "http://www.stmarys.example"
    assert school.trust_name == "The Élan Learning Trust"
    assert school.number_of_pupils == 312
    assert (school.easting, school.northing) == (533523, 181201)
    assert school.register_last_changed == date(2025, 7, 15)
    assert school.in_england
    assert school.hub_override is None
    assert not school.is_mastery_specialist_school


def test_import_handles_status_phase_and_wales(first_file):
    _import(first_file)
    closed = School.objects.get(urn=100001)
    assert closed.status == School.Status.CLOSED
    assert closed.close_date == date(2020, 8, 31)
    assert closed.number_of_pupils is None
    assert closed.open_date is None
    welsh = School.objects.get(urn=100002)
    assert not welsh.in_england
    assert not LocalAuthority.objects.get(code="660").in_england
    assert LocalAuthority.objects.get(code="201").in_england
    middle = School.objects.get(urn=100004)
    assert middle.status == School.Status.OPEN_PROPOSED_TO_CLOSE
    assert middle.is_primary and middle.is_open
    all_through = School.objects.get(urn=100005)
    assert all_through.status == School.Status.PROPOSED_TO_OPEN
    assert all_through.is_primary
    assert all_through.head_name == "Sam Lee"


def test_welsh_schools_are_in_no_hub_area(first_file):
    hub = HubFactory()
    _import(first_file)
    LocalAuthority.objects.filter(code__in=["201", "660"]).update(hub=hub)
    in_hub = set(School.objects.in_hub(hub).values_list("urn", flat=True))
    assert in_hub == {100000, 100004, 100005}
    assert School.objects.get(urn=100002).hub is None


def test_import_summary_lists_skipped_rows_with_line_numbers(first_file):
    output = _import(first_file)
    assert "Rows read: 8" in output
    assert "Created: 5" in output
    assert "Updated: 0" in output
    assert "Skipped: 3" in output
    assert "line 5: URN 100000: URN appears earlier in the file" in output
    assert "line 6: URN ABC: URN “ABC” is not a number" in output
    assert "line 7: URN 100003: OpenDate “31-02-2020” is not a date (dd-mm-yyyy)" in output
    assert "First import" in output
    assert set(School.objects.values_list("urn", flat=True)) == {
        100000,
        100001,
        100002,
        100004,
        100005,
    }
    # The first of two rows with one URN is kept.
    assert School.objects.get(urn=100000).name == "St Mary’s C of E Primary School"
    assert LocalAuthority.objects.count() == 3
    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.DONE
    assert record.summary["created"] == 5
    assert [p["line"] for p in record.problems] == [5, 6, 7]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"URN": "4000000000"}, "URN “4000000000” is larger than any URN can be"),
        ({"NumberOfPupils": "12345678901234567890123"}, "NumberOfPupils “12345678901234567890"),
        ({"Easting": "123456789012345678901234567890"}, "Easting “1234567890"),
        ({"StatutoryLowAge": "99999"}, "StatutoryLowAge “99999” is larger than any"),
    ],
)
def test_an_out_of_range_number_skips_its_row_and_nothing_else(tmp_path, bad, message):
    """A huge URN neither fails the import nor makes the URN bitmap grow with its value."""
    path = tmp_path / "big.csv"
    urn = int(bad.get("URN", "100010"))
    rows = [gias_row(100009, "Fine Primary School"), gias_row(urn, "Odd School", **bad)]
    path.write_bytes(gias_csv(rows))
    output = _import(path)
    assert "Skipped: 1" in output and "line 3:" in output and message in output
    assert set(School.objects.values_list("urn", flat=True)) == {100009}


def test_a_second_import_of_the_same_file_changes_nothing(first_file):
    _import(first_file)
    before = list(School.objects.order_by("urn").values())
    output = _import(first_file)
    assert "Created: 0" in output
    assert "Updated: 0" in output
    assert "Unchanged: 5" in output
    assert "Skipped: 3" in output
    assert "No change: the portal already matches this file." in output
    assert "no school new, closed, renamed or moved" in output
    assert list(School.objects.order_by("urn").values()) == before


def test_change_report_says_what_is_new_closed_renamed_and_moved(first_file, tmp_path):
    _import(first_file)
    rows = [r for r in _first_file_rows() if r["URN"] not in ("ABC", "100003")][:3]
    rows[0]["EstablishmentName"] = "St Mary’s Church of England Primary School"
    rows.append(
        gias_row(
            100004,
            "Hillside Middle School",
            PhaseOfEducation_name="Middle deemed primary",
            EstablishmentStatus_name="Closed",
            CloseDate="31-08-2025",
        )
    )
    rows.append(gias_row(100005, "Riverside All-through Academy", LA_code="202", LA_name="Camden"))
    rows.append(gias_row(100006, "Brand New Primary School", LA_code="203", LA_name="Greenwich"))
    second = tmp_path / "second.csv"
    second.write_bytes(gias_csv(rows))

    output = _import(second)

    assert "Created: 1" in output
    assert "Updated: 3" in output
    assert "New local authorities: 1" in output
    assert "New schools (1):\n    100006 Brand New Primary School (Greenwich)" in output
    assert "Closed (1):\n    100004 Hillside Middle School (City of London), closed 2025-08-31" in (
        output
    )
    assert (
        "Renamed (1):\n    100000 St Mary’s C of E Primary School → "
        "St Mary’s Church of England Primary School" in output
    )
    assert "100005 Riverside All-through Academy (Camden), was in City of London" in output
    school = School.objects.get(urn=100000)
    assert school.search_name == "st marys church of england primary school"
    changes = RegisterImport.objects.latest("created_at").changes
    assert changes["counts"] == {"new": 1, "closed": 1, "renamed": 1, "moved": 1}


def test_schools_missing_from_the_file_are_kept(first_file):
    kept = SchoolFactory(urn=999999, name="Old School With History")
    output = _import(first_file)
    assert School.objects.filter(pk=kept.pk).exists()
    assert "not in this file (left as they are): 1" in output


def test_import_leaves_what_people_set_alone(first_file):
    _import(first_file)
    other = HubFactory()
    School.objects.filter(urn=100000).update(hub_override=other, is_mastery_specialist_school=True)
    _import(first_file)
    school = School.objects.get(urn=100000)
    assert school.hub_override == other
    assert school.is_mastery_specialist_school


def test_a_missing_required_column_is_named_and_nothing_imported(tmp_path):
    path = tmp_path / "no-la.csv"
    path.write_bytes(gias_csv(_first_file_rows(), columns=[c for c in COLUMNS if c != "LA (code)"]))
    with pytest.raises(CommandError, match="no “LA \\(code\\)” column"):
        _import(path)
    assert not School.objects.exists()
    assert not LocalAuthority.objects.exists()
    record = RegisterImport.objects.get()
    assert record.status == RegisterImport.Status.FAILED
    assert "LA (code)" in record.error


def test_a_broken_csv_imports_nothing(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(gias_csv(_first_file_rows(), raw_lines=['"100009","bad "quoting" here\r\n']))
    with pytest.raises(CommandError, match="Nothing was imported"):
        _import(path)
    assert not School.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_a_utf8_file_is_accepted(tmp_path, encoding):
    path = tmp_path / "utf8.csv"
    path.write_bytes(gias_csv(_first_file_rows(), encoding=encoding))
    output = _import(path)
    assert "read as utf-8" in output
    assert School.objects.get(urn=100000).head_name == "Mr José O’Neill"


def test_dry_run_reports_without_writing(first_file):
    output = _import(first_file, "--dry-run")
    assert "Dry run: nothing was written." in output
    assert "Would create: 5" in output
    assert not School.objects.exists()
    assert not LocalAuthority.objects.exists()


def test_small_batches_give_the_same_result(first_file):
    with first_file.open("rb") as source:
        report = load_register(source, batch_size=2)
    assert (report.created, report.skipped, report.rows) == (5, 3, 8)
    with first_file.open("rb") as source:
        again = load_register(source, batch_size=3)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_existing_local_authorities_keep_their_hub(first_file):
    hub = HubFactory()
    la = LocalAuthorityFactory(code="201", name="City of London", hub=hub)
    _import(first_file)
    assert School.objects.get(urn=100000).local_authority == la
    assert School.objects.get(urn=100000).hub == hub


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_shows_on_a_terminal_only(first_file):
    terminal, pipe = _Terminal(), io.StringIO()
    call_command("import_gias", str(first_file), stdout=io.StringIO(), stderr=terminal)
    call_command("import_gias", str(first_file), stdout=io.StringIO(), stderr=pipe)
    assert "Importing: 100%" in terminal.getvalue()
    assert pipe.getvalue() == ""
