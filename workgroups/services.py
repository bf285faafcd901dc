"""The business steps of a work group's year. Each is atomic, records who did it, and first
checks that they may (workgroups/permissions.py): hub leads set up the year, a group's lead runs
it."""

import re
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.access import require
from core.roles import recorded
from core.tokens import new_token
from schools.models import Hub, School, SchoolContact

from .models import (
    AcademicYear,
    Attendance,
    CalendarFeed,
    HalfTerm,
    Participation,
    SupportVisit,
    WorkGroup,
    Workshop,
)
from .permissions import may_keep_calendar, may_manage_work_groups, may_run_work_group
from .programme import PHASES, TYPICAL_HALF_TERMS, Term
from .selectors import (
    copy_problem,
    next_year_group_count,
    placement_undo_problems,
    work_group_completion_problem,
)
from .summaries import hub_year_of, summaries_refresh


class PlacementError(ValidationError):
    """A school could not be placed; the message says why, for the person placing it."""


# Academic years ----------------------------------------------------------------------------------


def academic_year_get_or_create(*, start_year: int) -> AcademicYear:
    """The academic year starting in September of `start_year`, with typical half-terms."""
    starts_on, ends_on = AcademicYear.default_dates(start_year)
    with transaction.atomic():
        year, created = AcademicYear.objects.get_or_create(
            start_year=start_year, defaults={"starts_on": starts_on, "ends_on": ends_on}
        )
        if created:
            HalfTerm.objects.bulk_create(
                HalfTerm(
                    academic_year=year,
                    number=number,
                    starts_on=_in_year(start_year, start),
                    ends_on=_in_year(start_year, end),
                )
                for number, (start, end) in TYPICAL_HALF_TERMS.items()
            )
    return year


def _in_year(start_year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    return date(start_year if month >= 9 else start_year + 1, month, day)


# Work groups -------------------------------------------------------------------------------------


def _saved(instance, acting_user, **save_kwargs):
    """Validate and save, recording who made the change in the instance's history."""
    instance.full_clean()
    instance._history_user = recorded(acting_user)
    instance.save(**save_kwargs)
    return instance


def work_group_create(*, acting_user, **fields) -> WorkGroup:
    """Create a work group with its workshops, one per half-term, as drafts. Hub leads."""
    require(may_manage_work_groups(acting_user, fields.get("hub")))
    with transaction.atomic():
        work_group = _saved(WorkGroup(**fields), acting_user)
        half_terms = {h.number: h for h in work_group.academic_year.half_terms.all()}
        host = work_group.lead.school if work_group.lead_id else None
        Workshop.objects.bulk_create(
            Workshop(
                work_group=work_group,
                number=n,
                half_term=half_terms.get(n),
                # The programme's own rule: the first workshop is at the specialist's school.
                host_school=host if n == 1 else None,
            )
            for n in range(1, work_group.facts.workshops_per_year + 1)
        )
        summaries_refresh(hub_years=[hub_year_of(work_group)])
    return work_group


def work_group_update(*, work_group: WorkGroup, acting_user, **fields) -> WorkGroup:
    """Change a group's details, lead, capacity or status (not completion). Hub leads (of the
    hub it moves to as well, if it moves)."""
    require(may_manage_work_groups(acting_user, work_group.hub_id))
    if "hub" in fields:
        require(may_manage_work_groups(acting_user, fields["hub"]))
    with transaction.atomic():
        group = WorkGroup.objects.select_for_update().get(pk=work_group.pk)
        if group.is_completed:
            raise ValidationError(f"{group.code} is completed: its details can no longer change.")
        taken = group.participations.taking_part().count()
        before = hub_year_of(group)
        moved = {
            name
            for name in ("phase", "academic_year", "hub")
            if name in fields and getattr(group, name) != fields[name]
        }
        if moved and group.participations.exists():
            raise ValidationError(
                "The phase, year and hub of a group with schools in it cannot change: "
                "set up a new group instead."
            )
        if fields.get("capacity") is not None and fields["capacity"] < taken:
            raise ValidationError(
                {"capacity": f"{taken} schools already take part: the capacity cannot be lower."}
            )
        if fields.get("status") == WorkGroup.Status.COMPLETED:
            raise ValidationError({"status": "Complete a group with its own button, at year end."})
        old_host = group.lead.school if group.lead_id else None
        for name, value in fields.items():
            setattr(group, name, value)
        _saved(group, acting_user)
        if group.status == WorkGroup.Status.RUNNING:
            group.participations.filter(status=Participation.Status.PLACED).update(
                status=Participation.Status.ACTIVE
            )
        new_host = group.lead.school if group.lead_id else None
        if new_host != old_host:
            # The first workshop follows the lead to their school until it is scheduled.
            group.workshops.filter(number=1, status=Workshop.Status.DRAFT).update(
                host_school=new_host
            )
        summaries_refresh(hub_years={before, hub_year_of(group)})
    return group


NATIONAL_CODE = re.compile(r"^NCP(\d{2})-")

# What next year's copy of a group keeps of it.
KEPT_BY_A_COPY = ("phase", "title", "description", "lead", "capacity")


def next_year_code(code: str, start_year: int) -> str:
    """Last year's code for the given year: NCP25-11-03 → NCP26-11-03 for 2026/27."""
    year = f"{start_year % 100:02d}"
    if NATIONAL_CODE.match(code):
        return NATIONAL_CODE.sub(f"NCP{year}-", code, count=1)
    return f"{code}-{year}"


def work_groups_copy_to_next_year(
    *, hub: Hub, academic_year: AcademicYear, acting_user
) -> list[WorkGroup]:
    """Set up next year's groups from this year's (not yet copied) ones, as plans, while next
    year has none of the hub's groups (`selectors.copy_problem`). Hub leads."""
    require(may_manage_work_groups(acting_user, hub))
    with transaction.atomic():
        # Two copies at once queue here: the second then finds the first one's groups.
        Hub.objects.select_for_update().filter(pk=hub.pk).first()
        start_year = academic_year.start_year
        problem = copy_problem(
            hub=hub,
            start_year=start_year,
            next_year_groups=next_year_group_count(hub=hub, start_year=start_year),
        )
        if problem:
            raise ValidationError(problem)
        next_year = academic_year_get_or_create(start_year=start_year + 1)
        already = WorkGroup.objects.filter(copied_from__isnull=False).values("copied_from")
        sources = list(
            hub.work_groups.filter(academic_year=academic_year)
            .exclude(pk__in=already)
            .select_related("lead")
            .order_by("code")
        )
        if not sources:
            raise ValidationError(
                f"{hub.name} has no {academic_year} work groups left to copy into {next_year}."
            )
        copies = []
        for source in sources:
            code = next_year_code(source.code, next_year.start_year)
            if WorkGroup.objects.filter(code=code).exists():
                raise ValidationError(
                    f"{source.code} would become {code}, but a group with that code already "
                    "exists. Change one of the codes, then copy again."
                )
            kept = {name: getattr(source, name) for name in KEPT_BY_A_COPY}
            copies.append(
                work_group_create(
                    hub=hub,
                    academic_year=next_year,
                    code=code,
                    copied_from=source,
                    acting_user=acting_user,
                    **kept,
                )
            )
    return copies


def work_group_complete(*, work_group: WorkGroup, acting_user) -> WorkGroup:
    """Close a work group's year: its schools that took part have completed the phase. Only
    once the year allows it (`selectors.completion_problem`). Hub leads."""
    require(may_manage_work_groups(acting_user, work_group.hub_id))
    with transaction.atomic():
        group = WorkGroup.objects.select_for_update().get(pk=work_group.pk)
        problem = work_group_completion_problem(group)
        if problem:
            raise ValidationError(problem)
        now = timezone.now()
        group.participations.taking_part().update(
            status=Participation.Status.COMPLETED, completed_at=now
        )
        group.status = WorkGroup.Status.COMPLETED
        group.completed_at = now
        group._history_user = recorded(acting_user)
        group.save(update_fields=["status", "completed_at"])
    return group


# Participations ----------------------------------------------------------------------------------


def _check_lead_participants(*, school: School, phase: str, contacts) -> None:
    facts = PHASES[phase]
    wanted = facts.lead_participants_per_school
    if len(contacts) > wanted:
        raise ValidationError(
            {
                "lead_participants": (
                    f"A school in a {facts.name} group has {wanted} "
                    f"{facts.lead_participant_title}{'s' if wanted > 1 else ''}: "
                    f"choose at most {wanted}."
                )
            }
        )
    strangers = [c.name for c in contacts if c.school_id != school.pk]
    if strangers:
        raise ValidationError(
            {
                "lead_participants": (
                    f"Lead participants must be contacts of {school.name}: "
                    f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not."
                )
            }
        )


def participation_place(
    *,
    work_group: WorkGroup,
    school: School,
    lead_participants: list[SchoolContact] | tuple = (),
    acting_user,
) -> Participation:
    """Place a school in a work group, never beyond its capacity (the group's row is locked)."""
    require(may_manage_work_groups(acting_user, work_group.hub_id))
    with transaction.atomic():
        # Concurrent placements into one group queue here, one at a time, so the count below
        # is the truth when the new row is written.
        group = WorkGroup.objects.select_for_update().get(pk=work_group.pk)
        if group.is_completed:
            raise PlacementError(f"{group.code} is completed: no school can join it now.")
        taken = group.participations.taking_part().count()
        if taken >= group.capacity:
            raise PlacementError(
                f"{group.code} is full: all {group.capacity} places are taken. "
                "Raise its capacity or choose another group."
            )
        lead_participants = list(lead_participants)
        _check_lead_participants(school=school, phase=group.phase, contacts=lead_participants)
        facts = PHASES[group.phase]
        participation = Participation(
            school=school,
            work_group=group,
            status=(
                Participation.Status.ACTIVE
                if group.status == WorkGroup.Status.RUNNING
                else Participation.Status.PLACED
            ),
            grant_status=(
                Participation.GrantStatus.DUE
                if facts.grant
                else Participation.GrantStatus.NOT_APPLICABLE
            ),
            grant_amount=facts.grant,
        )
        participation._history_user = recorded(acting_user)
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
        summaries_refresh(
            school_ids=[school.pk], hub_years=[hub_year_of(group)], participations_moved=True
        )
    return participation


def participation_update(
    *,
    participation: Participation,
    lead_participants,
    release_days_used,
    acting_user,
) -> Participation:
    """Name the school's lead participants and record release days used. The group's lead."""
    require(may_run_work_group(acting_user, participation.work_group))
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("school", "work_group")
            .get(pk=participation.pk)
        )
        if participation.status == Participation.Status.WITHDRAWN:
            raise ValidationError(f"{participation.school.name} has withdrawn from this group.")
        contacts = list(lead_participants)
        _check_lead_participants(
            school=participation.school, phase=participation.phase, contacts=contacts
        )
        participation.release_days_used = release_days_used
        _saved(participation, acting_user)
        participation.lead_participants.set(contacts)
        summaries_refresh(hub_years=[hub_year_of(participation.work_group)])
    return participation


def participation_grant_update(
    *,
    participation: Participation,
    grant_status: str,
    grant_claimed_on: date | None = None,
    grant_paid_on: date | None = None,
    acting_user,
) -> Participation:
    """Record where the school's grant is: due, claimed or paid, with the dates. Hub leads."""
    require(may_manage_work_groups(acting_user, participation.work_group.hub_id))
    statuses = Participation.GrantStatus
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        facts = PHASES[participation.phase]
        today = timezone.localdate()
        errors = {}
        if not facts.grant and grant_status != statuses.NOT_APPLICABLE:
            errors["grant_status"] = f"Schools in {facts.name} groups receive no grant."
        if facts.grant and grant_status == statuses.NOT_APPLICABLE:
            errors["grant_status"] = f"A {facts.name} school's grant is due, claimed or paid."
        if grant_status in (statuses.CLAIMED, statuses.PAID) and not grant_claimed_on:
            errors["grant_claimed_on"] = "Give the day the school claimed the grant."
        if grant_status == statuses.PAID and not grant_paid_on:
            errors["grant_paid_on"] = "Give the day the grant was paid."
        for name, day in (("grant_claimed_on", grant_claimed_on), ("grant_paid_on", grant_paid_on)):
            if day and day > today:
                errors[name] = "This day is in the future."
        if grant_claimed_on and grant_paid_on and grant_paid_on < grant_claimed_on:
            errors["grant_paid_on"] = "The grant cannot be paid before it was claimed."
        if errors:
            raise ValidationError(errors)
        participation.grant_status = grant_status
        participation.grant_claimed_on = (
            grant_claimed_on if grant_status in (statuses.CLAIMED, statuses.PAID) else None
        )
        participation.grant_paid_on = grant_paid_on if grant_status == statuses.PAID else None
        _saved(participation, acting_user)
        summaries_refresh(hub_years=[hub_year_of(participation.work_group)])
    return participation


def participation_withdraw(
    *, participation: Participation, reason: str, acting_user
) -> Participation:
    """Withdraw a school from its group, with the reason; its place is freed. Hub leads."""
    require(may_manage_work_groups(acting_user, participation.work_group.hub_id))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"withdrawn_reason": "Say why the school is withdrawing."})
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=participation.pk)
        )
        if participation.status in (
            Participation.Status.WITHDRAWN,
            Participation.Status.COMPLETED,
        ):
            raise ValidationError(
                f"{participation.school.name} has already "
                f"{participation.get_status_display().lower()} this group."
            )
        participation.status = Participation.Status.WITHDRAWN
        participation.withdrawn_reason = reason
        participation.withdrawn_at = timezone.now()
        _saved(participation, acting_user)
        participation.support_visits.filter(status__in=SupportVisit.OPEN_STATUSES).update(
            status=SupportVisit.Status.CANCELLED
        )
        summaries_refresh(
            school_ids=[participation.school_id],
            hub_years=[hub_year_of(participation.work_group)],
            participations_moved=True,
        )
    return participation


def participation_undo_placement(*, participation: Participation, acting_user) -> WorkGroup:
    """Take back a placement made by a slip of the hand, freeing the place: only while nothing
    has happened since (no attendance recorded, no visit arranged, no grant claimed). The
    participation goes with its visits and plan, as if never made. Hub leads."""
    require(may_manage_work_groups(acting_user, participation.work_group.hub_id))
    with transaction.atomic():
        group = WorkGroup.objects.select_for_update().get(pk=participation.work_group_id)
        participation = (
            Participation.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=participation.pk)
        )
        problems = placement_undo_problems(participation)
        if problems:
            raise ValidationError(problems)
        school_id = participation.school_id
        participation._history_user = recorded(acting_user)
        participation.delete()
        summaries_refresh(
            school_ids=[school_id], hub_years=[hub_year_of(group)], participations_moved=True
        )
    return group


# Workshops and attendance ------------------------------------------------------------------------


def _check_running(work_group: WorkGroup) -> None:
    if work_group.is_completed:
        raise ValidationError(f"{work_group.code} is completed: its records are closed.")


def _check_school_day(day: date, field: str, errors: dict) -> None:
    if day.weekday() >= 5:
        errors[field] = f"{day:%A %-d %B %Y} is a weekend: choose a school day."


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def workshop_schedule(
    *,
    workshop: Workshop,
    date: date | None,
    session: str,
    starts_at: time | None = None,
    ends_at: time | None = None,
    host_school: School | None = None,
    strands=(),
    agenda: str = "",
    materials: str = "",
    acting_user,
) -> Workshop:
    """Set a workshop's day, half-day, host and content. When its day, time or host is set for
    the first time or changes, everyone expected and the host school are told
    (`workshop_notify_schedule`); `people_told` on the workshop returned says how many."""
    require(may_run_work_group(acting_user, workshop.work_group))
    with transaction.atomic():
        workshop = (
            Workshop.objects.select_for_update(of=("self",))
            .select_related("work_group__lead", "half_term", "work_group__academic_year")
            .get(pk=workshop.pk)
        )
        group = workshop.work_group
        _check_running(group)
        default_start, default_end = Workshop.SESSION_TIMES.get(session, (None, None))
        starts_at, ends_at = starts_at or default_start, ends_at or default_end
        errors = {}
        if date is None:
            errors["date"] = "Give the day of the workshop."
        else:
            _check_school_day(date, "date", errors)
            half_term = workshop.half_term
            first, last = (
                (half_term.starts_on, half_term.ends_on)
                if half_term
                else (group.academic_year.starts_on, group.academic_year.ends_on)
            )
            if not first <= date <= last:
                errors["date"] = (
                    f"Workshop {workshop.number} is the half-term {workshop.number} workshop: "
                    f"choose a day from {_long(first)} to {_long(last)}."
                )
            if workshop.attendance_recorded_at and date != workshop.date:
                errors["date"] = "Attendance is already recorded, so the day cannot change."
        if session == Workshop.Session.MORNING and starts_at and starts_at >= time(12, 0):
            errors["starts_at"] = "A morning workshop starts before noon."
        if session == Workshop.Session.AFTERNOON and starts_at and starts_at < time(12, 0):
            errors["starts_at"] = "An afternoon workshop starts at or after noon."
        if host_school is not None:
            hosts = set(group.participations.taking_part().values_list("school_id", flat=True)) | (
                {group.lead.school_id} if group.lead_id else set()
            )
            if host_school.pk not in hosts:
                errors["host_school"] = (
                    "The host is a school taking part in the group, or the lead's own school."
                )
        if errors:
            raise ValidationError(errors)
        was_scheduled = workshop.is_scheduled
        before = (workshop.date, workshop.starts_at, workshop.ends_at, workshop.host_school_id)
        workshop.date, workshop.session = date, session
        workshop.starts_at, workshop.ends_at = starts_at, ends_at
        workshop.host_school = host_school
        workshop.strands = list(strands)
        workshop.agenda, workshop.materials = agenda, materials
        workshop.status = Workshop.Status.SCHEDULED
        after = (date, starts_at, ends_at, workshop.host_school_id)
        moved = was_scheduled and before != after
        if moved:
            workshop.sequence += 1
        _saved(workshop, acting_user)
        # The notices are outbox rows written with the change itself, so none can be lost.
        told = (
            workshop_notify_schedule(workshop_id=workshop.pk, sequence=workshop.sequence)
            if moved or not was_scheduled
            else 0
        )
    workshop.people_told = told
    return workshop


def workshop_notify_schedule(*, workshop_id: int, sequence: int) -> int:
    """E-mail everyone expected, and the host school (the old one too if it moved), the
    workshop's day, time and host with a calendar file: once for its first scheduling, once per
    change after. Returns how many people are told."""
    from notifications.services import notify

    from .calendars import workshop_ics
    from .selectors import workshop_people_to_tell

    workshop = Workshop.objects.select_related(
        "work_group__hub", "work_group__lead__user", "host_school"
    ).get(pk=workshop_id)
    if workshop.sequence != sequence or not workshop.is_scheduled:
        return 0  # changed again since: the later change sends its own notice
    previous = (
        workshop.history.filter(sequence__lt=sequence, status=Workshop.Status.SCHEDULED)
        .select_related("host_school")
        .order_by("-history_date", "-history_id")
        .first()
    )
    group = workshop.work_group
    if previous is None:
        kind = "workshop_scheduled"
        subject = f"{group.code} workshop {workshop.number} is on {_long(workshop.date)}"
    else:
        kind = "workshop_rescheduled"
        subject = f"{group.code} workshop {workshop.number} has moved to {_long(workshop.date)}"
    hosts = [workshop.host_school_id, previous.host_school_id if previous else None]
    ics = workshop_ics(workshop)
    people = workshop_people_to_tell(workshop, host_school_ids=hosts)
    for contact in people:
        notify(
            kind=kind,
            key=f"workshop:{workshop.pk}:{kind.removeprefix('workshop_')}:{sequence}",
            to=contact.email,
            subject=subject,
            template="workgroups/email/workshop_scheduled",
            context={
                "workshop": workshop,
                "group": group,
                "previous": previous,
                "contact": contact,
            },
            user=contact.user,
            hub=group.hub,
            attachments=[(f"workshop-{workshop.pk}.ics", ics, "text/calendar")],
        )
    return len(people)


def workshop_invite(*, workshop: Workshop, contact: SchoolContact, acting_user) -> Attendance:
    """Invite another teacher of a school in the group to one workshop. The group's lead."""
    require(may_run_work_group(acting_user, workshop.work_group))
    with transaction.atomic():
        group = workshop.work_group
        _check_running(group)
        participation = group.participations.taking_part().filter(school=contact.school_id).first()
        if participation is None:
            raise ValidationError(
                {"contact": f"{contact.name}'s school does not take part in {group.code}."}
            )
        if (
            participation.lead_participants.filter(pk=contact.pk).exists()
            or workshop.attendances.filter(contact=contact).exists()
        ):
            raise ValidationError({"contact": f"{contact.name} is already expected."})
        return Attendance.objects.create(
            workshop=workshop,
            participation=participation,
            contact=contact,
            is_lead_participant=False,
            recorded_by=recorded(acting_user),
        )


def _mark(workshop, participation, contact, is_lead, status, acting_user, now) -> Attendance:
    attendance, _ = Attendance.objects.update_or_create(
        workshop=workshop,
        contact=contact,
        defaults={
            "participation": participation,
            "status": status,
            "recorded_at": now,
            "recorded_by": recorded(acting_user),
        },
        create_defaults={
            "participation": participation,
            "is_lead_participant": is_lead,
            "status": status,
            "recorded_at": now,
            "recorded_by": recorded(acting_user),
        },
    )
    return attendance


def _locked_open_workshop(workshop: Workshop) -> Workshop:
    """The workshop, locked, once its attendance may be marked."""
    workshop = (
        Workshop.objects.select_for_update(of=("self",))
        .select_related("work_group")
        .get(pk=workshop.pk)
    )
    _check_running(workshop.work_group)
    if not workshop.is_scheduled:
        raise ValidationError(f"Workshop {workshop.number} has no day yet: schedule it first.")
    if not workshop.is_held_by(timezone.localdate()):
        raise ValidationError(
            f"Workshop {workshop.number} is on {_long(workshop.date)}: "
            "attendance can be marked from that day."
        )
    return workshop


def _record_taken(workshop: Workshop, now) -> None:
    if workshop.attendance_recorded_at is None:
        workshop.attendance_recorded_at = now
        workshop.save(update_fields=["attendance_recorded_at"])
    summaries_refresh(hub_years=[hub_year_of(workshop.work_group)])


def attendance_mark(
    *, workshop: Workshop, contact: SchoolContact, status: str, acting_user
) -> Attendance:
    """Mark one expected attendee present, absent or with apologies. The group's lead."""
    require(may_run_work_group(acting_user, workshop.work_group))
    from .selectors import workshop_attendees

    if status not in Attendance.Status.values:
        raise ValidationError({"status": "Choose present, absent or apologies."})
    with transaction.atomic():
        workshop = _locked_open_workshop(workshop)
        row = next((r for r in workshop_attendees(workshop) if r.contact.pk == contact.pk), None)
        if row is None:
            raise ValidationError(
                {"contact": f"{contact.name} is not expected at workshop {workshop.number}."}
            )
        now = timezone.now()
        attendance = _mark(
            workshop, row.participation, contact, row.is_lead, status, acting_user, now
        )
        _record_taken(workshop, now)
    return attendance


def attendance_mark_rest_present(*, workshop: Workshop, acting_user) -> int:
    """Mark everyone not yet recorded as present: the quick path for a full room."""
    require(may_run_work_group(acting_user, workshop.work_group))
    from .selectors import workshop_attendees

    with transaction.atomic():
        workshop = _locked_open_workshop(workshop)
        now = timezone.now()
        rest = [
            row
            for row in workshop_attendees(workshop)
            if row.attendance is None or row.attendance.status == Attendance.Status.EXPECTED
        ]
        for row in rest:
            _mark(
                workshop,
                row.participation,
                row.contact,
                row.is_lead,
                Attendance.Status.PRESENT,
                acting_user,
                now,
            )
        _record_taken(workshop, now)
    return len(rest)


# Support visits ----------------------------------------------------------------------------------


def _locked_visit(visit: SupportVisit) -> SupportVisit:
    visit = (
        SupportVisit.objects.select_for_update(of=("self",))
        .select_related("participation__school", "participation__work_group__academic_year")
        .get(pk=visit.pk)
    )
    _check_running(visit.participation.work_group)
    if not visit.participation.is_taking_part:
        raise ValidationError(f"{visit.participation.school.name} has withdrawn from this group.")
    return visit


def support_visit_schedule(
    *,
    visit: SupportVisit,
    scheduled_for: date | None,
    starts_at: time | None = None,
    acting_user,
) -> SupportVisit:
    """Put a termly support visit in the diary, within its term. The group's lead."""
    require(may_run_work_group(acting_user, visit.participation.work_group))
    with transaction.atomic():
        visit = _locked_visit(visit)
        if visit.status == SupportVisit.Status.DONE:
            raise ValidationError("This visit is already recorded as done.")
        errors = {}
        if scheduled_for is None:
            errors["scheduled_for"] = "Give the day of the visit."
        else:
            _check_school_day(scheduled_for, "scheduled_for", errors)
            year = visit.participation.work_group.academic_year
            first, last = year.term_dates().get(visit.term, (year.starts_on, year.ends_on))
            if not first <= scheduled_for <= last:
                errors["scheduled_for"] = (
                    f"The {visit.get_term_display().lower()} visit falls in the "
                    f"{visit.get_term_display().lower()} term: choose a day from "
                    f"{_long(first)} to {_long(last)}."
                )
        if errors:
            raise ValidationError(errors)
        if visit.status == SupportVisit.Status.SCHEDULED and (
            visit.scheduled_for,
            visit.starts_at,
        ) != (scheduled_for, starts_at):
            visit.sequence += 1
        visit.scheduled_for, visit.starts_at = scheduled_for, starts_at
        visit.status = SupportVisit.Status.SCHEDULED
        _saved(visit, acting_user)
        summaries_refresh(hub_years=[hub_year_of(visit.participation.work_group)])
    return visit


def support_visit_record(
    *,
    visit: SupportVisit,
    visited_on: date | None,
    next_steps: str,
    lessons_observed: int = 0,
    trg_supported: bool = False,
    trg_notes: str = "",
    met_headteacher: bool = False,
    met_lead_teachers: bool = False,
    discussion_notes: str = "",
    acting_user,
) -> SupportVisit:
    """Record a visit as done: lessons seen, TRG supported, who met, next steps agreed."""
    require(may_run_work_group(acting_user, visit.participation.work_group))
    with transaction.atomic():
        visit = _locked_visit(visit)
        year = visit.participation.work_group.academic_year
        errors = {}
        if visited_on is None:
            errors["visited_on"] = "Give the day of the visit."
        elif visited_on > timezone.localdate():
            errors["visited_on"] = "A visit is recorded once it has happened, not before."
        elif not year.starts_on <= visited_on <= year.ends_on:
            errors["visited_on"] = f"The visit must fall within {year}."
        if not (next_steps or "").strip():
            errors["next_steps"] = "Write down the next steps agreed with the school."
        if trg_supported is False and (trg_notes or "").strip():
            errors["trg_supported"] = "Tick this box if the visit supported a TRG session."
        if errors:
            raise ValidationError(errors)
        if visit.scheduled_for and visit.scheduled_for != visited_on:
            visit.sequence += 1
        visit.scheduled_for = visited_on
        visit.visited_on = visited_on
        visit.lessons_observed = lessons_observed
        visit.trg_supported, visit.trg_notes = trg_supported, trg_notes
        visit.met_headteacher, visit.met_lead_teachers = met_headteacher, met_lead_teachers
        visit.discussion_notes, visit.next_steps = discussion_notes, next_steps.strip()
        visit.status = SupportVisit.Status.DONE
        visit.recorded_by = recorded(acting_user)
        _saved(visit, acting_user)
        summaries_refresh(hub_years=[hub_year_of(visit.participation.work_group)])
    return visit


# Calendar feeds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCalendarAddress:
    """A feed with the token just made for it. The token is kept nowhere (the feed holds only its
    hash): this is the one chance to show the person their address."""

    feed: CalendarFeed
    token: str
    replaced: bool  # whether an old address was there, which no longer works


def calendar_feed_reset(*, user, acting_user) -> NewCalendarAddress:
    """Give the person a new secret address, their first or in place of the old one, which stops
    working at once."""
    require(may_keep_calendar(acting_user, user))
    token, token_hash = new_token()
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=user, defaults={"token_hash": token_hash}
        )
        if not created:
            feed.token_hash = token_hash
            feed.save(update_fields=["token_hash", "created_at"])
    return NewCalendarAddress(feed=feed, token=token, replaced=not created)
