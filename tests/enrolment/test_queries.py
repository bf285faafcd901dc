"""Enrolment pages run a fixed number of queries whatever the data size: each page is measured
with a little data and with a lot, against the same ceiling."""

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from enrolment.services import eoi_check, eoi_place, eoi_submit
from tests.factories import (
    ExpressionOfInterestFactory,
    HubFactory,
    LocalAuthorityFactory,
    SchoolFactory,
)
from workgroups.programme import Phase
from workgroups.services import academic_year_get_or_create, participation_place

from .conftest import answers, make_group

pytestmark = pytest.mark.django_db

# Measured, the same at both sizes. Signed-in pages spend four on session, user and roles.
CEILINGS = {
    "catalogue": 1,
    "hub-catalogue": 3,
    # The school asked about, once; its distances need no more.
    "hub-catalogue-for-school": 4,
    "eoi-form": 2,
    # The school chosen, and where the groups are hosted.
    "eoi-form-for-school": 4,
    # Each adds three for the suggested groups: the waiting schools, the groups, their hosts.
    "queue": 11,
    "detail": 12,
}
SIZES = {"small": 1, "large": 12}


def build(size, *, hub, hub_lead, year):
    """`size` hubs, groups, schools and submissions, and one submission with a long pathway."""
    for _ in range(size):
        HubFactory()
    la = LocalAuthorityFactory(hub=hub)
    groups = [
        make_group(hub=hub, year=year, code=f"G-{size}-{n}", capacity=30) for n in range(size)
    ]
    for group in groups:
        participation_place(
            work_group=group, school=SchoolFactory(local_authority=la), acting_user=SYSTEM
        )
    for _ in range(size):
        ExpressionOfInterestFactory(school=SchoolFactory(local_authority=la), hub=hub)
    school = SchoolFactory(local_authority=la)
    for back in range(1, size + 1):
        past = academic_year_get_or_create(start_year=year.start_year - back)
        old_group = make_group(hub=hub, year=past, code=f"OLD-{size}-{back}")
        participation_place(work_group=old_group, school=school, acting_user=SYSTEM)
    eoi, _ = eoi_submit(**answers(school, Phase.SUSTAINING))
    eoi = eoi_check(eoi_id=eoi.pk, acting_user=SYSTEM)
    placed, _ = eoi_submit(**answers(SchoolFactory(local_authority=la)))
    eoi_place(
        eoi=eoi_check(eoi_id=placed.pk, acting_user=SYSTEM),
        work_group=groups[0],
        acting_user=hub_lead,
    )
    return eoi


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("page", list(CEILINGS))
def test_pages_keep_a_fixed_number_of_queries(
    client, hub, hub_lead, year, django_assert_max_num_queries, size, page
):
    eoi = build(SIZES[size], hub=hub, hub_lead=hub_lead, year=year)
    urls = {
        "catalogue": reverse("enrolment:catalogue-index"),
        "hub-catalogue": reverse("enrolment:hub-catalogue", args=[hub.slug]),
        "hub-catalogue-for-school": reverse("enrolment:hub-catalogue", args=[hub.slug])
        + f"?urn={eoi.school.urn}",
        "eoi-form": reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT]),
        "eoi-form-for-school": reverse("enrolment:eoi-create", args=[hub.slug, Phase.DEVELOPMENT])
        + f"?urn={eoi.school.urn}",
        "queue": reverse("enrolment:eoi-list"),
        "detail": reverse("enrolment:eoi-detail", args=[eoi.reference]),
    }
    if page in ("queue", "detail"):
        client.force_login(hub_lead)
    with django_assert_max_num_queries(CEILINGS[page]):
        response = client.get(urls[page])
    assert response.status_code == 200
