"""Each page keeps a fixed number of queries, at a small and at a much larger data size."""

from datetime import date

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from schools.models import SchoolContact
from tests.factories import SchoolContactFactory, SchoolFactory
from workgroups.models import Attendance, SupportVisit, Workshop
from workgroups.programme import Phase, Term
from workgroups.selectors import pathway_entries
from workgroups.services import calendar_feed_reset, participation_place

from .conftest import make_group

pytestmark = pytest.mark.django_db

# (groups led by the specialist, schools in each group): "large" is national-scale history for
# one specialist, with full groups; the pages must cost the same number of queries.
SIZES = {"small": (2, 2), "large": (30, 7)}
PHASES = [Phase.READINESS, Phase.DEVELOPMENT, Phase.EMBEDDING, Phase.SUSTAINING]


@pytest.fixture(params=list(SIZES))
def data(request, hub, hub_school, specialist, school_contact):
    groups_count, schools_per_group = SIZES[request.param]
    la = hub_school.local_authority
    schools = SchoolFactory.create_batch(groups_count * schools_per_group, local_authority=la)
    contacts = SchoolContact.objects.bulk_create(
        SchoolContact(
            school=s, name=f"Lead {n}", email=f"lead{n}@{s.urn}.example", role="lead_participant"
        )
        for s in schools
        for n in (1, 2)
    )
    leads = {}
    for contact in contacts:
        leads.setdefault(contact.school_id, []).append(contact)
    groups = []
    for index in range(groups_count):
        # Years 2021..2026 and every phase, so the specialist has national-scale history.
        year, phase = 2026 - index // 4, PHASES[index % 4]
        group = make_group(hub, specialist, code=f"G{index}", phase=phase, year=year, capacity=30)
        members = schools[index * schools_per_group : (index + 1) * schools_per_group]
        if index < 4:
            members = [hub_school, *members[1:]]  # the contact's school is in this year's groups
        for school in members:
            count = group.facts.lead_participants_per_school
            school_leads = (
                list(SchoolContact.objects.filter(school=school)[:count])
                if school == hub_school
                else leads[school.pk][:count]
            )
            participation_place(
                work_group=group, school=school, lead_participants=school_leads, acting_user=SYSTEM
            )
        groups.append(group)
    workshops = Workshop.objects.filter(work_group__in=groups)
    workshops.update(status=Workshop.Status.SCHEDULED, date=date(2026, 11, 18))
    Attendance.objects.bulk_create(
        Attendance(workshop=w, participation=p, contact=c, status="present")
        for w in workshops.select_related("work_group")
        for p in w.work_group.participations.all()
        for c in p.lead_participants.all()
    )
    SupportVisit.objects.filter(term=Term.AUTUMN).update(
        status="scheduled", scheduled_for=date(2026, 12, 2)
    )
    SchoolContactFactory(school=hub_school)
    return {"group": groups[1], "groups": groups}


# (who, page, object, most queries): the most is the same at both sizes.
PAGES = [
    ("specialist", "workgroups:my-work-groups", None, 8),
    ("hub_lead", "workgroups:cohort", None, 7),
    ("specialist", "workgroups:work-group-detail", "group", 6),
    ("hub_lead", "workgroups:work-group-detail", "group", 6),
    ("specialist", "workgroups:workshop-detail", "workshop", 10),
    # The schedule form lists who will be told: the attendees, as the workshop page reads them.
    ("specialist", "workgroups:workshop-schedule", "workshop", 8),
    ("specialist", "workgroups:participation-detail", "participation", 9),
    ("hub_lead", "workgroups:participation-detail", "participation", 9),
    ("school_contact", "workgroups:my-participation", None, 10),
]
FEED_QUERIES = 5


def test_pages_cost_a_fixed_number_of_queries(
    client, people, data, django_assert_max_num_queries, django_assert_num_queries, hub_school
):
    group = data["group"]
    objects = {
        "group": group,
        "workshop": group.workshops.get(number=2),
        "participation": group.participations.first(),
    }
    for who, name, target, most in PAGES:
        client.force_login(people[who])
        url = reverse(name, args=[objects[target].pk] if target else [])
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    client.logout()
    for who in ("specialist", "hub_lead", "school_contact"):
        token = calendar_feed_reset(user=people[who], acting_user=people[who]).token
        with django_assert_max_num_queries(FEED_QUERIES):
            response = client.get(reverse("workgroups:calendar-feed", args=[token]))
        assert response.status_code == 200
    with django_assert_num_queries(1):
        assert pathway_entries(hub_school)
