"""The business steps of enrolment: submit, check, and the hub lead's decisions. Each is atomic."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_send
from actionplans.services import action_plan_create
from actionplans.summaries import plans_refresh
from core.access import require
from core.formatting import academic_year_name
from core.roles import recorded
from core.tasks import hand_over
from notifications.models import Notification
from notifications.services import notify
from schools.models import HubStaff, School, SchoolContact
from workgroups.models import Participation, WorkGroup
from workgroups.programme import PHASES, Phase
from workgroups.services import (
    PlacementError,
    academic_year_get_or_create,
    participation_place,
    participation_undo_placement,
    work_group_create,
)

from .eligibility import Outcome, assess
from .models import ExpressionOfInterest, ExpressionOfInterestEvent
from .permissions import (
    may_check_interest,
    may_decide,
    may_place_interests,
    may_submit_interest,
)
from .proximity import placement_suggestions
from .selectors import eligibility_case, unplace_problems

Status = ExpressionOfInterest.Status
Action = ExpressionOfInterestEvent.Action


def _record(eoi, action, *, actor=None, note=""):
    ExpressionOfInterestEvent.objects.create(
        expression_of_interest=eoi, action=action, actor=actor, note=note
    )


def _mail_school(eoi, occasion: str, subject: str, *, key: str = "", **context):
    """One e-mail to the person who submitted, once per occasion (`key` tells apart occasions
    that can come again, such as a second placement after one was undone)."""
    return notify(
        kind=f"eoi_{occasion}",
        key=key or f"eoi:{eoi.pk}:{occasion}",
        to=eoi.submitter_email,
        subject=f"{subject} ({eoi.reference})",
        template=f"enrolment/email/{occasion}",
        context={"eoi": eoi, "hub": eoi.hub, **context},
        hub=eoi.hub,
    )


# Submitting ------------------------------------------------------------------------------------


def eoi_submit(
    *,
    hub,
    school: School,
    phase: str,
    start_year: int,
    submitter_name: str,
    submitter_role: str,
    submitter_email: str,
    headteacher_name: str,
    headteacher_email: str,
    lead_participants: list[dict],
    commitments: list[str],
    priorities: str,
    privacy_consent: bool,
    work_group: WorkGroup | None = None,
    acting_user,
) -> tuple[ExpressionOfInterest, bool]:
    """Record an expression of interest once, with its reference; (the existing one, False) if
    the school already has a live one for the phase and year."""
    require(may_submit_interest(acting_user))
    with transaction.atomic():
        year = academic_year_get_or_create(start_year=start_year)
        same = ExpressionOfInterest.objects.live().filter(
            school=school, phase=phase, academic_year=year
        )
        existing = same.first()
        if existing:
            return existing, False
        eoi = ExpressionOfInterest(
            hub=hub,
            school=school,
            phase=phase,
            academic_year=year,
            work_group=work_group,
            submitter_name=submitter_name,
            submitter_role=submitter_role,
            submitter_email=submitter_email.strip().lower(),
            headteacher_name=headteacher_name,
            headteacher_email=headteacher_email.strip().lower(),
            lead_participants=lead_participants,
            commitments=commitments,
            priorities=priorities,
            privacy_consent=privacy_consent,
        )
        # The live-duplicate constraint is left to the insert, where a concurrent twin loses.
        eoi.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                eoi.save()
        except IntegrityError:
            existing = same.first()
            if existing is None:
                raise
            return existing, False
        # Derived from the row id inside the same transaction: unique without a counter table.
        eoi.reference = f"EOI-{year.start_year}-{eoi.pk:05d}"
        eoi.save(update_fields=["reference"])
        _record(eoi, Action.SUBMITTED, actor=recorded(acting_user))
        _mail_school(eoi, "acknowledgement", "We have your expression of interest")
        from .tasks import check_eligibility

        hand_over(check_eligibility, eoi.pk)
    return eoi, True


# Checking ---------------------------------------------------------------------------------------


def _hub_lead_recipients(hub) -> list[tuple[str, object]]:
    leads = HubStaff.objects.filter(hub=hub, role=HubStaff.Role.HUB_LEAD).select_related("user")
    recipients = [(lead.user.email, lead.user) for lead in leads]
    if not recipients and hub.contact_email:
        recipients = [(hub.contact_email, None)]
    return recipients


def eoi_check(*, eoi_id: int, acting_user) -> ExpressionOfInterest:
    """Judge an expression of interest by the rules, record why, tell the school and the hub lead.

    Safe to run twice: only a received one is judged, and each e-mail is keyed to the occasion.
    """
    with transaction.atomic():
        eoi = ExpressionOfInterest.objects.select_for_update().get(pk=eoi_id)
        require(may_check_interest(acting_user, eoi))
        if eoi.status != Status.RECEIVED:
            return eoi
        assessment = assess(eligibility_case(eoi))
        eoi.outcome = assessment.outcome
        eoi.reasons = list(assessment.reasons)
        eoi.instead_phase = assessment.instead_phase
        eoi.instead_hub = assessment.instead_hub
        eoi.checked_at = timezone.now()
        eoi.status = (
            Status.NOT_ELIGIBLE if assessment.outcome == Outcome.NOT_ELIGIBLE else Status.TO_REVIEW
        )
        eoi.save(
            update_fields=[
                "outcome",
                "reasons",
                "instead_phase",
                "instead_hub",
                "checked_at",
                "status",
                "updated_at",
            ]
        )
        _record(eoi, Action.CHECKED, note=eoi.get_outcome_display())
        instead = PHASES[eoi.instead_phase] if eoi.instead_phase else None
        _mail_school(
            eoi,
            "outcome",
            f"Your expression of interest: {eoi.get_outcome_display().lower()}",
            instead=instead,
        )
        review_url = eoi_review_url(eoi)
        for email, user in _hub_lead_recipients(eoi.hub):
            notify(
                kind="eoi_hub_notice",
                key=f"eoi:{eoi.pk}:hub-notice",
                to=email,
                user=user,
                hub=eoi.hub,
                subject=(
                    f"New expression of interest: {eoi.school.name}, {eoi.facts.name} "
                    f"({eoi.get_outcome_display().lower()})"
                ),
                template="enrolment/email/hub_notice",
                context={"eoi": eoi, "review_url": review_url},
            )
    return eoi


def eoi_checks_sweep(*, acting_user, limit: int = 500) -> int:
    """Hand the workers again every expression of interest still waiting for its check after
    EOI_CHECK_AFTER_SECONDS (its task was lost: the broker or a worker was down); how many."""
    require(may_check_interest(acting_user))
    waited = timezone.now() - timedelta(seconds=settings.EOI_CHECK_AFTER_SECONDS)
    ids = list(
        ExpressionOfInterest.objects.filter(status=Status.RECEIVED, created_at__lt=waited)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    from .tasks import check_eligibility

    for pk in ids:
        hand_over(check_eligibility, pk)
    return len(ids)


def eoi_review_url(eoi) -> str:
    return settings.SITE_URL + reverse("enrolment:eoi-detail", args=[eoi.reference])


# The hub lead's decisions -------------------------------------------------------------------------


def _locked(eoi, user) -> ExpressionOfInterest:
    require(may_decide(user, eoi))
    return ExpressionOfInterest.objects.select_for_update().get(pk=eoi.pk)


def _decided(eoi, status, user, note="", **fields):
    """Record the hub lead's decision on the row itself: what, who, when (and the audit row)."""
    fields.update(
        status=status, decision_note=note, decided_by=recorded(user), decided_at=timezone.now()
    )
    for name, value in fields.items():
        setattr(eoi, name, value)
    eoi.save(update_fields=[*fields, "updated_at"])


def eoi_override(*, eoi: ExpressionOfInterest, note: str, acting_user) -> ExpressionOfInterest:
    """Accept a needs-review outcome as eligible, saying why."""
    note = (note or "").strip()
    with transaction.atomic():
        eoi = _locked(eoi, acting_user)
        if eoi.status != Status.TO_REVIEW or eoi.outcome != Outcome.NEEDS_REVIEW:
            raise ValidationError(
                "Only an expression of interest that needs review can be overridden."
            )
        if not note:
            raise ValidationError("Say why the school can go ahead.")
        eoi.outcome = Outcome.ELIGIBLE
        eoi.override_note = note
        eoi.overridden_by = recorded(acting_user)
        eoi.overridden_at = timezone.now()
        eoi.save(
            update_fields=[
                "outcome",
                "override_note",
                "overridden_by",
                "overridden_at",
                "updated_at",
            ]
        )
        _record(eoi, Action.OVERRIDDEN, actor=recorded(acting_user), note=note)
    return eoi


def eoi_waitlist(*, eoi: ExpressionOfInterest, note: str = "", acting_user) -> ExpressionOfInterest:
    """Put an eligible school on the waiting list for a place, and tell it."""
    with transaction.atomic():
        eoi = _locked(eoi, acting_user)
        if eoi.status != Status.TO_REVIEW:
            raise ValidationError(
                f"{eoi.reference} is {eoi.get_status_display().lower()}; only one waiting for a "
                "decision can be waitlisted."
            )
        if eoi.outcome != Outcome.ELIGIBLE:
            raise ValidationError("It needs review: override it with a note before waitlisting.")
        _decided(eoi, Status.WAITLISTED, acting_user, (note or "").strip())
        _record(eoi, Action.WAITLISTED, actor=recorded(acting_user), note=eoi.decision_note)
        _mail_school(eoi, "waitlisted", "You are on the waiting list")
    return eoi


def eoi_decline(*, eoi: ExpressionOfInterest, note: str, acting_user) -> ExpressionOfInterest:
    """Decline an expression of interest with a reason (`note`) the school is told."""
    reason = (note or "").strip()
    with transaction.atomic():
        eoi = _locked(eoi, acting_user)
        if eoi.status not in ExpressionOfInterest.OPEN_STATUSES:
            raise ValidationError(
                f"{eoi.reference} is {eoi.get_status_display().lower()}; it cannot be declined now."
            )
        if not reason:
            raise ValidationError("Give the reason; the school is told it.")
        _decided(eoi, Status.DECLINED, acting_user, reason)
        _record(eoi, Action.DECLINED, actor=recorded(acting_user), note=reason)
        _mail_school(eoi, "declined", "Your expression of interest")
    return eoi


def _contact(school, *, name, email, role) -> SchoolContact:
    contact, _ = SchoolContact.objects.get_or_create(
        school=school, email=email.strip().lower(), defaults={"name": name, "role": role}
    )
    return contact


SCHOOL_CONTACT_GRANT = "school_contact"


def _invite(contact: SchoolContact, *, eoi, reason: str, acting_user) -> None:
    """Give the contact an account: a new one at once, with a link to set its password; an
    existing account (someone holds its password) only once its owner accepts, signed in."""
    if contact.user_id:
        return
    invitation_send(
        email=contact.email,
        full_name=contact.name,
        reason=reason,
        grant=(SCHOOL_CONTACT_GRANT, {"contact": contact.pk, "eoi": eoi.pk}),
        acting_user=acting_user,
    )


def school_contact_give(user, details: dict, *, acting_user) -> None:
    """The "school_contact" grant an invitation carries: the account becomes the school's
    contact, while the person who placed the school may still decide on its expression of
    interest."""
    eoi = ExpressionOfInterest.objects.get(pk=details["eoi"])
    require(may_decide(acting_user, eoi))
    contact = SchoolContact.objects.select_for_update().get(pk=details["contact"])
    if contact.user_id == user.pk:
        return
    if contact.user_id:
        raise ValidationError("This school contact is already linked to another account.")
    contact.user = user
    contact.save(update_fields=["user"])


def school_contact_describe(details: dict) -> str:
    """What the "school_contact" grant gives, for the invitation's e-mail and page."""
    contact = SchoolContact.objects.select_related("school").get(pk=details["contact"])
    return f"a contact for {contact.school.name} ({contact.get_role_display()})"


def eoi_place(*, eoi: ExpressionOfInterest, work_group: WorkGroup, acting_user) -> Participation:
    """Accept a school into a work group: the place, its contacts, their invitations, the e-mail.

    Capacity is held by workgroups.participation_place, which locks the group's row; anything
    that must happen whenever a school joins through enrolment belongs here, after it.
    """
    with transaction.atomic():
        eoi = _locked(eoi, acting_user)
        if eoi.status == Status.PLACED:
            raise PlacementError(f"{eoi.school.name} is already placed ({eoi.reference}).")
        if eoi.status not in ExpressionOfInterest.OPEN_STATUSES:
            raise PlacementError(
                f"{eoi.reference} is {eoi.get_status_display().lower()}; it cannot be placed."
            )
        if eoi.outcome != Outcome.ELIGIBLE:
            raise PlacementError(
                f"{eoi.reference} needs review: override it with a note before placing."
            )
        if (
            work_group.hub_id != eoi.hub_id
            or work_group.phase != eoi.phase
            or work_group.academic_year_id != eoi.academic_year_id
        ):
            raise PlacementError(
                f"{work_group.code} is not a {eoi.facts.name} group of this hub in "
                f"{eoi.academic_year}; choose one that is."
            )
        school = eoi.school
        lead_role = (
            SchoolContact.Role.LEAD_TEACHER
            if eoi.phase == Phase.DEVELOPMENT
            else SchoolContact.Role.LEAD_PARTICIPANT
        )
        head = _contact(
            school,
            name=eoi.headteacher_name,
            email=eoi.headteacher_email,
            role=SchoolContact.Role.HEADTEACHER,
        )
        leads = [
            _contact(school, name=p.name, email=p.email, role=lead_role) for p in eoi.lead_people
        ]
        participation = participation_place(
            work_group=work_group, school=school, lead_participants=leads, acting_user=acting_user
        )
        # Every placed school writes an action plan, started from last year's when it has one.
        action_plan_create(participation=participation, acting_user=acting_user)
        _decided(eoi, Status.PLACED, acting_user, participation=participation)
        _record(eoi, Action.PLACED, actor=recorded(acting_user), note=work_group.code)
        reason = (
            f"{school.name} has a place in {work_group.code}, a {eoi.facts.name} work group "
            f"of {eoi.hub.name} for {academic_year_name(eoi.academic_year.start_year)}."
        )
        for contact in {c.pk: c for c in [head, *leads]}.values():
            _invite(contact, eoi=eoi, reason=reason, acting_user=acting_user)
        _mail_school(
            eoi,
            "placed",
            "Your school has a place",
            key=_placed_key(eoi, participation),
            work_group=work_group,
        )
    return participation


def _placed_key(eoi, participation) -> str:
    return f"eoi:{eoi.pk}:placed:{participation.pk}"


def eoi_unplace(*, eoi: ExpressionOfInterest, acting_user) -> ExpressionOfInterest:
    """Undo a placement made by a slip of the hand, while nothing has happened since: the place
    is freed, the expression of interest is as it was before, the welcome e-mail and the
    invitations are withdrawn if still unsent (or the school gets a correction)."""
    with transaction.atomic():
        eoi = _locked(eoi, acting_user)
        eoi = (
            ExpressionOfInterest.objects.select_related(
                "school", "hub", "academic_year", "participation__work_group"
            )
            .prefetch_related("events")
            .get(pk=eoi.pk)
        )
        problems = unplace_problems(eoi)
        if problems:
            raise ValidationError(f"It can no longer be undone: {' '.join(problems)}")
        participation = eoi.participation
        work_group = participation.work_group
        placed_key = _placed_key(eoi, participation)
        hub_year = (work_group.hub_id, work_group.academic_year.start_year)
        participation_undo_placement(participation=participation, acting_user=acting_user)
        plans_refresh(hub_years=[hub_year])
        # As it was before the placement: waitlisted if it had been, else waiting for review.
        waitlisted = [e for e in eoi.events.all() if e.action == Action.WAITLISTED]
        before = waitlisted[-1] if waitlisted else None
        eoi.status = Status.WAITLISTED if before else Status.TO_REVIEW
        eoi.decision_note = before.note if before else ""
        eoi.decided_by = before.actor if before else None
        eoi.decided_at = before.at if before else None
        eoi.participation = None
        eoi.save(
            update_fields=[
                "status",
                "decision_note",
                "decided_by",
                "decided_at",
                "participation",
                "updated_at",
            ]
        )
        _record(eoi, Action.UNPLACED, actor=recorded(acting_user), note=work_group.code)
        invitations = list(
            Invitation.objects.unanswered().filter(
                grant_kind=SCHOOL_CONTACT_GRANT, grant__eoi=eoi.pk
            )
        )
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
            expires_at=timezone.now()
        )
        unsent = Notification.objects.filter(status=Notification.Status.QUEUED)
        withdrawn = unsent.filter(
            kind="eoi_placed", key__in=[placed_key, f"eoi:{eoi.pk}:placed"]
        ).delete()[0]
        unsent.filter(
            kind="invitation", key__in=[f"invitation:{i.pk}" for i in invitations]
        ).delete()
        if not withdrawn:
            _mail_school(
                eoi,
                "unplaced",
                "A correction: your school's place",
                key=f"eoi:{eoi.pk}:unplaced:{participation.pk}",
                work_group=work_group,
            )
    return eoi


def eoi_place_many(
    *, eois: list[ExpressionOfInterest], work_group: WorkGroup, acting_user
) -> list[tuple[ExpressionOfInterest, str]]:
    """Place several schools in one group, each on its own: (eoi, "" or why it was refused).
    Someone who may not decide on one of them places none."""
    require(may_place_interests(acting_user))
    for eoi in eois:
        require(may_decide(acting_user, eoi))
    results = []
    for eoi in eois:
        try:
            eoi_place(eoi=eoi, work_group=work_group, acting_user=acting_user)
        except ValidationError as error:
            results.append((eoi, " ".join(error.messages)))
        else:
            results.append((eoi, ""))
    return results


def eoi_place_suggested(
    *, eois: list[ExpressionOfInterest], acting_user
) -> list[tuple[ExpressionOfInterest, WorkGroup | None, str]]:
    """Place each school in its suggested group (enrolment.proximity: the nearest hosts with a
    place left), each on its own, first received first: (eoi, group, "" or why it was refused).
    Someone who may not decide on one of them places none."""
    require(may_place_interests(acting_user))
    for eoi in eois:
        require(may_decide(acting_user, eoi))
    eois = sorted(eois, key=lambda eoi: (eoi.created_at, eoi.pk))
    suggestions = placement_suggestions(eois)
    groups = WorkGroup.objects.in_bulk({s.group_id for ss in suggestions.values() for s in ss})
    taken: dict[int, int] = {}
    results = []
    for eoi in eois:
        ranked = suggestions.get(eoi.pk, [])
        # Places filled by this run count: the next school is offered its next nearest group.
        options = [s for s in ranked if s.places_left > taken.get(s.group_id, 0)]
        if not ranked or (not options and eoi.outcome == Outcome.ELIGIBLE):
            results.append(
                (eoi, None, f"no {eoi.facts.name} group of the hub has a place left that year.")
            )
            continue
        # One that cannot be placed (not eligible) is still offered one: the service says why.
        group = groups[(options or ranked)[0].group_id]
        try:
            eoi_place(eoi=eoi, work_group=group, acting_user=acting_user)
        except ValidationError as error:
            results.append((eoi, group, " ".join(error.messages)))
        else:
            taken[group.pk] = taken.get(group.pk, 0) + 1
            results.append((eoi, group, ""))
    return results


def suggested_group_accept(
    *,
    hub,
    phase: str,
    academic_year,
    code: str,
    title: str,
    host: School,
    eois: list[ExpressionOfInterest],
    size: int,
    acting_user,
) -> tuple[WorkGroup, list[tuple[ExpressionOfInterest, str]]]:
    """Set up a suggested group (enrolment.grouping): a new work group of the hub open for the
    year, led by the specialist whose school hosts it (if one does; the first workshop is then
    there), and place its schools in it, each on its own: (group, [(eoi, "" or why not)])."""
    require(may_place_interests(acting_user))
    for eoi in eois:
        require(may_decide(acting_user, eoi))
    roles = [HubStaff.Role.MASTERY_SPECIALIST]
    if phase == Phase.READINESS:
        roles.append(HubStaff.Role.READINESS_LEAD)
    lead = HubStaff.objects.filter(hub=hub, school=host, role__in=roles).order_by("pk").first()
    group = work_group_create(
        hub=hub,
        phase=phase,
        academic_year=academic_year,
        code=code,
        title=title,
        description="" if lead else f"Suggested around {host.name}, {host.town}.",
        lead=lead,
        capacity=max(size, len(eois)),
        status=WorkGroup.Status.OPEN,
        acting_user=acting_user,
    )
    return group, eoi_place_many(eois=eois, work_group=group, acting_user=acting_user)
