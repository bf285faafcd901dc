from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.roles import SYSTEM
from workgroups.models import SupportVisit
from workgroups.programme import Term
from workgroups.selectors import work_group_page
from workgroups.services import (
    participation_withdraw,
    support_visit_record,
    support_visit_schedule,
    work_group_complete,
)

from .conftest import TODAY, after_the_year, make_group

pytestmark = pytest.mark.django_db

RECORD = {
    "lessons_observed": 2,
    "trg_supported": True,
    "trg_notes": "Year 4 lesson on fractions.",
    "met_headteacher": True,
    "met_lead_teachers": True,
    "discussion_notes": "Planning time.",
    "next_steps": "Fortnightly collaborative planning from January.",
    "acting_user": SYSTEM,
}


def visit(participation, term):
    return participation.support_visits.get(term=term)


def test_a_visit_is_scheduled_within_its_term(world, specialist):
    autumn = visit(world.participation, Term.AUTUMN)
    with pytest.raises(ValidationError, match="from 1 September 2026 to 18 December 2026"):
        support_visit_schedule(visit=autumn, scheduled_for=date(2027, 1, 12), acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="is a weekend"):
        support_visit_schedule(visit=autumn, scheduled_for=date(2026, 12, 5), acting_user=SYSTEM)
    scheduled = support_visit_schedule(
        visit=autumn, scheduled_for=date(2026, 12, 2), starts_at=time(9, 30), acting_user=specialist
    )
    assert scheduled.status == SupportVisit.Status.SCHEDULED and scheduled.sequence == 0
    moved = support_visit_schedule(
        visit=autumn, scheduled_for=date(2026, 12, 9), acting_user=SYSTEM
    )
    assert moved.sequence == 1
    assert moved.history.filter(history_user=specialist).exists()


def test_recording_a_visit(world, specialist):
    autumn = visit(world.participation, Term.AUTUMN)
    with pytest.raises(ValidationError) as refused:
        support_visit_record(
            visit=autumn, visited_on=date(2026, 11, 30), next_steps="", acting_user=SYSTEM
        )
    assert set(refused.value.error_dict) == {"visited_on", "next_steps"}
    done = support_visit_record(
        visit=autumn, visited_on=date(2026, 11, 17), **{**RECORD, "acting_user": specialist}
    )
    assert done.status == SupportVisit.Status.DONE
    assert (done.visited_on, done.lessons_observed, done.trg_supported) == (
        date(2026, 11, 17),
        2,
        True,
    )
    assert done.recorded_by == specialist and done.next_steps == RECORD["next_steps"]
    with pytest.raises(ValidationError, match="already recorded"):
        support_visit_schedule(visit=done, scheduled_for=date(2026, 12, 2), acting_user=SYSTEM)


def test_visits_of_a_withdrawn_school_or_a_completed_group_are_closed(world):
    participation_withdraw(
        participation=world.other_participation, reason="Closed.", acting_user=SYSTEM
    )
    with pytest.raises(ValidationError, match="has withdrawn"):
        support_visit_schedule(
            visit=visit(world.other_participation, Term.SPRING),
            scheduled_for=date(2027, 1, 12),
            acting_user=SYSTEM,
        )
    with after_the_year():
        work_group_complete(work_group=world.group, acting_user=SYSTEM)
    with pytest.raises(ValidationError, match="records are closed"):
        support_visit_record(
            visit=visit(world.participation, Term.AUTUMN), visited_on=date(2026, 11, 17), **RECORD
        )


def test_the_visits_grid_shows_done_scheduled_overdue_and_not_yet(world):
    support_visit_record(
        visit=visit(world.participation, Term.AUTUMN), visited_on=date(2026, 11, 17), **RECORD
    )
    support_visit_schedule(
        visit=visit(world.participation, Term.SPRING),
        scheduled_for=date(2027, 1, 12),
        acting_user=SYSTEM,
    )
    # Planned for last Wednesday and not written up: overdue.
    support_visit_schedule(
        visit=visit(world.other_participation, Term.AUTUMN),
        scheduled_for=date(2026, 11, 18),
        acting_user=SYSTEM,
    )
    page = work_group_page(group=world.group, today=TODAY)
    grid = {row["school"]: [cell["state"] for cell in row["visits"]] for row in page.members}
    assert page.visit_terms == [Term.AUTUMN, Term.SPRING, Term.SUMMER]
    assert grid[world.participation.school.name] == ["done", "scheduled", "not_scheduled"]
    assert grid[world.other_school.name] == ["overdue", "not_scheduled", "not_scheduled"]


def test_a_visit_never_scheduled_is_overdue_once_its_term_has_ended(world):
    with time_machine.travel(date(2026, 12, 21)):
        page = work_group_page(group=world.group, today=date(2026, 12, 21))
        overdue = set(SupportVisit.objects.overdue_on(date(2026, 12, 21)))
    assert [row["visits"][0]["state"] for row in page.members] == ["overdue", "overdue"]
    assert overdue == {
        visit(p, Term.AUTUMN) for p in (world.participation, world.other_participation)
    }
    assert set(SupportVisit.objects.overdue_on(TODAY)) == set()


def test_the_grid_follows_adjusted_half_terms(world):
    world.year.half_terms.filter(number=2).update(ends_on=date(2026, 11, 20))
    group = (
        type(world.group)
        .objects.prefetch_related("academic_year__half_terms")
        .get(pk=world.group.pk)
    )
    page = work_group_page(group=group, today=TODAY)
    assert [row["visits"][0]["state"] for row in page.members] == ["overdue", "overdue"]
    assert SupportVisit.objects.overdue_on(TODAY).count() == 2


def test_the_grid_reads_the_years_half_terms_when_a_workshop_has_none(world):
    world.year.half_terms.filter(number=2).update(ends_on=date(2026, 11, 20))
    world.group.workshops.filter(number=2).update(half_term=None)
    page = work_group_page(group=world.group, today=TODAY)
    assert [row["visits"][0]["state"] for row in page.members] == ["overdue", "overdue"]
    assert page.workshops[1]["half_term"] == "—"


def test_phases_without_termly_visits_have_no_grid(hub, specialist):
    group = make_group(hub, specialist, code="S1", phase="sustaining")
    assert work_group_page(group=group, today=TODAY).visit_terms == []
