"""The business steps of a work group's year. Each is atomic and records who did it."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from schools.models import School, SchoolContact

from .models import AcademicYear, HalfTerm, Participation, SupportVisit, WorkGroup, Workshop
from .programme import PHASES, Term


class PlacementError(ValidationError):
    """A school could not be placed; the message says why, for the person placing it."""


def academic_year_get_or_create(*, start_year: int) -> AcademicYear:
    """The academic year starting in September of `start_year`, with six even half-terms."""
    starts_on, ends_on = AcademicYear.default_dates(start_year)
    year, created = AcademicYear.objects.get_or_create(
        start_year=start_year, defaults={"starts_on": starts_on, "ends_on": ends_on}
    )
    if created:
        # Six blocks from September to July; staff adjust them to the local term dates.
        teaching_days = (ends_on - timedelta(days=40) - starts_on).days
        length = teaching_days // 6
        HalfTerm.objects.bulk_create(
            HalfTerm(
                academic_year=year,
                number=n,
                starts_on=starts_on + timedelta(days=length * (n - 1)),
                ends_on=starts_on + timedelta(days=length * n - 1),
            )
            for n in range(1, 7)
        )
    return year


def work_group_create(*, acting_user=None, **fields) -> WorkGroup:
    """Create a work group with its workshops, one per half-term, as drafts."""
    with transaction.atomic():
        work_group = WorkGroup(**fields)
        work_group.full_clean()
        work_group.save()
        half_terms = {h.number: h for h in work_group.academic_year.half_terms.all()}
        host = work_group.lead.school if work_group.lead_id else None
        Workshop.objects.bulk_create(
            Workshop(
                work_group=work_group,
                number=n,
                half_term=half_terms.get(n),
                host_school=host if n == 1 else None,
            )
            for n in range(1, work_group.facts.workshops_per_year + 1)
        )
    return work_group


def participation_place(
    *,
    work_group: WorkGroup,
    school: School,
    lead_participants: list[SchoolContact] | tuple = (),
    acting_user=None,
) -> Participation:
    """Place a school in a work group, never beyond its capacity (the group's row is locked)."""
    with transaction.atomic():
        # Concurrent placements into one group queue here, one at a time, so the count below
        # is the truth when the new row is written.
        group = WorkGroup.objects.select_for_update().get(pk=work_group.pk)
        if group.status == WorkGroup.Status.COMPLETED:
            raise PlacementError(f"{group.code} is completed: no school can join it now.")
        taken = group.participations.taking_part().count()
        if taken >= group.capacity:
            raise PlacementError(
                f"{group.code} is full: all {group.capacity} places are taken. "
                "Raise its capacity or choose another group."
            )
        facts = PHASES[group.phase]
        participation = Participation(
            school=school,
            work_group=group,
            grant_status=(
                Participation.GrantStatus.DUE
                if facts.grant
                else Participation.GrantStatus.NOT_APPLICABLE
            ),
            grant_amount=facts.grant,
        )
        try:
            with transaction.atomic():
                participation.save()
        except IntegrityError as error:
            raise PlacementError(
                f"{school.name} already takes part in a {facts.name} work group in "
                f"{group.academic_year}."
            ) from error
        if lead_participants:
            participation.lead_participants.set(lead_participants)
        if facts.termly_support_visits:
            SupportVisit.objects.bulk_create(
                SupportVisit(participation=participation, term=term) for term in Term
            )
        participation._history_user = acting_user
    return participation


def work_group_complete(*, work_group: WorkGroup, acting_user=None) -> WorkGroup:
    """Close a work group's year: its schools that took part have completed the phase."""
    with transaction.atomic():
        group = WorkGroup.objects.select_for_update().get(pk=work_group.pk)
        now = timezone.now()
        group.participations.exclude(status=Participation.Status.WITHDRAWN).update(
            status=Participation.Status.COMPLETED, completed_at=now
        )
        group.status = WorkGroup.Status.COMPLETED
        group.completed_at = now
        group._history_user = acting_user
        group.save(update_fields=["status", "completed_at"])
    return group
