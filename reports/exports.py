"""The returns the national programme asks for, as CSV or XLSX, streamed.

An export is a list of columns and an iterable of rows. Rows come from the database in batches
(`queryset.iterator(chunk_size=BATCH_SIZE)`, whose prefetches run once per batch), so a national
export holds one batch in memory at a time: CSV is written to the response as it is read; XLSX
goes through openpyxl's write-only workbook into a temporary file, streamed back from disk.
"""

import csv
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from actionplans.programme import PlanStatus
from schools.models import School
from workgroups.models import AcademicYear, Attendance, Participation, WorkGroup
from workgroups.programme import PHASES, Phase

from .selectors import NO_PATHWAY, pathways, with_lead_participants

BATCH_SIZE = 2000
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula: shown as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable
    width: int = 14


@dataclass
class Export:
    filename: str  # without the extension
    title: str  # the worksheet's name, at most 31 characters
    columns: list[Column]
    rows: Iterable

    def values(self):
        for row in self.rows:
            yield [column.value(row) for column in self.columns]


def csv_value(value) -> str:
    """How a value is written in the CSV (and read back from the XLSX in the tests)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer into a stream."""

    def write(self, value):
        return value


def _csv_lines(export: Export):
    writer = csv.writer(_Echo())
    # The byte order mark tells Excel the file is UTF-8 (names like "St Mary’s", "Ynys Môn").
    yield "\ufeff" + writer.writerow([column.header for column in export.columns])
    for values in export.values():
        yield writer.writerow([csv_value(value) for value in values])


def csv_response(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.csv"'
    return response


def _xlsx_value(sheet, value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).date()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(export: Export) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=export.title[:31])
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    headers = []
    for column in export.columns:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    for values in export.values():
        sheet.append([_xlsx_value(sheet, value) for value in values])
    # Deleted when the response closes it, once sent.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=f"{export.filename}.xlsx", content_type=XLSX_TYPE
    )


def response(export: Export, fmt: str):
    return csv_response(export) if fmt == "csv" else xlsx_response(export)


def _batches(queryset):
    return queryset.iterator(chunk_size=BATCH_SIZE)


def _value_batches(queryset, fields):
    """The rows as plain values (no model instances: a national export has tens of thousands),
    a batch at a time."""
    rows = queryset.values(*fields).iterator(chunk_size=BATCH_SIZE)
    while batch := list(islice(rows, BATCH_SIZE)):
        yield batch


# The exports -------------------------------------------------------------------------------------


def _rate(present: int, recorded: int) -> float | None:
    return round(100 * present / recorded, 1) if recorded else None


PHASE_NAMES = dict(Phase.choices)
PARTICIPATION_STATUSES = dict(Participation.Status.choices)
GRANT_STATUSES = dict(Participation.GrantStatus.choices)
PLAN_STATUSES = dict(PlanStatus.choices)
PARTICIPATION_FIELDS = (
    "pk",
    "school__urn",
    "school__name",
    "school__local_authority__name",
    "work_group__hub__name",
    "academic_year__start_year",
    "phase",
    "work_group__code",
    "status",
    "placed_at",
    "attendance_present",
    "attendance_recorded",
    "visits_done",
    "action_plan__status",
    "grant_status",
    "grant_amount",
    "grant_claimed_on",
    "grant_paid_on",
    "release_days_used",
)
PARTICIPATION_COLUMNS = [
    Column("URN", lambda p: p["school__urn"], 9),
    Column("School", lambda p: p["school__name"], 36),
    Column("Local authority", lambda p: p["school__local_authority__name"], 22),
    Column("Hub", lambda p: p["work_group__hub__name"], 26),
    Column("Academic year", lambda p: AcademicYear.name_for(p["academic_year__start_year"]), 10),
    Column("Phase", lambda p: PHASE_NAMES[p["phase"]], 12),
    Column("Work group code", lambda p: p["work_group__code"], 16),
    Column("Status", lambda p: PARTICIPATION_STATUSES[p["status"]], 11),
    Column("Placed on", lambda p: p["placed_at"], 12),
    Column("Lead participants", lambda p: p["lead_participants"], 30),
    Column(
        "Workshop attendance (%)",
        lambda p: _rate(p["attendance_present"], p["attendance_recorded"]),
        12,
    ),
    Column("Attendances recorded", lambda p: p["attendance_recorded"], 12),
    Column("Support visits done", lambda p: p["visits_done"], 10),
    Column(
        "Action plan status",
        lambda p: PLAN_STATUSES.get(p["action_plan__status"], "No plan yet"),
        18,
    ),
    Column("Grant status", lambda p: GRANT_STATUSES[p["grant_status"]], 10),
    Column("Grant amount (£)", lambda p: p["grant_amount"], 10),
    Column("Grant claimed on", lambda p: p["grant_claimed_on"], 12),
    Column("Grant paid on", lambda p: p["grant_paid_on"], 12),
    Column("Release days used", lambda p: p["release_days_used"], 10),
]


def _participation_rows(queryset):
    lead_participants = Participation.lead_participants.through.objects
    for batch in _value_batches(queryset, PARTICIPATION_FIELDS):
        names = defaultdict(list)
        for participation_id, name in (
            lead_participants.filter(participation_id__in=[row["pk"] for row in batch])
            .order_by("schoolcontact__name")
            .values_list("participation_id", "schoolcontact__name")
        ):
            names[participation_id].append(name)
        for row in batch:
            row["lead_participants"] = "; ".join(names[row["pk"]])
            yield row


def participations_export(queryset, filename: str) -> Export:
    """One row per participation (see selectors.participations): 2 queries a batch."""
    return Export(
        filename=filename,
        title="Participations",
        columns=PARTICIPATION_COLUMNS,
        rows=_participation_rows(queryset),
    )


SCHOOL_FIELDS = (
    "pk",
    "urn",
    "name",
    "local_authority__name",
    "in_england",
    "hub_override__name",
    "local_authority__hub__name",
    "phase_of_education",
    "status",
    "is_mastery_specialist_school",
)


def _school_rows(queryset):
    for batch in _value_batches(queryset, SCHOOL_FIELDS):
        found = pathways([row["pk"] for row in batch])
        for row in batch:
            row["pathway"] = found.get(row["pk"], NO_PATHWAY)
            yield row


def _hub_name(school: dict) -> str:
    if not school["in_england"]:
        return ""
    return school["hub_override__name"] or school["local_authority__hub__name"] or ""


SCHOOL_COLUMNS = [
    Column("URN", lambda s: s["urn"], 9),
    Column("School", lambda s: s["name"], 36),
    Column("Local authority", lambda s: s["local_authority__name"], 22),
    Column("Hub", _hub_name, 26),
    Column("Phase of education", lambda s: s["phase_of_education"], 14),
    Column(
        "Open or closed",
        lambda s: "Closed" if s["status"] == School.Status.CLOSED else "Open",
        10,
    ),
    Column("Mastery Specialist school", lambda s: s["is_mastery_specialist_school"], 12),
    *(
        Column(
            f"First year in {PHASES[phase].name}",
            lambda s, phase=phase: s["pathway"].first_year.get(phase, ""),
            12,
        )
        for phase in Phase
    ),
    Column("Years taking part", lambda s: s["pathway"].years, 10),
    Column("Latest phase and year", lambda s: s["pathway"].latest, 22),
    Column("Pathway", lambda s: s["pathway"].text, 60),
]


def schools_export(queryset, filename: str) -> Export:
    """One row per school with its pathway (see selectors.schools): 2 queries a batch."""
    return Export(
        filename=filename, title="Schools", columns=SCHOOL_COLUMNS, rows=_school_rows(queryset)
    )


INTEREST_COLUMNS = [
    Column("Reference", lambda e: e.reference, 16),
    Column("Submitted on", lambda e: e.created_at, 12),
    Column("URN", lambda e: e.school.urn, 9),
    Column("School", lambda e: e.school.name, 36),
    Column("Local authority", lambda e: e.school.local_authority.name, 22),
    Column("Hub", lambda e: e.hub.name, 26),
    Column("Academic year", lambda e: e.academic_year.name, 10),
    Column("Phase", lambda e: e.get_phase_display(), 12),
    Column("Work group asked for", lambda e: e.work_group.code if e.work_group else "", 16),
    Column("Status", lambda e: e.get_status_display(), 22),
    Column("Eligibility outcome", lambda e: e.get_outcome_display(), 14),
    Column("Reasons", lambda e: " ".join(e.reasons or []), 60),
    Column("Decided on", lambda e: e.decided_at, 12),
    Column(
        "Placed in",
        lambda e: e.participation.work_group.code if e.participation else "",
        16,
    ),
]


def interests_export(queryset, filename: str) -> Export:
    """One row per expression of interest with its outcome: 1 query a batch."""
    return Export(
        filename=filename,
        title="Expressions of interest",
        columns=INTEREST_COLUMNS,
        rows=_batches(queryset),
    )


@dataclass(frozen=True)
class RegisterRow:
    workshop: object
    participation: object
    contact: object
    is_lead: bool
    status: str


def register_rows(group: WorkGroup) -> list[RegisterRow]:
    """Every expected attendee of every workshop, with their attendance (4 queries)."""
    participations = list(
        with_lead_participants(
            group.participations.taking_part().select_related("school").order_by("school__name")
        )
    )
    workshops = list(group.workshops.order_by("number"))
    records, guests = {}, {}
    for attendance in Attendance.objects.filter(workshop__work_group=group).select_related(
        "contact"
    ):
        records[(attendance.workshop_id, attendance.contact_id)] = attendance
        if not attendance.is_lead_participant:
            key = (attendance.workshop_id, attendance.participation_id)
            guests.setdefault(key, []).append(attendance.contact)
    rows = []
    for workshop in workshops:
        workshop.work_group = group
        for participation in participations:
            leads = list(participation.lead_participants.all())
            invited = sorted(guests.get((workshop.pk, participation.pk), []), key=lambda c: c.name)
            for contact in leads + invited:
                record = records.get((workshop.pk, contact.pk))
                rows.append(
                    RegisterRow(
                        workshop=workshop,
                        participation=participation,
                        contact=contact,
                        is_lead=contact not in invited,
                        status=(record.get_status_display() if record else "Not recorded"),
                    )
                )
    return rows


REGISTER_COLUMNS = [
    Column("Work group code", lambda r: r.workshop.work_group.code, 16),
    Column("Workshop", lambda r: r.workshop.number, 9),
    Column("Date", lambda r: r.workshop.date, 12),
    Column("URN", lambda r: r.participation.school.urn, 9),
    Column("School", lambda r: r.participation.school.name, 36),
    Column("Attendee", lambda r: r.contact.name, 26),
    Column("Lead participant", lambda r: r.is_lead, 10),
    Column("Attendance", lambda r: r.status, 14),
]


def register_export(group: WorkGroup) -> Export:
    """The attendance register of one work group: each workshop's expected attendees."""
    return Export(
        filename=f"register-{group.code}",
        title=f"Register {group.code}",
        columns=REGISTER_COLUMNS,
        rows=register_rows(group),
    )
