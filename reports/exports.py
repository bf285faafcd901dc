"""The returns the national programme asks for, as CSV or XLSX, streamed.

An export is a list of columns and its rows, a batch at a time. Rows come from the database as
plain values (a national export has tens of thousands: no model instances) through a server-side
cursor, `BATCH_SIZE` at a time, with what the database adds up for each (attendance, visits, a
school's pathway: see selectors.participation_rows); what else a batch needs (its lead
participants) is read in one query for the whole batch. So a national export holds one batch in
memory at a time: CSV is written to the response a batch at a time, in one chunk; XLSX goes
through openpyxl's write-only workbook into a temporary file, streamed back from disk.

A row holds each cell as the spreadsheet shows it: text, a number, a date or nothing (None). The
CSV writes them as they are (a date as 2024-09-01), the XLSX as typed cells: both say the same.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models.functions import TruncDate
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from actionplans.programme import PlanStatus
from core.formatting import academic_year_name
from enrolment.eligibility import Outcome
from enrolment.models import ExpressionOfInterest
from schools.models import School
from workgroups.models import Attendance, Participation, WorkGroup

from .lists import (
    NO_PATHWAY,
    PHASE_NAMES,
    lead_participant_names,
    participation_rows,
    pathway_of,
    school_rows,
    with_lead_participants,
)

BATCH_SIZE = 2000
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell that starts with one of these as a formula: shown as text instead.
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 14
    # Text that people typed or that came from elsewhere (names, codes), which could start like a
    # formula; the portal's own labels never do.
    free_text: bool = False


@dataclass
class Export:
    filename: str  # without the extension
    title: str  # the worksheet's name, at most 31 characters
    columns: list[Column]
    batches: Iterable[list[list]]  # the rows, a batch at a time; a row is a list, a value a column


def _free_text(export: Export) -> list[int]:
    return [index for index, column in enumerate(export.columns) if column.free_text]


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _csv_chunks(export: Export) -> Iterator[str]:
    """The CSV, a chunk a batch: None is written empty, a number or a date as str() writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in export.columns])
    # The byte order mark tells Excel the file is UTF-8 (names like "St Mary’s", "Ynys Môn").
    yield "\ufeff" + _taken(buffer)
    free_text = _free_text(export)
    for batch in export.batches:
        for row in batch:
            for index in free_text:
                value = row[index]
                if value and value[0] in FORMULA_STARTS:
                    row[index] = "'" + value
        writer.writerows(batch)
        yield _taken(buffer)


def csv_response(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_chunks(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}.csv"'
    return response


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
    free_text = _free_text(export)
    for batch in export.batches:
        for row in batch:
            for index in free_text:
                value = row[index]
                if value and value[0] == "=":
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"
                    row[index] = cell
            sheet.append(row)
    # Deleted when the response closes it, once sent.
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    workbook.save(file)
    file.seek(0)
    return FileResponse(
        file, as_attachment=True, filename=f"{export.filename}.xlsx", content_type=XLSX_TYPE
    )


def response(export: Export, fmt: str):
    return csv_response(export) if fmt == "csv" else xlsx_response(export)


def _batches(rows) -> Iterator[list]:
    """The rows of a values_list() queryset, a batch at a time, through a server-side cursor."""
    rows = rows.iterator(chunk_size=BATCH_SIZE)
    while batch := list(islice(rows, BATCH_SIZE)):
        yield batch


# The exports -------------------------------------------------------------------------------------


PARTICIPATION_STATUSES = dict(Participation.Status.choices)
GRANT_STATUSES = dict(Participation.GrantStatus.choices)
PLAN_STATUSES = dict(PlanStatus.choices)
INTEREST_STATUSES = dict(ExpressionOfInterest.Status.choices)
OUTCOMES = dict(Outcome.choices)

PARTICIPATION_COLUMNS = [
    Column("URN", 9),
    Column("School", 36, free_text=True),
    Column("Local authority", 22, free_text=True),
    Column("Hub", 26, free_text=True),
    Column("Academic year", 10),
    Column("Phase", 12),
    Column("Work group code", 16, free_text=True),
    Column("Status", 11),
    Column("Placed on", 12),
    Column("Lead participants", 30, free_text=True),
    Column("Workshop attendance (%)", 12),
    Column("Attendances recorded", 12),
    Column("Support visits done", 10),
    Column("Action plan status", 18),
    Column("Grant status", 10),
    Column("Grant amount (£)", 10),
    Column("Grant claimed on", 12),
    Column("Grant paid on", 12),
    Column("Release days used", 10),
]
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
    "placed_on",
    "action_plan__status",
    "grant_status",
    "grant_amount",
    "grant_claimed_on",
    "grant_paid_on",
    "release_days_used",
)


def _participation_batches(queryset) -> Iterator[list[list]]:
    # The day it was in the portal's time zone (UK).
    queryset = queryset.annotate(placed_on=TruncDate("placed_at"))
    for batch in participation_rows(queryset, PARTICIPATION_FIELDS, BATCH_SIZE):
        leads = lead_participant_names([row[0] for row in batch])
        yield [
            [
                urn,
                school,
                authority,
                hub,
                academic_year_name(start_year),
                PHASE_NAMES[phase],
                code,
                PARTICIPATION_STATUSES[status],
                placed_on,
                leads.get(pk, ""),
                round(100 * present / recorded, 1) if recorded else None,
                recorded or 0,
                visits_done or 0,
                PLAN_STATUSES.get(plan, "No plan yet"),
                GRANT_STATUSES[grant],
                amount,
                claimed_on,
                paid_on,
                release_days,
            ]
            for (
                pk,
                urn,
                school,
                authority,
                hub,
                start_year,
                phase,
                code,
                status,
                placed_on,
                plan,
                grant,
                amount,
                claimed_on,
                paid_on,
                release_days,
                present,
                recorded,
                visits_done,
            ) in batch
        ]


def participations_export(queryset, filename: str) -> Export:
    """One row per participation (see selectors.participations): 1 query, and 1 a batch."""
    return Export(
        filename=filename,
        title="Participations",
        columns=PARTICIPATION_COLUMNS,
        batches=_participation_batches(queryset),
    )


SCHOOL_COLUMNS = [
    Column("URN", 9),
    Column("School", 36, free_text=True),
    Column("Local authority", 22, free_text=True),
    Column("Hub", 26, free_text=True),
    Column("Phase of education", 14, free_text=True),
    Column("Open or closed", 10),
    Column("Mastery Specialist school", 12),
    *(Column(f"First year in {name}", 12) for name in PHASE_NAMES.values()),
    Column("Years taking part", 10),
    Column("Latest phase and year", 22),
    Column("Pathway", 60),
]
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


def _pathway_cells(pathway) -> tuple:
    first_year = pathway.first_year
    return (
        *[first_year.get(phase, "") for phase in PHASE_NAMES],
        pathway.years,
        pathway.latest,
        pathway.text,
    )


NO_PATHWAY_CELLS = _pathway_cells(NO_PATHWAY)


def _school_batches(queryset) -> Iterator[list[list]]:
    for batch in school_rows(queryset, SCHOOL_FIELDS, BATCH_SIZE):
        yield [
            [
                urn,
                name,
                authority,
                # A school outside England belongs to no hub, whatever its authority.
                (hub_override or authority_hub or "") if in_england else "",
                phase_of_education,
                "Closed" if status == School.Status.CLOSED else "Open",
                "Yes" if is_specialist else "No",
                *(_pathway_cells(pathway_of(phases, years)) if phases else NO_PATHWAY_CELLS),
            ]
            for (
                _pk,
                urn,
                name,
                authority,
                in_england,
                hub_override,
                authority_hub,
                phase_of_education,
                status,
                is_specialist,
                phases,
                years,
            ) in batch
        ]


def schools_export(queryset, filename: str) -> Export:
    """One row per school with its pathway (see selectors.schools): 1 query in all."""
    return Export(
        filename=filename,
        title="Schools",
        columns=SCHOOL_COLUMNS,
        batches=_school_batches(queryset),
    )


INTEREST_COLUMNS = [
    Column("Reference", 16, free_text=True),
    Column("Submitted on", 12),
    Column("URN", 9),
    Column("School", 36, free_text=True),
    Column("Local authority", 22, free_text=True),
    Column("Hub", 26, free_text=True),
    Column("Academic year", 10),
    Column("Phase", 12),
    Column("Work group asked for", 16, free_text=True),
    Column("Status", 22),
    Column("Eligibility outcome", 14),
    Column("Reasons", 60, free_text=True),
    Column("Decided on", 12),
    Column("Placed in", 16, free_text=True),
]
INTEREST_FIELDS = (
    "reference",
    "submitted_on",
    "school__urn",
    "school__name",
    "school__local_authority__name",
    "hub__name",
    "academic_year__start_year",
    "phase",
    "work_group__code",
    "status",
    "outcome",
    "reasons",
    "decided_on",
    "participation__work_group__code",
)


def _interest_batches(queryset) -> Iterator[list[list]]:
    rows = queryset.annotate(
        submitted_on=TruncDate("created_at"), decided_on=TruncDate("decided_at")
    ).values_list(*INTEREST_FIELDS)
    for batch in _batches(rows):
        yield [
            [
                reference,
                submitted_on,
                urn,
                school,
                authority,
                hub,
                academic_year_name(start_year),
                PHASE_NAMES.get(phase, phase),
                asked_for or "",
                INTEREST_STATUSES.get(status, status),
                OUTCOMES.get(outcome, outcome),
                " ".join(reasons or []),
                decided_on,
                placed_in or "",
            ]
            for (
                reference,
                submitted_on,
                urn,
                school,
                authority,
                hub,
                start_year,
                phase,
                asked_for,
                status,
                outcome,
                reasons,
                decided_on,
                placed_in,
            ) in batch
        ]


def interests_export(queryset, filename: str) -> Export:
    """One row per expression of interest with its outcome: no query besides the rows."""
    return Export(
        filename=filename,
        title="Expressions of interest",
        columns=INTEREST_COLUMNS,
        batches=_interest_batches(queryset),
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
    Column("Work group code", 16, free_text=True),
    Column("Workshop", 9),
    Column("Date", 12),
    Column("URN", 9),
    Column("School", 36, free_text=True),
    Column("Attendee", 26, free_text=True),
    Column("Lead participant", 10),
    Column("Attendance", 14),
]


def register_export(group: WorkGroup) -> Export:
    """The attendance register of one work group: each workshop's expected attendees."""
    rows = [
        [
            row.workshop.work_group.code,
            row.workshop.number,
            row.workshop.date,
            row.participation.school.urn,
            row.participation.school.name,
            row.contact.name,
            "Yes" if row.is_lead else "No",
            row.status,
        ]
        for row in register_rows(group)
    ]
    return Export(
        filename=f"register-{group.code}",
        title=f"Register {group.code}",
        columns=REGISTER_COLUMNS,
        batches=[rows],
    )
