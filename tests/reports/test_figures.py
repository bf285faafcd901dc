"""Every dashboard figure on the hand-worked dataset of conftest.build_world, read on TODAY.

The expected numbers are worked out in the comments from the pathways in build_world's docstring.
"""

from decimal import Decimal

import pytest

from reports import dashboard as selectors
from reports.figures import Scope, figures_for

from .conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def test_schools_taking_part_by_phase_leave_out_withdrawn_schools(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    # Sustaining: A1, M; Development: A3, B3 (B2 withdrew); Embedding: A2, B1.
    assert figures.taking_part == {
        "readiness": 0,
        "development": 2,
        "embedding": 2,
        "sustaining": 2,
    }
    assert figures.schools == 6
    assert figures.withdrawn == 1


def test_places_filled_against_capacity_per_work_group(world):
    dashboard = selectors.dashboard(world.hub, YEAR, TODAY)
    rows = {
        row.group.code: (row.group.places_taken, row.group.capacity) for row in dashboard.groups
    }
    assert rows == {"SUS-24": (2, 6), "DEV-24": (2, 7), "EMB-24": (2, 5)}
    assert (dashboard.figures.places, dashboard.figures.capacity) == (6, 18)
    assert dashboard.figures.work_groups == 3


def test_funnel_counts_the_hubs_schools_that_ever_reached_each_phase(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    # Readiness: A3, in the other hub's group (A3 is this hub's school). Development: A1, A4
    # (closed since), A2, B1 (its withdrawn 2022 place does not count; 2023 does), A3, B3.
    # Embedding: A1, A2, B1. Sustaining: A1, M (moved into this hub). B2 only withdrew.
    assert figures.funnel == {"readiness": 1, "development": 6, "embedding": 3, "sustaining": 2}


def test_funnel_of_an_earlier_year_counts_only_up_to_that_year(world):
    figures = selectors.dashboard(world.hub, 2023, TODAY).figures
    assert figures.funnel == {"readiness": 1, "development": 4, "embedding": 1, "sustaining": 0}


def test_coverage_is_of_open_primary_schools_by_local_authority(world):
    dashboard = selectors.dashboard(world.hub, YEAR, TODAY)
    rows = {
        row["local_authority__code"]: (row["covered"], row["schools"])
        for row in dashboard.coverage_by_authority
    }
    # A: A1, A2, A3 (A4 closed and A5 secondary are not counted). B: B1, B3 of three (B2 only
    # withdrew). C: M, moved into this hub from the other hub's authority.
    assert rows == {"WA": (3, 3), "WB": (2, 3), "WC": (1, 1)}
    assert (dashboard.figures.covered, dashboard.figures.open_primary) == (6, 7)
    assert dashboard.figures.coverage == pytest.approx(6 / 7)


def test_interests_by_status_and_outcome(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    assert figures.interests_total == 5
    assert figures.interests_with(status="to_review") == 2
    assert figures.interests_with(status="waitlisted") == 1
    assert figures.interests_with(status="placed") == 1
    assert figures.interests_with(status="declined") == 1
    assert figures.interests_with(outcome="eligible") == 3
    assert figures.interests_with(status="to_review", outcome="eligible") == 2
    assert figures.interests_with(outcome="needs_review") == 1


def test_attendance_rate_counts_lead_participants_of_schools_taking_part(world):
    dashboard = selectors.dashboard(world.hub, YEAR, TODAY)
    rates = {row.group.code: row.attendance_rate for row in dashboard.groups}
    # SUS-24: M present twice, A1 apologies twice → 2 of 4. DEV-24: A3's two leads present at
    # the first, one absent at the second → 3 of 4. B2 withdrew; A1's guest is not a lead.
    assert rates == {"SUS-24": 0.5, "DEV-24": 0.75, "EMB-24": None}
    assert dashboard.figures.attendance_rate == pytest.approx(5 / 8)
    assert dashboard.figures.below_full_attendance == 2
    below = [
        (row["workshop__work_group__code"], row["contact__name"], row["missed"], row["recorded"])
        for row in dashboard.below_full_attendance
    ]
    assert below == [("DEV-24", "A3 lead 2", 1, 2), ("SUS-24", "A1 lead 1", 2, 2)]


def test_support_visits_done_scheduled_and_overdue_against_those_due(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    # DEV-24's A3 and B3, three terms each (B2's were cancelled when it withdrew).
    # A3: autumn never done (term ended 18 December) → overdue; spring on 5 February →
    # scheduled; summer → not yet. B3: autumn done; spring planned for 10 January and not
    # recorded → overdue; summer → not yet.
    assert figures.visits_due == 6
    assert figures.visits_done == 1
    assert figures.visits_scheduled == 1
    assert figures.visits_overdue == 2
    assert figures.visits_not_scheduled == 2


def test_action_plans_by_status_and_actions_at_risk(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    # A1 shared, M and A3 drafts; B2's plan left with its school. A2, B1, B3 have none.
    assert figures.plans == {"draft": 2, "shared": 1, "reviewed": 0, "revised": 0}
    assert figures.plans_missing == 3
    assert (figures.actions_at_risk, figures.plans_at_risk) == (1, 1)


def test_grants_and_release_days(world):
    figures = selectors.dashboard(world.hub, YEAR, TODAY).figures
    # Development grants: A3 and B3 due; B2 claimed before withdrawing (still claimed).
    assert figures.grants["due"] == {"count": 2, "amount": Decimal("2000")}
    assert figures.grants["claimed"] == {"count": 1, "amount": Decimal("1000")}
    assert figures.grants["paid"] == {"count": 0, "amount": Decimal("0")}
    # A3 used 4.5 days (B2's 2 left with it); two Development schools, ten days each.
    assert figures.release_days_used == Decimal("4.5")
    assert figures.release_days_allowed == 20


def test_year_on_year_shows_six_years_with_empty_years_as_zeros(world):
    years = selectors.year_on_year(world.hub, YEAR, TODAY)
    assert [year for year, _ in years] == [2019, 2020, 2021, 2022, 2023, 2024]
    by_year = dict(years)
    for empty in (2019, 2020, 2021):
        figures = by_year[empty]
        assert (figures.schools, figures.places, figures.interests_total) == (0, 0, 0)
        assert (figures.covered, figures.open_primary) == (0, 7)
        assert figures.attendance_rate is None
    # 2022: A1, A4 in DEV-22; B1 withdrew. Coverage: A1 only (A4 has closed since).
    assert (by_year[2022].schools, by_year[2022].withdrawn, by_year[2022].covered) == (2, 1, 1)
    assert by_year[2022].grants["due"]["count"] == 2
    assert by_year[2022].visits_overdue == 6
    # 2023: A2, B1 in Development, A1 in Embedding; A3 in the other hub's Readiness group.
    assert by_year[2023].taking_part == {
        "readiness": 0,
        "development": 2,
        "embedding": 1,
        "sustaining": 0,
    }
    assert by_year[2023].covered == 4
    assert by_year[2023].funnel == {
        "readiness": 1,
        "development": 4,
        "embedding": 1,
        "sustaining": 0,
    }
    assert by_year[2023].grants["claimed"]["count"] == 1
    assert by_year[2023].grants["paid"] == {"count": 1, "amount": Decimal("1000")}
    assert by_year[2023].interests_total == 1
    assert (by_year[2023].visits_due, by_year[2023].visits_overdue) == (6, 6)
    # The chosen year agrees with the dashboard.
    dashboard = selectors.dashboard(world.hub, YEAR, TODAY).figures
    for name in ("schools", "places", "capacity", "covered", "open_primary", "visits_overdue"):
        assert getattr(by_year[YEAR], name) == getattr(dashboard, name)
    assert by_year[YEAR].funnel == dashboard.funnel
    assert by_year[YEAR].attendance_rate == dashboard.attendance_rate


def test_national_view_gives_each_hub_its_own_figures(world):
    rows = dict(selectors.national([world.hub, world.other_hub], YEAR, TODAY))
    ours, theirs = rows[world.hub], rows[world.other_hub]
    assert (ours.schools, ours.covered, ours.open_primary) == (6, 6, 7)
    assert ours.funnel == {"readiness": 1, "development": 6, "embedding": 3, "sustaining": 2}
    # The other hub: C1 in O-DEV-24; its area's open primary school is C1 (M moved out).
    assert theirs.taking_part["development"] == 1
    assert (theirs.covered, theirs.open_primary) == (1, 1)
    assert theirs.funnel == {"readiness": 0, "development": 1, "embedding": 0, "sustaining": 0}
    assert theirs.interests_total == theirs.interests_with(status="to_review") == 1
    assert (theirs.visits_due, theirs.visits_overdue, theirs.visits_not_scheduled) == (3, 1, 2)
    assert (theirs.places, theirs.capacity, theirs.plans_missing) == (1, 7, 1)


def test_a_hub_with_no_data_has_zeros(world):
    from tests.factories import HubFactory

    empty = HubFactory()
    figures = figures_for(Scope(hub_ids=(empty.pk,), years=(YEAR,), by="hub"), TODAY)
    assert figures[empty.pk].schools == 0
    assert figures[empty.pk].coverage is None
