"""One person seeded into every table the people module names: the subject access and erasure
tests find them there. A new place in the people module without a seed here fails
`test_every_place_has_a_seed`."""

from datetime import timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Invitation
from actionplans.models import ActionPlan, Comment, Review
from actionplans.services import action_plan_create
from core.roles import SYSTEM
from enrolment.models import ExpressionOfInterestEvent
from notifications.models import Notification, NotificationPreference
from schools.models import HubStaff, RegisterImport, SchoolContact
from tests.factories import (
    ActionFactory,
    ExpressionOfInterestFactory,
    HubStaffFactory,
    PriorityFactory,
    SchoolContactFactory,
    UserFactory,
)
from workgroups.models import Attendance
from workgroups.services import attendance_mark, calendar_feed_reset

NAME = "Petra Quillfeather"
EMAIL = "petra.quillfeather@quill-school.example"


def _changed_by(instance, user):
    """Save the instance as if `user` changed it: its history row names them."""
    instance._history_user = user
    instance.save()


def _user(p):
    p.user = UserFactory(email=EMAIL, full_name=NAME)


def _contact(p):
    p.contact = SchoolContactFactory(
        school=p.school, user=p.user, email=EMAIL, name=NAME, role=SchoolContact.Role.LEAD_TEACHER
    )


def _school(p):
    p.school.head_name = NAME
    _changed_by(p.school, p.user)


def _hub_staff(p):
    HubStaffFactory(user=p.user, hub=p.hub, role=HubStaff.Role.MASTERY_SPECIALIST)


def _mails(p):
    Notification.objects.create(
        kind="test",
        key="to-them",
        hub=p.hub,
        recipient=EMAIL,
        user=p.user,
        subject="Your workshop",
        body_text=f"Dear {NAME}, see you on Tuesday.",
        body_html=f"<p>Dear {NAME}, see you on Tuesday.</p>",
        status=Notification.Status.SENT,
    )
    Notification.objects.create(
        kind="test",
        key="about-them",
        hub=p.hub,
        recipient="someone.else@quill-school.example",
        subject=f"{NAME} hosts the next workshop",
        body_text=f"{NAME} ({EMAIL}) hosts it.",
        status=Notification.Status.SENT,
    )


def _log_entry(p):
    LogEntry.objects.create(
        user=p.user,
        content_type=ContentType.objects.get_for_model(SchoolContact),
        object_id=str(p.contact.pk),
        object_repr=f"{NAME} (Lead teacher)",
        action_flag=CHANGE,
        change_message="[]",
    )


def _attendance(p):
    # A lead participant of the school (seeded before): expected at the workshop already.
    attendance_mark(
        workshop=p.workshop, contact=p.contact, status=Attendance.Status.PRESENT, acting_user=SYSTEM
    )
    Attendance.objects.filter(contact=p.contact).update(recorded_by=p.user)


def _visit(p):
    visit = p.participation.support_visits.first()
    visit.recorded_by = p.user
    _changed_by(visit, p.user)


def _interest(p):
    p.interest = ExpressionOfInterestFactory(
        hub=p.hub,
        school=p.school,
        academic_year=p.participation.academic_year,
        status="declined",
        submitter_name=NAME,
        submitter_email=EMAIL,
        lead_participants=[
            {"name": NAME, "email": EMAIL},
            {"name": "Other Teacher", "email": "other.teacher@quill-school.example"},
        ],
        decided_by=p.user,
        overridden_by=p.user,
    )


def _plan(p):
    plan = ActionPlan.objects.filter(participation=p.participation).first()
    p.plan = plan or action_plan_create(participation=p.participation, acting_user=SYSTEM)
    p.plan.updated_by = p.user
    _changed_by(p.plan, p.user)


def _priority(p):
    p.priority = PriorityFactory(plan=p.plan, areas=[p.plan.areas[0].code])
    _changed_by(p.priority, p.user)


def _action(p):
    ActionFactory(priority=p.priority, owner=NAME)


SEEDS = {
    "accounts.User": _user,
    # The account's factory may have made it already.
    "account.EmailAddress": lambda p: EmailAddress.objects.get_or_create(
        user=p.user, email=EMAIL, defaults={"verified": True, "primary": True}
    ),
    "mfa.Authenticator": lambda p: Authenticator.objects.create(
        user=p.user, type=Authenticator.Type.WEBAUTHN, data={"name": "Petra's key"}
    ),
    "accounts.Invitation": lambda p: Invitation.objects.create(
        user=p.user,
        invited_by=p.user,
        token_hash=Invitation.new_token()[1],
        expires_at=timezone.now() + timedelta(days=7),
    ),
    "workgroups.CalendarFeed": lambda p: calendar_feed_reset(user=p.user, acting_user=p.user),
    "notifications.NotificationPreference": lambda p: NotificationPreference.objects.create(
        user=p.user
    ),
    "notifications.Notification": _mails,
    "schools.SchoolContact": _contact,
    "admin.LogEntry": _log_entry,
    "schools.HubStaff": _hub_staff,
    "schools.HistoricalHubStaff": lambda p: None,  # written by the hub role's save
    "schools.School": _school,
    "schools.HistoricalSchool": lambda p: None,  # written by the school's save
    "schools.HistoricalHub": lambda p: _changed_by(p.hub, p.user),
    "schools.HistoricalLocalAuthority": lambda p: _changed_by(p.school.local_authority, p.user),
    "schools.RegisterImport": lambda p: RegisterImport.objects.create(
        file_name="gias.csv", created_by=p.user
    ),
    "workgroups.HistoricalWorkGroup": lambda p: _changed_by(p.participation.work_group, p.user),
    "workgroups.Participation": lambda p: p.participation.lead_participants.add(p.contact),
    "workgroups.HistoricalParticipation": lambda p: _changed_by(p.participation, p.user),
    "workgroups.HistoricalWorkshop": lambda p: _changed_by(p.workshop, p.user),
    "workgroups.Attendance": _attendance,
    "workgroups.SupportVisit": _visit,
    "workgroups.HistoricalSupportVisit": lambda p: None,  # written by the visit's save
    "enrolment.ExpressionOfInterest": _interest,
    "enrolment.ExpressionOfInterestEvent": lambda p: ExpressionOfInterestEvent.objects.create(
        expression_of_interest=p.interest, action="declined", actor=p.user
    ),
    "actionplans.ActionPlan": _plan,
    "actionplans.HistoricalActionPlan": lambda p: None,  # written by the plan's save
    "actionplans.HistoricalPriority": _priority,
    "actionplans.Action": _action,
    "actionplans.HistoricalAction": lambda p: None,  # written by the action's save
    "actionplans.Review": lambda p: Review.objects.create(plan=p.plan, reviewer=p.user),
    "actionplans.Comment": lambda p: Comment.objects.create(
        plan=p.plan, author=p.user, author_role="school", body=f"Thank you. {NAME}"
    ),
}


def seed_person(*, hub, school, participation, workshop) -> SimpleNamespace:
    """The person, in every place (the order of SEEDS: each may use what the ones before made)."""
    p = SimpleNamespace(
        hub=hub, school=school, participation=participation, workshop=workshop, user=None
    )
    for seed in SEEDS.values():
        seed(p)
    return p
