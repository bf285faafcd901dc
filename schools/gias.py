"""Loading the national register's "all establishment data" CSV extract (GIAS) into schools.

GIAS publishes one row per establishment, about 139 columns whose set and order change between
years, Windows-1252 encoded, dates as dd-mm-yyyy and blanks for unknowns. We find columns by
name, read the file as a stream in batches (memory stays flat however long the file is) and
upsert by URN. The whole load is one transaction: a file refused part-way writes nothing.
"""

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from .models import LocalAuthority, School, normalise_name, normalise_postcode

# Columns without which a row means nothing to us; the file is refused if one is missing.
REQUIRED_COLUMNS = (
    "URN",
    "EstablishmentName",
    "LA (code)",
    "LA (name)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "Postcode",
)
# Columns we read when present; an extract without one leaves that field blank.
OPTIONAL_COLUMNS = (
    "EstablishmentTypeGroup (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "Street",
    "Town",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "TelephoneNum",
    "SchoolWebsite",
    "Trusts (name)",
    "OpenDate",
    "CloseDate",
    "NumberOfPupils",
    "Easting",
    "Northing",
    "LastChangedDate",
    "GOR (name)",
    "Country (name)",
)

STATUSES = {
    "open": School.Status.OPEN,
    "closed": School.Status.CLOSED,
    "open, but proposed to close": School.Status.OPEN_PROPOSED_TO_CLOSE,
    "proposed to open": School.Status.PROPOSED_TO_OPEN,
}

# Establishments the register lists that are not in England, so in no hub's area.
NON_ENGLAND_TYPES = {
    "welsh establishment",
    "british schools overseas",
    "offshore schools",
    "service children's education",
    "service childrens education",
}
NON_ENGLAND_REGIONS = {"wales (pseudo)", "wales", "not applicable", "scotland", "northern ireland"}
ENGLAND_COUNTRIES = {"", "united kingdom", "england"}
# GIAS gives the 22 Welsh unitary authorities codes 660 to 681.
WELSH_LA_CODES = {str(code) for code in range(660, 682)}
NOT_A_TITLE = {"", "not applicable", "none"}

# Fields the register owns: an import writes these and nothing else (never the hub or the
# Mastery Specialist flag, which people set).
REGISTER_FIELDS = (
    "name",
    "local_authority_id",
    "in_england",
    "establishment_type",
    "establishment_type_group",
    "phase_of_education",
    "status",
    "open_date",
    "close_date",
    "statutory_low_age",
    "statutory_high_age",
    "street",
    "town",
    "postcode",
    "head_name",
    "telephone",
    "website",
    "trust_name",
    "number_of_pupils",
    "easting",
    "northing",
    "register_last_changed",
)


def _written(changed: tuple[str, ...]) -> list[str]:
    """Model fields to write for these changed register fields, with the search columns."""
    fields = [name.removesuffix("_id") for name in changed]
    if "name" in changed:
        fields.append("search_name")
    if "postcode" in changed:
        fields.append("postcode_compact")
    return fields


# The change report lists at most this many schools of each kind (the counts are exact).
MAX_LISTED_CHANGES = 500
MAX_LISTED_PROBLEMS = 1000
DEFAULT_BATCH_SIZE = 1000


class RegisterFileError(Exception):
    """The whole file is refused; the message says why, for the person who loaded it."""


class RowError(Exception):
    """One row cannot be read; it is skipped and listed with its line number."""


@dataclass
class ImportReport:
    dry_run: bool = False
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    local_authorities_created: int = 0
    not_in_file: int = 0
    first_import: bool = False
    problems: list[dict] = field(default_factory=list)
    changes: dict[str, list[dict]] = field(
        default_factory=lambda: {"new": [], "closed": [], "renamed": [], "moved": []}
    )
    change_counts: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "closed": 0, "renamed": 0, "moved": 0}
    )

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.local_authorities_created)

    def summary(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "encoding": self.encoding,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "local_authorities_created": self.local_authorities_created,
            "not_in_file": self.not_in_file,
            "first_import": self.first_import,
            "change_counts": self.change_counts,
        }

    def change_report(self) -> dict:
        return {"counts": self.change_counts, "first_import": self.first_import, **self.changes}

    def note_change(self, kind: str, entry: dict) -> None:
        self.change_counts[kind] += 1
        if len(self.changes[kind]) < MAX_LISTED_CHANGES:
            self.changes[kind].append(entry)

    def note_problem(self, line: int, urn: str, message: str) -> None:
        self.skipped += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append({"line": line, "urn": urn, "message": message})


def summary_lines(summary: dict) -> list[str]:
    """The summary in words, as the command prints it and the result page shows it."""
    dry = summary.get("dry_run")
    lines = [
        f"Rows read: {summary['rows']}",
        f"{'Would create' if dry else 'Created'}: {summary['created']}",
        f"{'Would update' if dry else 'Updated'}: {summary['updated']}",
        f"Unchanged: {summary['unchanged']}",
        f"Skipped: {summary['skipped']}",
    ]
    if summary.get("local_authorities_created"):
        label = "New local authorities" + (" (would be created)" if dry else "")
        lines.append(f"{label}: {summary['local_authorities_created']}")
    if summary.get("not_in_file"):
        lines.append(
            f"Schools in the portal but not in this file (left as they are): "
            f"{summary['not_in_file']}"
        )
    return lines


def _raw_binary(source):
    """The binary file object under Django's File wrappers and temporary-file proxies."""
    while not isinstance(source, io.IOBase) and hasattr(source, "file"):
        source = source.file
    return source


def detect_encoding(binary) -> str:
    """UTF-8 (with or without a byte-order mark) if the bytes decode as such, else Windows-1252.

    Reads the file once in chunks, so a 60 MB register costs a moment, not memory.
    """
    binary.seek(0)
    head = binary.read(3)
    if head == codecs.BOM_UTF8:
        binary.seek(0)
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    try:
        while chunk:
            decoder.decode(chunk)
            chunk = binary.read(1 << 20)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    binary.seek(0)
    return encoding


def _parse_date(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        day, month, year = value.replace("/", "-").split("-")
        return date(int(year), int(month), int(day))
    except ValueError:
        raise RowError(f"{column} “{value}” is not a date (dd-mm-yyyy)") from None


# The largest whole numbers the register's columns may hold: what their database columns store.
SMALL, LARGE = 32_767, 2_147_483_647
# URNs are six digits today; a seventh is allowed for. Anything larger is a bad row, not a
# reason to grow the bitmap of URNs seen (which would take memory in proportion to the value).
LARGEST_URN = 9_999_999


def _parse_int(value: str, column: str, largest: int = LARGE) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise RowError(f"{column} “{value}” is not a whole number")
    if len(value) > len(str(largest)) or int(value) > largest:
        raise RowError(f"{column} “{value}” is larger than any {column} can be")
    return int(value)


def _clip(value: str, length: int) -> str:
    return value[:length]


class _UrnSet:
    """URNs seen so far as a bitmap: 125 kB covers every six-digit URN, however long the file."""

    def __init__(self):
        self.bits = bytearray(1_000_000 // 8)

    def add(self, urn: int) -> None:
        if urn >> 3 >= len(self.bits):
            self.bits.extend(bytes((urn >> 3) + 1 - len(self.bits)))
        self.bits[urn >> 3] |= 1 << (urn & 7)

    def __contains__(self, urn: int) -> bool:
        return urn >> 3 < len(self.bits) and bool(self.bits[urn >> 3] & (1 << (urn & 7)))


class _Columns:
    """Where each column we read sits in this file's rows (found by name, never by position)."""

    def __init__(self, header: list[str]):
        positions = {}
        for index, name in enumerate(header):
            positions.setdefault(name.strip().lstrip("\ufeff").strip('"').strip(), index)
        missing = [name for name in REQUIRED_COLUMNS if name not in positions]
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            raise RegisterFileError(
                f"The file has no {names} column{'s' if len(missing) > 1 else ''}. Is it the "
                "“all establishment data” extract from Get Information About Schools? "
                "Nothing was imported."
            )
        self.positions = {name: positions.get(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}

    def reader(self, row: list[str]) -> Callable[[str], str]:
        positions, width = self.positions, len(row)

        def cell(name: str) -> str:
            index = positions[name]
            return row[index].strip() if index is not None and index < width else ""

        return cell


_MAX = {f.name: f.max_length for f in School._meta.fields if getattr(f, "max_length", None)}


def parse_row(row: list[str], columns: _Columns) -> dict:
    """One register row as School field values; RowError if it cannot be trusted."""
    cell = columns.reader(row)
    urn_text = cell("URN")
    if not urn_text.isdigit() or int(urn_text) == 0:
        raise RowError(f"URN “{urn_text}” is not a number" if urn_text else "URN is blank")
    urn = _parse_int(urn_text, "URN", LARGEST_URN)
    name = " ".join(cell("EstablishmentName").split())
    if not name:
        raise RowError("EstablishmentName is blank")
    la_code = cell("LA (code)")
    if not la_code:
        raise RowError("LA (code) is blank")
    status_text = cell("EstablishmentStatus (name)")
    status = STATUSES.get(status_text.lower())
    if status is None:
        raise RowError(f"EstablishmentStatus (name) “{status_text}” is not a status we know")
    establishment_type = cell("TypeOfEstablishment (name)")
    title = cell("HeadTitle (name)")
    head_name = " ".join(
        part
        for part in (
            "" if title.lower() in NOT_A_TITLE else title,
            cell("HeadFirstName"),
            cell("HeadLastName"),
        )
        if part
    )
    in_england = not (
        establishment_type.lower() in NON_ENGLAND_TYPES
        or cell("GOR (name)").lower() in NON_ENGLAND_REGIONS
        or cell("Country (name)").lower() not in ENGLAND_COUNTRIES
        or la_code in WELSH_LA_CODES
    )
    postcode = " ".join(cell("Postcode").upper().split())
    return {
        "urn": urn,
        "name": _clip(name, _MAX["name"]),
        "la_code": la_code,
        "la_name": cell("LA (name)") or la_code,
        "in_england": in_england,
        "establishment_type": _clip(establishment_type, _MAX["establishment_type"]),
        "establishment_type_group": _clip(
            cell("EstablishmentTypeGroup (name)"), _MAX["establishment_type_group"]
        ),
        "phase_of_education": _clip(cell("PhaseOfEducation (name)"), _MAX["phase_of_education"]),
        "status": status,
        "open_date": _parse_date(cell("OpenDate"), "OpenDate"),
        "close_date": _parse_date(cell("CloseDate"), "CloseDate"),
        "statutory_low_age": _parse_int(cell("StatutoryLowAge"), "StatutoryLowAge", SMALL),
        "statutory_high_age": _parse_int(cell("StatutoryHighAge"), "StatutoryHighAge", SMALL),
        "street": _clip(cell("Street"), _MAX["street"]),
        "town": _clip(cell("Town"), _MAX["town"]),
        "postcode": _clip(postcode, _MAX["postcode"]),
        "head_name": _clip(head_name, _MAX["head_name"]),
        "telephone": _clip(cell("TelephoneNum"), _MAX["telephone"]),
        "website": _clip(cell("SchoolWebsite"), _MAX["website"]),
        "trust_name": _clip(cell("Trusts (name)"), _MAX["trust_name"]),
        "number_of_pupils": _parse_int(cell("NumberOfPupils"), "NumberOfPupils"),
        "easting": _parse_int(cell("Easting"), "Easting"),
        "northing": _parse_int(cell("Northing"), "Northing"),
        "register_last_changed": _parse_date(cell("LastChangedDate"), "LastChangedDate"),
    }


def _counted_lines(binary, progress: list[int]) -> Iterator[bytes]:
    for line in binary:
        progress[0] += len(line)
        yield line


class RegisterLoader:
    """One pass over one file: parse, compare with what we hold, write what changed."""

    def __init__(self, *, dry_run: bool, batch_size: int, on_progress):
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.on_progress = on_progress or (lambda done, total: None)
        self.report = ImportReport(dry_run=dry_run)
        self.authorities = {la.code: la for la in LocalAuthority.objects.all()}
        self.authority_codes = {la.pk: la.code for la in self.authorities.values()}
        self.file_authority_codes: set[str] = set()
        self.english_authority_codes: set[str] = set()
        self.seen_urns = _UrnSet()

    def run(self, source) -> ImportReport:
        binary = _raw_binary(source)
        report = self.report
        report.encoding = detect_encoding(binary)
        total_bytes = binary.seek(0, io.SEEK_END)
        binary.seek(0)
        schools_before = School.objects.count()
        report.first_import = schools_before == 0
        progress = [0]
        errors = "replace" if report.encoding == "cp1252" else "strict"
        text = codecs.iterdecode(_counted_lines(binary, progress), report.encoding, errors)
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, None)
            if not header or not any(cell.strip() for cell in header):
                raise RegisterFileError("The file is empty. Nothing was imported.")
            columns = _Columns(header)
            matched = self._load_rows(reader, columns, progress, total_bytes)
            self._settle_authorities()
        except csv.Error as error:
            raise RegisterFileError(
                f"Line {reader.line_num} cannot be read as CSV ({error}). Nothing was imported."
            ) from None
        except UnicodeDecodeError:
            raise RegisterFileError(
                "The file is neither UTF-8 nor Windows-1252 text. Nothing was imported."
            ) from None
        report.not_in_file = schools_before - matched
        self.on_progress(total_bytes, total_bytes)
        return report

    def _load_rows(self, reader, columns, progress, total_bytes) -> int:
        batch: list[tuple[int, dict]] = []
        matched = 0
        line_end = reader.line_num
        for row in reader:
            line, line_end = line_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            self.report.rows += 1
            try:
                values = parse_row(row, columns)
            except RowError as error:
                urn = columns.reader(row)("URN")
                self.report.note_problem(line, urn, str(error))
                continue
            if values["urn"] in self.seen_urns:
                self.report.note_problem(
                    line, str(values["urn"]), "URN appears earlier in the file; this row ignored"
                )
                continue
            self.seen_urns.add(values["urn"])
            batch.append((line, values))
            if len(batch) >= self.batch_size:
                matched += self._load_batch(batch)
                batch = []
                self.on_progress(progress[0], total_bytes)
        if batch:
            matched += self._load_batch(batch)
        return matched

    def _authority(self, code: str, name: str) -> LocalAuthority:
        la = self.authorities.get(code)
        if la is None:
            la = LocalAuthority(code=code, name=name)
            if not self.dry_run:
                la.save()
                self.authority_codes[la.pk] = code
            self.authorities[code] = la
            self.report.local_authorities_created += 1
        elif la.name != name and not self.dry_run:
            la.name = name
            la.save(update_fields=["name"])
        return la

    def _load_batch(self, batch: list[tuple[int, dict]]) -> int:
        existing = School.objects.in_bulk([values["urn"] for _, values in batch], field_name="urn")
        to_create = []
        # Updated schools grouped by the fields that changed: a narrower UPDATE for each group.
        to_update: dict[tuple[str, ...], list[School]] = {}
        for _, values in batch:
            la = self._authority(values.pop("la_code"), values.pop("la_name"))
            self.file_authority_codes.add(la.code)
            if values["in_england"]:
                self.english_authority_codes.add(la.code)
            values["local_authority_id"] = la.pk
            school = existing.get(values["urn"])
            if school is None:
                school = School(**values)
                school.local_authority = la
                self._set_search_columns(school)
                to_create.append(school)
                if school.status != School.Status.CLOSED and not self.report.first_import:
                    self.report.note_change("new", self._entry(school, la))
                continue
            changed = [f for f in REGISTER_FIELDS if getattr(school, f) != values[f]]
            if not changed:
                self.report.unchanged += 1
                continue
            self._note_changes(school, values, la)
            for name in changed:
                setattr(school, name, values[name])
            self._set_search_columns(school)
            to_update.setdefault(tuple(changed), []).append(school)
        self.report.created += len(to_create)
        self.report.updated += sum(len(group) for group in to_update.values())
        if not self.dry_run:
            School.objects.bulk_create(to_create, batch_size=self.batch_size)
            for changed, schools in to_update.items():
                School.objects.bulk_update(schools, _written(changed), batch_size=250)
        return len(existing)

    @staticmethod
    def _set_search_columns(school: School) -> None:
        # bulk_create and bulk_update skip save(), which keeps these in step elsewhere.
        school.search_name = normalise_name(school.name)
        school.postcode_compact = normalise_postcode(school.postcode)

    def _entry(self, school: School, la: LocalAuthority) -> dict:
        return {
            "urn": school.urn,
            "name": school.name,
            "local_authority": la.name,
            "hub_id": la.hub_id,
        }

    def _note_changes(self, school: School, values: dict, la: LocalAuthority) -> None:
        report = self.report
        entry = self._entry(school, la) | {"name": values["name"]}
        if values["status"] == School.Status.CLOSED and school.status != School.Status.CLOSED:
            close_date = values["close_date"]
            report.note_change(
                "closed", entry | {"close_date": close_date.isoformat() if close_date else ""}
            )
        if values["name"] != school.name:
            report.note_change("renamed", entry | {"old_name": school.name})
        if values["local_authority_id"] != school.local_authority_id:
            old_code = self.authority_codes.get(school.local_authority_id, "")
            old = self.authorities.get(old_code)
            report.note_change(
                "moved",
                entry
                | {
                    "old_local_authority": old.name if old else "",
                    "old_hub_id": old.hub_id if old else None,
                },
            )

    def _settle_authorities(self) -> None:
        """An authority is in England when any establishment in it is."""
        if self.dry_run:
            return
        for code in self.file_authority_codes:
            la = self.authorities[code]
            in_england = code in self.english_authority_codes
            if la.in_england != in_england:
                la.in_england = in_england
                la.save(update_fields=["in_england"])


def load_register(
    source,
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Upsert every establishment in a GIAS extract by URN, in one transaction."""
    with transaction.atomic():
        return RegisterLoader(dry_run=dry_run, batch_size=batch_size, on_progress=on_progress).run(
            source
        )
