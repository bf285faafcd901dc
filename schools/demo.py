"""Demo hubs, local authorities and schools at a chosen scale, and the demo logins' roles."""

import math
import random
from dataclasses import dataclass
from datetime import date

from django.utils.text import slugify

from accounts.demo import DEMO_LOGINS, demo_user

from .models import (
    Hub,
    HubStaff,
    LocalAuthority,
    School,
    SchoolContact,
    normalise_name,
    normalise_postcode,
)


@dataclass(frozen=True)
class Scale:
    hubs: int
    local_authorities: int
    primary_per_la: int
    secondary_per_la: int
    closed_per_la: int


# national: England's shape, about 40 hubs, 150 local authorities and 16,000 primary schools.
SCALES = {
    "small": Scale(
        hubs=3, local_authorities=6, primary_per_la=20, secondary_per_la=2, closed_per_la=1
    ),
    "hub": Scale(
        hubs=1, local_authorities=4, primary_per_la=100, secondary_per_la=12, closed_per_la=4
    ),
    "national": Scale(
        hubs=40, local_authorities=150, primary_per_la=107, secondary_per_la=22, closed_per_la=6
    ),
}
BATCH_SIZE = 2000

HUB_NAMES = [
    "Abacus",
    "Archimedes",
    "Boolean",
    "Cambridge",
    "Central",
    "Cheshire and Wirral",
    "Cumbria",
    "Enigma",
    "Enthuse",
    "Equals",
    "Focus",
    "GLOW",
    "Great North",
    "Herts and Beds",
    "Jurassic",
    "Kent and Medway",
    "Lancashire and West Yorkshire",
    "London Central and West",
    "London North",
    "London South East",
    "Matrix",
    "Maths Hub North",
    "Mersey Gateway",
    "NW3",
    "Norfolk and Suffolk",
    "North East",
    "Origin",
    "Salop and Herefordshire",
    "Solent",
    "South Yorkshire",
    "Surrey",
    "Sussex",
    "Thames Valley",
    "Turing",
    "West Midlands",
    "West Yorkshire",
    "White Rose",
    "Yorkshire Ridings",
    "Ambition",
    "Angles",
]
PLACES = [
    "Ashford",
    "Barnfield",
    "Beacon",
    "Bramley",
    "Brook",
    "Castle",
    "Cedar",
    "Chapel",
    "Church",
    "Clifton",
    "Copper",
    "Cranbrook",
    "Dale",
    "Elm",
    "Fairfield",
    "Fern",
    "Field",
    "Forest",
    "Garden",
    "Glebe",
    "Green",
    "Hall",
    "Harbour",
    "Hawthorn",
    "Heath",
    "High",
    "Hill",
    "Holly",
    "Kings",
    "Lark",
    "Lea",
    "Long",
    "Maple",
    "Meadow",
    "Mill",
    "Moor",
    "Oak",
    "Orchard",
    "Park",
    "Priory",
    "Queens",
    "River",
    "Rose",
    "Rowan",
    "Spring",
    "Stone",
    "Valley",
    "Willow",
    "Wood",
]
PATRONS = [
    "St Mary’s",
    "St John’s",
    "St Peter’s",
    "All Saints",
    "Holy Trinity",
    "St Anne’s",
    "St Joseph’s",
    "Our Lady’s",
    "St Andrew’s",
    "Christ Church",
    "St Michael’s",
]
KINDS = [
    ("Primary School", "Community school"),
    ("Primary Academy", "Academy converter"),
    ("C of E Primary School", "Voluntary aided school"),
    ("Infant School", "Community school"),
    ("Junior School", "Foundation school"),
    ("Primary School", "Academy sponsor led"),
]
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farah",
    "George",
    "Hannah",
    "Isaac",
    "Jas",
    "Kate",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Ravi",
    "Sophie",
    "Tom",
    "Zara",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morris",
    "Nowak",
    "O’Brien",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Walker",
]
POSTCODE_AREAS = [
    "B",
    "BS",
    "CB",
    "DE",
    "GL",
    "HU",
    "LE",
    "LS",
    "M",
    "NE",
    "NG",
    "NR",
    "OX",
    "PL",
    "S",
    "SE",
    "SO",
    "ST",
    "TN",
    "YO",
]


# Where the demo's schools are, on the British National Grid (metres), as the register gives them:
# each hub's area a region of England, each local authority a patch of it with a few towns, most
# schools in a town and some in the villages around; a few have no grid reference, as in the
# register. Drawn from their own generator (seeded from the seed's), so the rest of the demo is
# the same with or without them.
ENGLAND = (150_000, 60_000, 640_000, 640_000)  # west, south, east, north
NO_GRID_REFERENCE = 0.03
TOWN_SPREAD = 2_500
VILLAGE_SPREAD = 9_000


@dataclass(frozen=True)
class Town:
    name: str
    easting: int
    northing: int


def _hub_centres(count: int, geo) -> list[tuple[float, float]]:
    """A centre for each hub, on a grid across England, jittered."""
    west, south, east, north = ENGLAND
    columns = max(1, math.ceil(math.sqrt(count)))
    rows = math.ceil(count / columns)
    step_e, step_n = (east - west) / columns, (north - south) / rows
    return [
        (
            west + (i % columns + 0.5) * step_e + geo.uniform(-0.2, 0.2) * step_e,
            south + (i // columns + 0.5) * step_n + geo.uniform(-0.2, 0.2) * step_n,
        )
        for i in range(count)
    ]


def _towns(la, centre, geo) -> list[Town]:
    """Two to four towns around a local authority's centre, the first named after it."""
    base = la.name.replace("North ", "").replace("South ", "")
    endings = ["ton", "ley", "bury", " Green", " Bridge", "wick"]
    names = [base] + [f"{geo.choice(PLACES)}{geo.choice(endings)}" for _ in range(3)]
    e, n = centre
    return [
        Town(
            name=names[t],
            easting=int(e + geo.uniform(-12_000, 12_000)),
            northing=int(n + geo.uniform(-12_000, 12_000)),
        )
        for t in range(geo.randint(2, 4))
    ]


def _place(schools: list[School], towns: list[Town], geo) -> None:
    """Give each school a town and a grid reference near it (or none, now and then)."""
    west, south, east, north = ENGLAND
    for school in schools:
        town = geo.choice(towns)
        school.town = town.name
        if geo.random() < NO_GRID_REFERENCE:
            continue
        spread = TOWN_SPREAD if geo.random() < 0.75 else VILLAGE_SPREAD
        school.easting = int(min(max(geo.gauss(town.easting, spread), west), east))
        school.northing = int(min(max(geo.gauss(town.northing, spread), south), north))


def _person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _postcode(rng, area: str, district: int) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _primary_name(rng) -> tuple[str, str]:
    suffix, establishment_type = rng.choice(KINDS)
    if rng.random() < 0.25:
        return f"{rng.choice(PATRONS)} {suffix}", establishment_type
    road = rng.choice(["", " Lane", " Road", " Park", " View"])
    return f"{rng.choice(PLACES)}{road} {suffix}", establishment_type


def _la_names(count: int, rng) -> list[str]:
    prefixes = ["", "North ", "South ", "East ", "West ", "Greater "]
    suffixes = ["", "shire", " Borough", " and District", "ham", "ford"]
    names = sorted({f"{p}{place}{s}" for p in prefixes for place in PLACES for s in suffixes})
    return rng.sample(names, count)


def _school(rng, *, urn, name, la, area, district, **fields) -> School:
    postcode = _postcode(rng, area, district)
    school = School(
        urn=urn,
        name=name,
        search_name=normalise_name(name),
        local_authority=la,
        street=f"{rng.randint(1, 120)} {rng.choice(PLACES)} Road",
        town=la.name.replace("North ", "").replace("South ", ""),
        postcode=postcode,
        postcode_compact=normalise_postcode(postcode),
        head_name=f"{rng.choice(['Mr', 'Mrs', 'Ms', 'Dr'])} {_person(rng)}",
        telephone=f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        open_date=date(rng.randint(1950, 2020), 9, 1),
        register_last_changed=date(2025, rng.randint(1, 12), rng.randint(1, 28)),
        **fields,
    )
    return school


def _schools_for(la, scale: Scale, rng, urns, area: str) -> list[School]:
    schools = []
    for _ in range(scale.primary_per_la):
        name, establishment_type = _primary_name(rng)
        academy = "Academy" in establishment_type
        schools.append(
            _school(
                rng,
                urn=next(urns),
                name=name,
                la=la,
                area=area,
                district=rng.randint(1, 29),
                establishment_type=establishment_type,
                establishment_type_group="Academies"
                if academy
                else "Local authority maintained schools",
                trust_name=f"{rng.choice(PLACES)} Learning Trust" if academy else "",
                phase_of_education="Primary",
                status=School.Status.OPEN,
                statutory_low_age=7 if "Junior" in name else 4,
                statutory_high_age=7 if "Infant" in name else 11,
                number_of_pupils=rng.randint(90, 630),
            )
        )
    # Secondary and closed schools, as in the real register: search finds them, hubs skip them.
    for _ in range(scale.secondary_per_la):
        name = f"{rng.choice(PLACES)} {rng.choice(['Academy', 'High School', 'School'])}"
        schools.append(
            _school(
                rng,
                urn=next(urns),
                name=name,
                la=la,
                area=area,
                district=rng.randint(1, 29),
                establishment_type="Academy converter",
                establishment_type_group="Academies",
                phase_of_education="Secondary",
                status=School.Status.OPEN,
                statutory_low_age=11,
                statutory_high_age=rng.choice([16, 18]),
                number_of_pupils=rng.randint(600, 1800),
            )
        )
    for _ in range(scale.closed_per_la):
        name, establishment_type = _primary_name(rng)
        schools.append(
            _school(
                rng,
                urn=next(urns),
                name=name,
                la=la,
                area=area,
                district=rng.randint(1, 29),
                establishment_type=establishment_type,
                establishment_type_group="Local authority maintained schools",
                phase_of_education="Primary",
                status=School.Status.CLOSED,
                close_date=date(rng.randint(2005, 2024), 8, 31),
            )
        )
    return schools


def _welsh_schools(rng, urns, geo) -> list[School]:
    """A Welsh authority: its establishments are in the register but in no hub's area."""
    la = LocalAuthority.objects.create(code="660", name="Ynys Môn", in_england=False)
    schools = [
        _school(
            rng,
            urn=next(urns),
            name=f"Ysgol {rng.choice(['Gynradd', 'y Graig', 'Santes Dwynwen', 'Llanfawr'])}",
            la=la,
            area="LL",
            district=rng.randint(50, 78),
            establishment_type="Welsh establishment",
            establishment_type_group="Welsh schools",
            phase_of_education="Not applicable",
            in_england=False,
        )
        for _ in range(5)
    ]
    _place(schools, [Town("Llangefni", 245_000, 375_000)], geo)
    return schools


def seed(*, scale, rng, **context):
    """Hubs, their areas and schools; the demo logins for every role but the specialist's groups."""
    size = SCALES[scale]
    # Seeded from the seed's generator without drawing from it: the rest of the demo is unchanged.
    geo = random.Random(repr(rng.getstate()[1][:8]))
    centres = _hub_centres(size.hubs, geo)
    urns = iter(range(100000, 1000000))
    hubs = []
    for h in range(size.hubs):
        name = f"{HUB_NAMES[h % len(HUB_NAMES)]} Maths Hub"
        hubs.append(
            Hub(
                name=name,
                slug=slugify(name),
                contact_email=f"hello@{slugify(HUB_NAMES[h % len(HUB_NAMES)])}.mathshub.example",
                project_code_suffix=f"{h + 1:02d}",
            )
        )
    hubs = Hub.objects.bulk_create(hubs)
    authorities = LocalAuthority.objects.bulk_create(
        LocalAuthority(code=str(201 + a), name=name, hub=hubs[a % size.hubs])
        for a, name in enumerate(_la_names(size.local_authorities, rng))
    )
    schools = []
    for a, la in enumerate(authorities):
        la_schools = _schools_for(la, size, rng, urns, POSTCODE_AREAS[a % len(POSTCODE_AREAS)])
        hub_e, hub_n = centres[a % size.hubs]
        centre = (hub_e + geo.uniform(-25_000, 25_000), hub_n + geo.uniform(-25_000, 25_000))
        _place(la_schools, _towns(la, centre, geo), geo)
        schools.extend(la_schools)
        if len(schools) >= BATCH_SIZE:
            School.objects.bulk_create(schools, batch_size=BATCH_SIZE)
            schools = []
    schools.extend(_welsh_schools(rng, urns, geo))
    School.objects.bulk_create(schools, batch_size=BATCH_SIZE)

    hub = hubs[0]
    hub_schools = list(School.objects.in_hub(hub).primary().open().order_by("urn")[:12])
    for school in hub_schools[:3]:
        school.is_mastery_specialist_school = True
    School.objects.bulk_update(hub_schools[:3], ["is_mastery_specialist_school"])

    users = {key: demo_user(key) for key in DEMO_LOGINS}
    lead, specialist = users["hub_lead"], users["specialist"]
    readiness, contact = users["readiness_lead"], users["school_contact"]
    HubStaff.objects.create(user=lead, hub=hub, role=HubStaff.Role.HUB_LEAD)
    HubStaff.objects.create(
        user=specialist, hub=hub, role=HubStaff.Role.MASTERY_SPECIALIST, school=hub_schools[0]
    )
    HubStaff.objects.create(
        user=readiness, hub=hub, role=HubStaff.Role.READINESS_LEAD, school=hub_schools[1]
    )
    contact_school = hub_schools[3]
    SchoolContact.objects.create(
        school=contact_school,
        name=contact.full_name,
        email=contact.email,
        role=SchoolContact.Role.LEAD_PARTICIPANT,
        user=contact,
    )
    SchoolContact.objects.create(
        school=contact_school,
        name=contact_school.head_name or _person(rng),
        email=f"head@{contact_school.urn}.school.example",
        role=SchoolContact.Role.HEADTEACHER,
    )
    return {
        "hubs": hubs,
        "demo_hub": hub,
        "demo_users": users,
    }
