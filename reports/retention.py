"""The retention schedule: how long each kind of record is kept, after which event, and what
happens then. It is data: the nightly task applies it (`retention_apply`) and the privacy notice
shows it, so the two cannot disagree.

The programme keeps a school's participation for its pathway: six years after the school year
ends, the longest any school's pathway is shown (year on year). What only served a moment (an
e-mail's words, an uploaded file, an expression of interest that led nowhere) goes much sooner.
Anonymising keeps the row (the figures count it) and overwrites who it was about, as the people
module says (the same placeholders as erasure).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from actionplans.models import (
    Action,
    Comment,
    HistoricalAction,
    HistoricalActionPlan,
    HistoricalPriority,
)
from core.access import require
from enrolment.models import ExpressionOfInterest, InterestStatus
from notifications.models import Notification
from schools.models import HistoricalHubStaff, HistoricalSchool, RegisterImport
from workgroups.models import (
    CalendarFeed,
    HistoricalParticipation,
    HistoricalSupportVisit,
    Participation,
)

from . import people
from .erasure import close_accounts, has_current_role
from .models import RetentionRun, SubjectAccessRequest
from .permissions import may_apply_retention

YEAR = 365
PATHWAY = 6 * YEAR
BATCH_SIZE = 500
MAIL_CONTENT_REMOVED = "[The words of this e-mail were removed after 90 days.]"
WAITING = (InterestStatus.RECEIVED, InterestStatus.TO_REVIEW, InterestStatus.WAITLISTED)
# Mail the outbox has finished with: sent, given up on, or turned off by its recipient.
MAIL_DONE = (Notification.Status.SENT, Notification.Status.FAILED, Notification.Status.SUPPRESSED)


@dataclass(frozen=True)
class Rule:
    key: str
    records: str  # what is kept, in the privacy notice's words
    days: int
    after: str  # the event the period runs from
    then: str  # what happens at the end of it
    reason: str
    # The rows due on a cutoff (now less the period), and what is done to a batch of their keys.
    due: Callable[[datetime], QuerySet]
    act: Callable[[list[int]], None]

    @property
    def period(self) -> str:
        if self.days % YEAR == 0:
            years = self.days // YEAR
            return "1 year" if years == 1 else f"{years} years"
        return f"{self.days} days"


def _anonymise(model_label: str):
    place = people.PLACE_BY_MODEL[model_label]
    return lambda pks: people.scrub(place.model_class, pks, place.data_fields)


def _delete(model):
    return lambda pks: model.objects.filter(pk__in=pks).delete()


def _year_ended(prefix: str):
    return lambda cutoff: Q(**{f"{prefix}academic_year__ends_on__lt": cutoff.date()})


def _remove_mail_content(pks):
    Notification.objects.filter(pk__in=pks).update(
        body_text=MAIL_CONTENT_REMOVED, body_html="", attachments=[], secret="", last_error=""
    )


def _remove_register_files(pks):
    for register_import in RegisterImport.objects.filter(pk__in=pks):
        register_import.file.delete(save=False)
        register_import.save(update_fields=["file"])


def _remove_subject_access_files(pks):
    for access_request in SubjectAccessRequest.objects.filter(pk__in=pks):
        access_request.file.delete(save=False)
        access_request.status = SubjectAccessRequest.Status.EXPIRED
        access_request.save(update_fields=["file", "status"])


def _unused_accounts(cutoff):
    never = Q(last_login__isnull=True, date_joined__lt=cutoff)
    return (
        get_user_model()
        .objects.filter(Q(last_login__lt=cutoff) | never)
        .exclude(has_current_role())
        .exclude(people.erased_account())
    )


def _history(model, title: str, reason: str, *, after="the change", kept="the record", older=None):
    """Delete a history table's rows: those older than the period, or of the years `older`
    says ended."""
    older = older or (lambda cutoff: Q(history_date__lt=cutoff))
    return Rule(
        key=f"history-{model._meta.model_name}",
        records=f"Earlier versions of {title}, with who changed them",
        days=PATHWAY,
        after=after,
        then=f"deleted; {kept} as it stands is kept",
        reason=reason,
        due=lambda cutoff: model.objects.filter(older(cutoff)),
        act=_delete(model),
    )


def _plan_history(model, prefix: str, title: str) -> Rule:
    return _history(
        model,
        f"{title} (and the owners they named)",
        "A plan's history shows how the school's plan grew during its years on the pathway, "
        "and what a specialist read when they reviewed it.",
        after="the end of the school year of the plan",
        kept="the plan",
        older=_year_ended(prefix),
    )


def _interests(key: str, which: str, days: int, after: str, reason: str, due) -> Rule:
    """Anonymise expressions of interest: `due(cutoff)` says which are past their period."""
    return Rule(
        key=key,
        records=f"Expressions of interest {which}: the names, e-mail addresses and roles in them",
        days=days,
        after=after,
        then="anonymised; the school, phase, year and outcome are kept for the figures",
        reason=reason,
        due=lambda cutoff: ExpressionOfInterest.objects.filter(due(cutoff)).exclude(
            submitter_name=people.FORMER
        ),
        act=_anonymise("enrolment.ExpressionOfInterest"),
    )


SCHEDULE = (
    _interests(
        "eoi-not-placed",
        "never decided (waiting, on the waiting list)",
        YEAR,
        "the end of the school year they asked for",
        "The hub may place a school late in the year or offer it the next year's group.",
        lambda cutoff: _year_ended("")(cutoff) & Q(status__in=WAITING),
    ),
    _interests(
        "eoi-declined",
        "declined, not eligible, or placed and then withdrawn",
        YEAR,
        "the decision or the withdrawal",
        "A school may ask why, or ask again the next year.",
        lambda cutoff: (
            Q(
                status__in=(InterestStatus.DECLINED, InterestStatus.NOT_ELIGIBLE),
                updated_at__lt=cutoff,
            )
            | Q(
                participation__status=Participation.Status.WITHDRAWN,
                participation__withdrawn_at__lt=cutoff,
            )
        ),
    ),
    _interests(
        "eoi-placed",
        "that led to a place",
        PATHWAY,
        "the end of the school year of the place",
        "They are part of the school's participation record, kept for its pathway.",
        lambda cutoff: _year_ended("")(cutoff) & Q(status=InterestStatus.PLACED),
    ),
    Rule(
        key="mail-content",
        records="The words and attachments of each e-mail the portal sent (one-time links are "
        "removed as soon as the e-mail is sent)",
        days=90,
        after="the e-mail was written",
        then="removed; who it went to, what kind it was and when are kept",
        reason='Long enough to send an e-mail again or answer "what did it say?".',
        due=lambda cutoff: Notification.objects.filter(
            created_at__lt=cutoff, status__in=MAIL_DONE
        ).exclude(body_text=MAIL_CONTENT_REMOVED),
        act=_remove_mail_content,
    ),
    Rule(
        key="mail-records",
        records="The record of each e-mail sent: to whom, what kind and when",
        days=2 * YEAR,
        after="the e-mail was written",
        then="deleted",
        reason="Shows the hub that a school was told (of a decision, a workshop) while the "
        "school is in its year and the next.",
        due=lambda cutoff: Notification.objects.filter(created_at__lt=cutoff),
        act=_delete(Notification),
    ),
    _plan_history(HistoricalActionPlan, "participation__", "action plans"),
    _plan_history(HistoricalPriority, "plan__participation__", "action plan priorities"),
    _plan_history(HistoricalAction, "plan__participation__", "action plan actions"),
    Rule(
        key="action-owners",
        records="The names of the people who lead each action of an action plan",
        days=PATHWAY,
        after="the end of the school year of the plan",
        then="anonymised; the actions are kept",
        reason="Part of the school's participation record, kept for its pathway.",
        due=lambda cutoff: (
            Action.objects.filter(_year_ended("plan__participation__")(cutoff))
            .exclude(owner="")
            .exclude(owner=people.FORMER)
        ),
        act=_anonymise("actionplans.Action"),
    ),
    Rule(
        key="plan-comments",
        records="Comments on action plans and their replies",
        days=PATHWAY,
        after="the end of the school year of the plan",
        then="their words removed; that there was a comment, when and in which role are kept",
        reason="Part of the school's participation record, kept for its pathway.",
        due=lambda cutoff: Comment.objects.filter(
            _year_ended("plan__participation__")(cutoff)
        ).exclude(body=""),
        act=_anonymise("actionplans.Comment"),
    ),
    _history(
        HistoricalParticipation,
        "work group places",
        "Shows who placed, changed or withdrew a school during its pathway.",
    ),
    _history(
        HistoricalSupportVisit,
        "support visit records and their notes",
        "Shows what was recorded of a visit and by whom during the school's pathway.",
    ),
    _history(
        HistoricalHubStaff,
        "hub staff roles (who held which role)",
        "Shows who led which work groups during the schools' pathways.",
    ),
    _history(
        HistoricalSchool,
        "schools' details as changed in the portal (the headteacher's name among them)",
        "Shows which hub a school was with during its pathway.",
    ),
    Rule(
        key="register-files",
        records="Uploaded copies of the national register (GIAS extracts)",
        days=90,
        after="the upload",
        then="the file is deleted; the import's report is kept",
        reason="Long enough to check an import; the register itself is public and republished "
        "daily.",
        due=lambda cutoff: RegisterImport.objects.filter(created_at__lt=cutoff).exclude(file=""),
        act=_remove_register_files,
    ),
    Rule(
        key="unused-accounts",
        records="Accounts not signed in to, of people with no current role (no hub role, not "
        "national staff, and a contact of no school taking part this year)",
        days=3 * YEAR,
        after="the last sign-in",
        then="deactivated and anonymised; their authenticators, invitations, calendar address "
        "and sessions are deleted",
        reason="An account nobody uses is a risk to the data behind it.",
        due=_unused_accounts,
        act=close_accounts,
    ),
    Rule(
        key="calendar-feeds",
        records="Private calendar addresses no calendar app uses",
        days=YEAR,
        after="a calendar app last fetched it (or it was made, if none ever did)",
        then="deleted",
        reason="An address nobody's calendar reads is a key nobody needs; a new one is a click "
        "away.",
        due=lambda cutoff: CalendarFeed.objects.filter(
            Q(last_used_at__lt=cutoff) | Q(last_used_at__isnull=True, created_at__lt=cutoff)
        ),
        act=_delete(CalendarFeed),
    ),
    Rule(
        key="subject-access-files",
        records="Subject access exports not downloaded",
        days=7,
        after="the export was ready",
        then="the file is deleted; the record of the request is kept",
        reason="An export is for the person who asked for it, once.",
        due=lambda cutoff: SubjectAccessRequest.objects.filter(
            status=SubjectAccessRequest.Status.READY, finished_at__lt=cutoff
        ),
        act=_remove_subject_access_files,
    ),
)


def _apply(rule: Rule, now: datetime, batch_size: int) -> int:
    """Apply one rule in batches of keys, each in its own transaction: memory and locks stay
    bounded however much is due, and a run stopped halfway leaves whole batches done."""
    cutoff = now - timedelta(days=rule.days)
    done, last = 0, None
    while True:
        due = rule.due(cutoff).order_by("pk")
        if last is not None:
            due = due.filter(pk__gt=last)
        pks = list(due.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return done
        with transaction.atomic():
            rule.act(pks)
        done, last = done + len(pks), pks[-1]


def retention_apply(*, acting_user, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Apply every rule of the schedule now; record what each removed or anonymised."""
    require(may_apply_retention(acting_user))
    started = timezone.now()
    counts = {}
    for rule in SCHEDULE:
        counts[rule.key] = _apply(rule, started, batch_size)
        RetentionRun.objects.create(run_started_at=started, rule=rule.key, records=counts[rule.key])
    return counts
