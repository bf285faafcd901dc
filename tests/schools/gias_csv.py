"""Build register extracts the way GIAS publishes them, for the import tests."""

import csv
import io

# A realistic slice of GIAS's columns, deliberately not in GIAS's own order, with some the
# import ignores between them: the importer must find columns by name.
COLUMNS = [
    "LA (code)",
    "URN",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "CloseDate",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "Trusts (name)",
    "LastChangedDate",
    "Street",
    "Locality",
    "Town",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "GOR (name)",
    "Easting",
    "Northing",
    "Country (name)",
]

DEFAULTS = {
    "LA (code)": "201",
    "LA (name)": "City of London",
    "EstablishmentNumber": "3614",
    "TypeOfEstablishment (code)": "02",
    "TypeOfEstablishment (name)": "Community school",
    "EstablishmentTypeGroup (name)": "Local authority maintained schools",
    "EstablishmentStatus (code)": "1",
    "EstablishmentStatus (name)": "Open",
    "OpenDate": "",
    "CloseDate": "",
    "PhaseOfEducation (name)": "Primary",
    "StatutoryLowAge": "3",
    "StatutoryHighAge": "11",
    "NumberOfPupils": "250",
    "Trusts (name)": "",
    "LastChangedDate": "01-09-2025",
    "Street": "1 School Lane",
    "Locality": "",
    "Town": "London",
    "Postcode": "EC3A 5DE",
    "SchoolWebsite": "",
    "TelephoneNum": "",
    "HeadTitle (name)": "Mrs",
    "HeadFirstName": "Ann",
    "HeadLastName": "Head",
    "GOR (name)": "London",
    "Easting": "533523",
    "Northing": "181201",
    "Country (name)": "",
}


def gias_row(urn, name, **fields) -> dict:
    """One establishment; keyword names are GIAS column names with spaces and brackets as _."""
    row = dict(DEFAULTS, URN=str(urn), EstablishmentName=name)
    for key, value in fields.items():
        column = next(c for c in COLUMNS if _key(c) == key)
        row[column] = value
    return row


def _key(column: str) -> str:
    return column.replace(" (", "_").replace(")", "").replace(" ", "_")


def gias_csv(rows, *, columns=COLUMNS, encoding="cp1252", raw_lines=()) -> bytes:
    """The extract as bytes: every field quoted as GIAS does, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    text = out.getvalue() + "".join(raw_lines)
    return text.encode(encoding)
