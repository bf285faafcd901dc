"""Demo hubs, local authorities and schools at a chosen scale, and the demo logins' roles."""

from django.utils.text import slugify

from accounts.demo import DEMO_LOGINS, demo_user

from .models import Hub, HubStaff, LocalAuthority, School, SchoolContact, normalise_name

# (hubs, local authorities per hub, primary schools per local authority)
SCALES = {"small": (3, 2, 20), "hub": (1, 4, 100), "national": (40, 4, 107)}

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


def _person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _postcode(rng) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    area = rng.choice(POSTCODE_AREAS)
    return (
        f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def _school_name(rng) -> str:
    suffix, _ = rng.choice(KINDS)
    if rng.random() < 0.25:
        return f"{rng.choice(PATRONS)} {suffix}"
    return f"{rng.choice(PLACES)}{rng.choice(['', ' Lane', ' Road', ' Park', ' View'])} {suffix}"


def _schools_for(la, count, rng, next_urn):
    schools = []
    for _ in range(count):
        suffix, establishment_type = rng.choice(KINDS)
        name = _school_name(rng)
        postcode = _postcode(rng)
        schools.append(
            School(
                urn=next_urn(),
                name=name,
                search_name=normalise_name(name),
                local_authority=la,
                establishment_type=establishment_type,
                establishment_type_group="Academies"
                if "Academy" in establishment_type
                else "Local authority maintained schools",
                phase_of_education="Primary",
                status=School.Status.OPEN,
                statutory_low_age=4 if "Junior" not in name else 7,
                statutory_high_age=7 if "Infant" in name else 11,
                street=f"{rng.randint(1, 120)} {rng.choice(PLACES)} Road",
                town=la.name,
                postcode=postcode,
                postcode_compact=postcode.replace(" ", ""),
                head_name=f"{rng.choice(['Mr', 'Mrs', 'Ms', 'Dr'])} {_person(rng)}",
                telephone=f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                number_of_pupils=rng.randint(90, 630),
            )
        )
    # A few secondary and closed schools, as in the real register.
    for status, phase in ((School.Status.OPEN, "Secondary"), (School.Status.CLOSED, "Primary")):
        name = f"{rng.choice(PLACES)} {'Academy' if phase == 'Secondary' else 'Primary School'}"
        postcode = _postcode(rng)
        schools.append(
            School(
                urn=next_urn(),
                name=name,
                search_name=normalise_name(name),
                local_authority=la,
                establishment_type="Academy converter",
                establishment_type_group="Academies",
                phase_of_education=phase,
                status=status,
                town=la.name,
                postcode=postcode,
                postcode_compact=postcode.replace(" ", ""),
            )
        )
    return schools


def seed(*, scale, rng, **context):
    """Hubs, their areas and schools; the demo logins for every role but the specialist's groups."""
    hub_count, las_per_hub, schools_per_la = SCALES[scale]
    urns = iter(range(100000, 1000000))
    hubs, schools = [], []
    for h in range(hub_count):
        name = f"{HUB_NAMES[h % len(HUB_NAMES)]} Maths Hub"
        hub = Hub.objects.create(
            name=name,
            slug=slugify(name),
            contact_email=f"hello@{slugify(HUB_NAMES[h % len(HUB_NAMES)])}.mathshub.example",
            project_code_suffix=f"{h + 1:02d}",
        )
        hubs.append(hub)
        for a in range(las_per_hub):
            la = LocalAuthority.objects.create(
                code=str(200 + h * las_per_hub + a),
                name=f"{rng.choice(PLACES)}shire {h * las_per_hub + a + 1}",
                hub=hub,
            )
            schools.extend(_schools_for(la, schools_per_la, rng, lambda: next(urns)))
    School.objects.bulk_create(schools, batch_size=2000)

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
