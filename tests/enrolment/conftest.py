"""Open work groups for the coming year and a complete set of answers, for enrolment's tests.

Work groups are built with workgroups.services, as the portal builds them.
"""

import pytest

from core.roles import SYSTEM
from enrolment.eligibility import COMMITMENTS
from enrolment.selectors import coming_start_year
from schools.models import HubStaff
from workgroups.models import WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.services import academic_year_get_or_create, work_group_create


@pytest.fixture
def year(db):
    return academic_year_get_or_create(start_year=coming_start_year())


def make_group(*, hub, year, phase=Phase.DEVELOPMENT, capacity=7, code=None, lead_user=None):
    lead = HubStaff.objects.filter(hub=hub, user=lead_user).first() if lead_user else None
    return work_group_create(
        hub=hub,
        phase=phase,
        academic_year=year,
        code=code or f"NCP{year.start_year % 100}-{phase[:3].upper()}-{hub.pk}-{capacity}",
        title=f"{PHASES[phase].name} work group",
        lead=lead,
        capacity=capacity,
        status=WorkGroup.Status.OPEN,
        acting_user=SYSTEM,
    )


@pytest.fixture
def open_group(hub, specialist, year):
    return make_group(hub=hub, year=year, lead_user=specialist)


def answers(school, phase=Phase.DEVELOPMENT, **overrides) -> dict:
    """A complete, valid submission for `school` (eoi_submit's keyword arguments)."""
    count = PHASES[phase].lead_participants_per_school
    fields = {
        "hub": school.hub,
        "school": school,
        "phase": phase,
        "start_year": coming_start_year(),
        "submitter_name": "Sam Submitter",
        "submitter_role": "Maths subject leader",
        "submitter_email": f"sam.{school.urn}@school.example",
        "headteacher_name": "Hana Head",
        "headteacher_email": f"head.{school.urn}@school.example",
        "lead_participants": [
            {"name": f"Lee Lead {n}", "email": f"lead{n}.{school.urn}@school.example"}
            for n in range(1, count + 1)
        ],
        "commitments": [c.key for c in COMMITMENTS[phase]],
        "priorities": "Fluency in number facts; reasoning in Key Stage 2.",
        "privacy_consent": True,
        # The public sends these; a test sending one directly acts as the system.
        "acting_user": SYSTEM,
    }
    fields.update(overrides)
    return fields


def form_data(school, phase=Phase.DEVELOPMENT, **overrides) -> dict:
    """What a person types into the expression of interest form for `school`."""
    count = PHASES[phase].lead_participants_per_school
    data = {
        "school_query": school.name,
        "urn": str(school.urn),
        "submitter_name": "Sam Submitter",
        "submitter_role": "Maths subject leader",
        "submitter_email": f"sam.{school.urn}@school.example",
        "headteacher_name": "Hana Head",
        "headteacher_email": f"head.{school.urn}@school.example",
        "priorities": "Fluency in number facts; reasoning in Key Stage 2.",
        "privacy_consent": "on",
    }
    for n in range(1, count + 1):
        data[f"lead_{n}_name"] = f"Lee Lead {n}"
        data[f"lead_{n}_email"] = f"lead{n}.{school.urn}@school.example"
    for commitment in COMMITMENTS[phase]:
        data[f"commit_{commitment.key}"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
