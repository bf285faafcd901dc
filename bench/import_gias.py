"""Benchmark the register import on a generated GIAS extract.

    .venv/bin/python bench/import_gias.py                 # 50,000 rows, a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hp_bench .venv/bin/python bench/import_gias.py

Writes a Windows-1252 "all establishment data" file with GIAS's 139 columns in GIAS's order, then
imports it into an empty database (every school new), imports it again (nothing changes) and
imports a copy where 2% of schools changed. Prints rows per second for each, and the peak Python
memory of an import (tracemalloc) for a small and the full file: the two should be close, as the
import streams. The database named by DATABASE_URL is emptied of schools: never point it at data
you want to keep.
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# GIAS's columns in the order of its 2023-2025 extracts.
GIAS_COLUMNS = """URN|LA (code)|LA (name)|EstablishmentNumber|EstablishmentName|
TypeOfEstablishment (code)|TypeOfEstablishment (name)|EstablishmentTypeGroup (code)|
EstablishmentTypeGroup (name)|EstablishmentStatus (code)|EstablishmentStatus (name)|
ReasonEstablishmentOpened (code)|ReasonEstablishmentOpened (name)|OpenDate|
ReasonEstablishmentClosed (code)|ReasonEstablishmentClosed (name)|CloseDate|
PhaseOfEducation (code)|PhaseOfEducation (name)|StatutoryLowAge|StatutoryHighAge|Boarders (code)|
Boarders (name)|NurseryProvision (name)|OfficialSixthForm (code)|OfficialSixthForm (name)|
Gender (code)|Gender (name)|ReligiousCharacter (code)|ReligiousCharacter (name)|
ReligiousEthos (name)|Diocese (code)|Diocese (name)|AdmissionsPolicy (code)|
AdmissionsPolicy (name)|SchoolCapacity|SpecialClasses (code)|SpecialClasses (name)|CensusDate|
NumberOfPupils|NumberOfBoys|NumberOfGirls|PercentageFSM|TrustSchoolFlag (code)|
TrustSchoolFlag (name)|Trusts (code)|Trusts (name)|SchoolSponsorFlag (name)|
SchoolSponsors (name)|FederationFlag (name)|Federations (code)|Federations (name)|UKPRN|
FEHEIdentifier|FurtherEducationType (name)|OfstedLastInsp|OfstedSpecialMeasures (code)|
OfstedSpecialMeasures (name)|LastChangedDate|Street|Locality|Address3|Town|County (name)|Postcode|
SchoolWebsite|TelephoneNum|HeadTitle (name)|HeadFirstName|HeadLastName|HeadPreferredJobTitle|
BSOInspectorateName (name)|InspectorateReport|DateOfLastInspectionVisit|NextInspectionVisit|
TeenMoth (name)|TeenMothPlaces|CCF (name)|SENPRU (name)|EBD (name)|PlacesPRU|FTProv (name)|
EdByOther (name)|Section41Approved (name)|SEN1 (name)|SEN2 (name)|SEN3 (name)|SEN4 (name)|
SEN5 (name)|SEN6 (name)|SEN7 (name)|SEN8 (name)|SEN9 (name)|SEN10 (name)|SEN11 (name)|
SEN12 (name)|SEN13 (name)|TypeOfResourcedProvision (name)|ResourcedProvisionOnRoll|
ResourcedProvisionCapacity|SenUnitOnRoll|SenUnitCapacity|GOR (code)|GOR (name)|
DistrictAdministrative (code)|DistrictAdministrative (name)|AdministrativeWard (code)|
AdministrativeWard (name)|ParliamentaryConstituency (code)|ParliamentaryConstituency (name)|
UrbanRural (code)|UrbanRural (name)|GSSLACode (name)|Easting|Northing|MSOA (name)|LSOA (name)|
InspectorateName (name)|SENStat|SENNoStat|BoardingEstablishment (name)|PropsName|
PreviousLA (code)|PreviousLA (name)|PreviousEstablishmentNumber|OfstedRating (name)|
RSCRegion (name)|Country (name)|UPRN|SiteName|QABName (code)|QABName (name)|
EstablishmentAccredited (code)|EstablishmentAccredited (name)|QABReport|CHNumber|MSOA (code)|
LSOA (code)|FSM|AccreditationExpiryDate""".replace("\n", "").split("|")

PLACES = [
    "Ashford",
    "Barnfield",
    "Bramley",
    "Castle",
    "Cedar",
    "Clifton",
    "Dale",
    "Elm",
    "Forest",
    "Glebe",
    "Harbour",
    "Hawthorn",
    "Heath",
    "Holly",
    "Lark",
    "Maple",
    "Meadow",
    "Oak",
    "Orchard",
    "Priory",
    "Rowan",
    "Willow",
]
PATRONS = ["St Mary’s", "St John’s", "Our Lady’s", "St Anne’s", "All Saints", "Holy Trinity"]
KINDS = [
    ("Community school", "Local authority maintained schools", "Primary", 4, 11),
    ("Academy converter", "Academies", "Primary", 4, 11),
    ("Voluntary aided school", "Local authority maintained schools", "Primary", 4, 11),
    ("Academy converter", "Academies", "Secondary", 11, 18),
    ("Foundation school", "Local authority maintained schools", "Middle deemed primary", 8, 12),
    ("Free schools", "Free Schools", "All-through", 4, 18),
    ("Welsh establishment", "Welsh schools", "Not applicable", 3, 11),
]
STATUSES = ["Open"] * 8 + ["Closed", "Open, but proposed to close"]
FIRST = ["Amira", "Ben", "Chloé", "Daniel", "Élodie", "Farah", "George", "Hannah", "Zoë"]
LAST = ["Ahmed", "Brown", "Davies", "O’Brien", "Patel", "Smith", "Nowak", "Taylor"]


def generate(path: Path, rows: int, seed: int = 1, changed_share: float = 0.0) -> None:
    """A GIAS-format extract of `rows` establishments; the same seed gives the same schools."""
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    index = {name: i for i, name in enumerate(GIAS_COLUMNS)}
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(GIAS_COLUMNS)
        for n in range(rows):
            row = [""] * len(GIAS_COLUMNS)
            for i in range(len(row)):
                # Columns the import ignores still carry data, so the file is GIAS's size.
                row[i] = rng.choice(["", "Not applicable", "0", "Does not apply"])
            la = rng.randrange(150)
            kind = rng.choice(KINDS)
            welsh = kind[0] == "Welsh establishment"
            la_code = str(660 + la % 22) if welsh else str(201 + la)
            patron = rng.random() < 0.3
            name = (
                f"{rng.choice(PATRONS) if patron else rng.choice(PLACES)} "
                f"{'C of E ' if patron else ''}{kind[2].replace('deemed ', '')} School"
            )
            if change.random() < changed_share:
                name += " (renamed)"
            status = rng.choice(STATUSES)
            values = {
                "URN": str(100000 + n),
                "LA (code)": la_code,
                "LA (name)": f"Authority {la_code}",
                "EstablishmentNumber": str(2000 + n % 7000),
                "EstablishmentName": name,
                "TypeOfEstablishment (name)": kind[0],
                "EstablishmentTypeGroup (name)": kind[1],
                "EstablishmentStatus (name)": status,
                "OpenDate": f"{rng.randint(1, 28):02d}-09-{rng.randint(1950, 2023)}",
                "CloseDate": f"31-08-{rng.randint(2000, 2024)}" if status == "Closed" else "",
                "PhaseOfEducation (name)": kind[2],
                "StatutoryLowAge": str(kind[3]),
                "StatutoryHighAge": str(kind[4]),
                "NumberOfPupils": str(rng.randint(40, 1800)),
                "Trusts (name)": f"{rng.choice(PLACES)} Learning Trust"
                if "Acad" in kind[0]
                else "",
                "LastChangedDate": f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2025",
                "Street": f"{rng.randint(1, 200)} {rng.choice(PLACES)} Road, {rng.choice(PLACES)}",
                "Town": rng.choice(PLACES),
                "Postcode": f"{rng.choice(['B', 'LS', 'M', 'NE', 'SE'])}{rng.randint(1, 29)} "
                f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
                "SchoolWebsite": f"www.school{n}.example",
                "TelephoneNum": f"01{rng.randint(100, 999)}{rng.randint(100000, 999999)}",
                "HeadTitle (name)": rng.choice(["Mr", "Mrs", "Ms", "Dr", "Not applicable"]),
                "HeadFirstName": rng.choice(FIRST),
                "HeadLastName": rng.choice(LAST),
                "GOR (name)": "Wales (pseudo)" if welsh else "London",
                "Easting": str(rng.randint(100000, 650000)),
                "Northing": str(rng.randint(10000, 650000)),
                "Country (name)": "",
            }
            for column, value in values.items():
                row[index[column]] = value
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small-rows", type=int, default=5_000, help="For the memory comparison.")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="gias-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubportal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from schools.gias import load_register
    from schools.models import LocalAuthority, School

    call_command("migrate", verbosity=0)

    def empty():
        # A raw delete: no history rows or signals for 50,000 schools that only the bench made.
        School.objects.all()._raw_delete(connection.alias)
        LocalAuthority.objects.all()._raw_delete(connection.alias)

    def timed(path, label):
        start = time.perf_counter()
        with path.open("rb") as source:
            report = load_register(source)
        seconds = time.perf_counter() - start
        print(
            f"{label:<34} {report.rows / seconds:>8,.0f} rows/s  {seconds:6.1f} s  "
            f"created {report.created:,}, updated {report.updated:,}, "
            f"unchanged {report.unchanged:,}, skipped {report.skipped:,}"
        )
        return report

    def peak_memory(path):
        empty()
        tracemalloc.start()
        with path.open("rb") as source:
            load_register(source)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / 1024 / 1024

    full, changed, small = (workdir / n for n in ("full.csv", "changed.csv", "small.csv"))
    start = time.perf_counter()
    generate(full, args.rows)
    generate(changed, args.rows, changed_share=0.02)
    generate(small, args.small_rows)
    print(
        f"Generated {args.rows:,} rows x {len(GIAS_COLUMNS)} columns, Windows-1252, "
        f"{full.stat().st_size / 1024 / 1024:.1f} MB, in {time.perf_counter() - start:.1f} s"
    )
    print(f"Database: {connection.vendor}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    empty()
    timed(full, "First import (every school new)")
    timed(full, "Same file again (no change)")
    timed(changed, "2% of schools renamed")
    small_peak = peak_memory(small)
    full_peak = peak_memory(full)
    print(
        f"Peak Python memory of an import (tracemalloc): {small_peak:.1f} MB for "
        f"{args.small_rows:,} rows, {full_peak:.1f} MB for {args.rows:,} rows"
    )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak resident memory of this whole process: {maxrss:.0f} MB")
    empty()


if __name__ == "__main__":
    main()
