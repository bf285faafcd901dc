import re

import pytest
from django.db import connection
from django.urls import reverse

from schools.models import School, normalise_name, normalise_postcode
from schools.selectors import SchoolSearch, school_search

from ..factories import HubFactory, LocalAuthorityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("schools:school-search")
AUTOCOMPLETE = reverse("schools:school-autocomplete")


@pytest.fixture
def register(hub, other_hub):
    """A few schools that look alike, in two hubs."""
    ours = LocalAuthorityFactory(hub=hub, name="Camden", code="202")
    theirs = LocalAuthorityFactory(hub=other_hub, name="Leeds", code="383")
    return {
        "marys": SchoolFactory(
            urn=100001,
            name="St Mary’s C of E Primary School",
            postcode="NW1 2AB",
            local_authority=ours,
        ),
        "marys_secondary": SchoolFactory(
            urn=100002,
            name="St Mary’s High School",
            postcode="LS1 4CD",
            phase_of_education="Secondary",
            local_authority=theirs,
        ),
        "hillmarys": SchoolFactory(
            urn=100003,
            name="Hillmarys Road Infant School",
            postcode="NW1 9ZZ",
            local_authority=ours,
        ),
        "ecole": SchoolFactory(
            urn=100004,
            name="École Française Primary",
            postcode="SW1A 1AA",
            local_authority=ours,
            status=School.Status.CLOSED,
        ),
        "lady": SchoolFactory(
            urn=123456,
            name="Our Lady of Lourdes Primary",
            postcode="LS2 7EF",
            local_authority=theirs,
        ),
    }


def _urns(search):
    return [school.urn for school in school_search(search)]


def test_search_by_name_ignores_apostrophes_accents_and_case(register):
    assert _urns(SchoolSearch(query="St Marys")) == [100001, 100002]
    assert _urns(SchoolSearch(query="st mary's primary")) == [100001]
    assert _urns(SchoolSearch(query="ecole francaise")) == [100004]
    assert _urns(SchoolSearch(query="ÉCOLE")) == [100004]


def test_search_by_partial_name_ranks_prefix_then_word_then_contains(register):
    # "marys": a word starts with it in two names; one name only contains it.
    assert _urns(SchoolSearch(query="marys")) == [100001, 100002, 100003]
    assert _urns(SchoolSearch(query="hillm")) == [100003]
    assert _urns(SchoolSearch(query="lourdes")) == [123456]


def test_search_by_urn_puts_that_school_first(register):
    assert _urns(SchoolSearch(query="123456"))[0] == 123456
    assert _urns(SchoolSearch(query=" 100003 ")) == [100003]


def test_search_by_postcode_with_or_without_the_space(register):
    assert _urns(SchoolSearch(query="SW1A 1AA")) == [100004]
    assert _urns(SchoolSearch(query="sw1a1aa")) == [100004]
    # An outward code finds the district; the exact postcode ranks first.
    assert _urns(SchoolSearch(query="NW1")) == [100003, 100001] or set(
        _urns(SchoolSearch(query="NW1"))
    ) == {100001, 100003}
    assert _urns(SchoolSearch(query="NW1 9ZZ"))[0] == 100003


def test_filters_by_hub_local_authority_phase_and_status(register, hub, other_hub):
    assert _urns(SchoolSearch(query="marys", hub=other_hub)) == [100002]
    la = register["marys"].local_authority
    assert _urns(SchoolSearch(local_authority=la)) == [100004, 100003, 100001]
    assert _urns(SchoolSearch(query="St Marys", phase="primary")) == [100001]
    assert _urns(SchoolSearch(query="St Marys", phase="Secondary")) == [100002]
    assert 100004 not in _urns(SchoolSearch(hub=hub, status="open"))
    assert _urns(SchoolSearch(hub=hub, status=School.Status.CLOSED)) == [100004]


def test_a_school_moved_to_another_hub_is_found_under_that_hub(register, other_hub):
    School.objects.filter(urn=100001).update(hub_override=other_hub)
    assert 100001 in _urns(SchoolSearch(hub=other_hub))


def test_search_page_shows_ranked_results_without_javascript(client, hub_lead, register):
    client.force_login(hub_lead)
    response = client.get(SEARCH, {"q": "St Marys"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 schools found" in body
    assert body.index("St Mary’s C of E Primary School") < body.index("St Mary’s High School")
    assert reverse("schools:school-detail", args=[100001]) in body
    assert body.count("<h1") == 1


def test_search_page_before_a_search_lists_nothing(client, hub_lead, register):
    client.force_login(hub_lead)
    response = client.get(SEARCH)
    assert response.context["page"] is None
    assert "found" not in response.content.decode()


def test_search_page_filters_from_the_query_string(client, hub_lead, register, other_hub):
    client.force_login(hub_lead)
    response = client.get(SEARCH, {"q": "marys", "hub": other_hub.pk, "phase": "Secondary"})
    assert [s["urn"] for s in response.context["page"]] == [100002]
    # A filter that is not valid is ignored, not an error.
    response = client.get(SEARCH, {"q": "marys", "hub": "nonsense"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_search_table_shows_each_school_as_its_own_page_does(client, hub_lead, register, other_hub):
    School.objects.filter(urn=100002).update(hub_override=register["marys"].local_authority.hub)
    School.objects.filter(urn=100003).update(in_england=False)
    client.force_login(hub_lead)
    rows = list(client.get(SEARCH, {"q": "marys"}).context["page"])
    for row in rows:
        school = School.objects.get(urn=row["urn"])
        assert row["url"] == reverse("schools:school-detail", args=[school.urn])
        assert row["local_authority_name"] == school.local_authority.name
        assert row["hub_name"] == (school.hub.name if school.hub else None)
        assert row["status"] == school.get_status_display()
    assert [row["hub_name"] for row in rows] == [register["marys"].local_authority.hub.name] * 2 + [
        None
    ]


def test_search_is_paginated(client, hub_lead, hub):
    la = LocalAuthorityFactory(hub=hub)
    _bulk_schools(60, la)
    client.force_login(hub_lead)
    response = client.get(SEARCH, {"q": "primary", "page": 3})
    page = response.context["page"]
    assert page.paginator.count == 60
    assert page.number == 3
    assert len(page.object_list) == 10
    assert "page=2" in response.content.decode()
    # A page past the end shows the last; one that is not a number, the first.
    assert client.get(SEARCH, {"q": "primary", "page": 9}).context["page"].number == 3
    assert client.get(SEARCH, {"q": "primary", "page": "x"}).context["page"].number == 1
    assert client.get(SEARCH, {"q": "zzzz", "page": 2}).context["page"].paginator.count == 0


def test_autocomplete_returns_a_listbox_of_options(client, hub_lead, register):
    client.force_login(hub_lead)
    response = client.get(AUTOCOMPLETE, {"q": "st marys", "listbox": "school-q-listbox"})
    body = response.content.decode()
    assert response.status_code == 200
    options = re.findall(r'<li id="school-q-listbox-(\d+)" role="option"', body)
    assert options == ["100001", "100002"]
    assert 'data-href="/schools/100001/"' in body
    assert "<html" not in body


def test_autocomplete_reads_the_field_a_form_names(client, hub_lead, register):
    client.force_login(hub_lead)
    response = client.get(AUTOCOMPLETE, {"field": "school_query", "school_query": "123456"})
    assert 'data-urn="123456"' in response.content.decode()


def test_autocomplete_says_when_nothing_matches_and_waits_for_two_letters(
    client, hub_lead, register
):
    client.force_login(hub_lead)
    assert "No school matches" in client.get(AUTOCOMPLETE, {"q": "zzzz"}).content.decode()
    assert client.get(AUTOCOMPLETE, {"q": "s"}).content.decode().strip() == ""


def _bulk_schools(count, la, start=200000):
    schools = []
    for n in range(count):
        name = f"Number {n} Primary School"
        postcode = f"ZZ{n % 99 + 1} {n % 9 + 1}AB"
        schools.append(
            School(
                urn=start + n,
                name=name,
                search_name=normalise_name(name),
                local_authority=la,
                phase_of_education="Primary",
                postcode=postcode,
                postcode_compact=normalise_postcode(postcode),
            )
        )
    School.objects.bulk_create(schools, batch_size=2000)


def test_page_and_autocomplete_use_a_fixed_number_of_queries(
    client, hub_lead, hub, django_assert_max_num_queries, django_assert_num_queries
):
    las = [LocalAuthorityFactory(hub=hub if n % 2 else HubFactory()) for n in range(6)]
    _bulk_schools(100, las[1])
    client.force_login(hub_lead)
    requests = [
        (SEARCH, {"q": "primary school"}),
        (SEARCH, {"q": "number 1", "hub": hub.pk, "phase": "primary", "status": "open"}),
        (SEARCH, {"q": "ZZ1 1AB"}),
        (SEARCH, {"q": "200050"}),
        (AUTOCOMPLETE, {"q": "number"}),
    ]

    def counts():
        found = []
        for url, params in requests:
            with django_assert_max_num_queries(8) as captured:
                response = client.get(url, params)
            assert response.status_code == 200
            found.append(len(captured))
        return found

    small = counts()
    for n, la in enumerate(las):
        _bulk_schools(16_000 // len(las), la, start=300000 + n * 10_000)
    assert School.objects.count() >= 16_000
    assert counts() == small


def test_names_have_a_trigram_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps no trigram index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'schools_school_search_name_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "search_name" in definition
