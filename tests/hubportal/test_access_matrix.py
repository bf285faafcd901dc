"""Every URL × every kind of outsider: nothing seen, nothing changed.

The URLs come from the resolver, so a new URL without an entry in URLS fails the first test. Each
entry says what the page is:

- PUBLIC: anyone's (the catalogue, the EOI form, links whose token is the key);
- OWN: about the signed-in person themselves (their profile, their calendar);
- LIST: a list or report each person sees their own part of;
- OBJECT: one record, which only its owner (and national staff) may open or act on.

The outsiders are the anonymous public, a school contact, a Mastery Specialist, a Readiness Lead
and a hub lead, all of another hub. Of an OBJECT they get the 404 of a missing page (a login
redirect when signed out, or 405 for a method the URL never takes); of every page, none of the
owner's private details; and after all their POSTs, no row of the portal has changed.
"""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Invitation
from actionplans.models import ActionPlan
from actionplans.services import action_plan_create
from core.roles import SYSTEM
from notifications.models import Notification
from reports.models import Erasure, SubjectAccessRequest
from schools.models import HubStaff, RegisterImport
from tests.factories import (
    ActionFactory,
    ExpressionOfInterestFactory,
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    ParticipationFactory,
    PriorityFactory,
    SchoolContactFactory,
    SchoolFactory,
    StaffUserFactory,
    UserFactory,
    WorkGroupFactory,
)
from workgroups.models import Workshop
from workgroups.services import calendar_feed_reset

pytestmark = pytest.mark.django_db

PUBLIC, OWN, LIST, OBJECT = "public", "own", "list", "object"
OUTSIDERS = ["anonymous", "contact", "specialist", "readiness_lead", "hub_lead"]

# What only the owner's side may read: none of it may appear on any page an outsider opens.
CONTACT_EMAIL = "olive.owner@owner-school.example"
CONTACT_NAME = "Olive Ownercontact"
PLAN_TEXT = "Ownerplan priority on bar models"
EOI_EMAIL = "eoi.sender@owner-school.example"
MAIL_SUBJECT = "Ownermail about the hub's workshop"
RUNNER_NAME = "Rhona Registrar"
GROUP_CODE = "NCP26-OWNR"
SPECIALIST_NAME = "Sebastian Ownerspecialist"
MARKERS = [
    CONTACT_EMAIL,
    CONTACT_NAME,
    PLAN_TEXT,
    EOI_EMAIL,
    MAIL_SUBJECT,
    RUNNER_NAME,
    GROUP_CODE,
    SPECIALIST_NAME,
]


def _plan(w):
    return {"pk": w["plan"].pk}


def _part(w, part):
    return {"pk": w["plan"].pk, "part_id": w[part].pk}


# name: (kind, owner, the URL's arguments from the world). Owner: who may open it.
URLS = {
    "home": (PUBLIC, None, None),
    "healthz": (PUBLIC, None, None),
    "privacy": (PUBLIC, None, None),
    "accessibility": (PUBLIC, None, None),
    "account_login": (PUBLIC, None, None),
    "account_logout": (OWN, None, None),
    "account_inactive": (PUBLIC, None, None),
    "account_signup": (PUBLIC, None, None),
    "account_reauthenticate": (OWN, None, None),
    "account_email": (OWN, None, None),
    "account_email_verification_sent": (PUBLIC, None, None),
    "account_change_password": (OWN, None, None),
    "account_set_password": (OWN, None, None),
    "account_reset_password": (PUBLIC, None, None),
    "account_confirm_login_code": (PUBLIC, None, None),
    "account_confirm_email": (PUBLIC, None, lambda w: {"key": "not-a-key"}),
    "account_reset_password_from_key_done": (PUBLIC, None, None),
    "account_reset_password_from_key": (
        PUBLIC,
        None,
        lambda w: {"uidb36": "1", "key": "set-password-not-a-key"},
    ),
    "account_reset_password_done": (PUBLIC, None, None),
    "mfa_index": (OWN, None, None),
    "mfa_authenticate": (PUBLIC, None, None),
    "mfa_reauthenticate": (OWN, None, None),
    "mfa_activate_totp": (OWN, None, None),
    "mfa_deactivate_totp": (OWN, None, None),
    "mfa_view_recovery_codes": (OWN, None, None),
    "mfa_generate_recovery_codes": (OWN, None, None),
    "mfa_download_recovery_codes": (OWN, None, None),
    "mfa_list_webauthn": (OWN, None, None),
    "mfa_add_webauthn": (OWN, None, None),
    "mfa_reauthenticate_webauthn": (OWN, None, None),
    "mfa_edit_webauthn": (OWN, None, lambda w: {"pk": w["security_key"].pk}),
    "mfa_remove_webauthn": (OWN, None, lambda w: {"pk": w["security_key"].pk}),
    "accounts:profile": (OWN, None, None),
    "accounts:invitation-create": (OBJECT, "staff", None),
    "accounts:invitation-accept": (PUBLIC, None, lambda w: {"token": w["invitation_token"]}),
    "notifications:preferences": (OWN, None, None),
    "notifications:outbox-list": (LIST, "lead", None),
    "notifications:outbox-resend-failed": (LIST, "lead", None),
    "notifications:outbox-detail": (OBJECT, "lead", lambda w: {"pk": w["mail"].pk}),
    "notifications:outbox-resend": (OBJECT, "lead", lambda w: {"pk": w["mail"].pk}),
    "schools:hub-list": (LIST, "lead", None),
    "schools:my-hub": (OWN, None, None),
    "schools:hub-detail": (OBJECT, "lead", lambda w: {"slug": w["hub"].slug}),
    "schools:hub-area": (OBJECT, "staff", lambda w: {"slug": w["hub"].slug}),
    "schools:hubstaff-invite": (OBJECT, "lead", lambda w: {"slug": w["hub"].slug}),
    "schools:hubstaff-remove": (
        OBJECT,
        "lead",
        lambda w: {"slug": w["hub"].slug, "pk": w["group"].lead.pk},
    ),
    "schools:school-search": (LIST, "lead", None),
    "schools:school-autocomplete": (LIST, "lead", None),
    "schools:my-school": (OWN, None, None),
    "schools:school-detail": (LIST, "lead", lambda w: {"urn": w["school"].urn}),
    "schools:school-hub-set": (OBJECT, "staff", lambda w: {"urn": w["school"].urn}),
    "schools:register-import-list": (LIST, "staff", None),
    "schools:register-import-detail": (LIST, "staff", lambda w: {"pk": w["import"].pk}),
    "enrolment:catalogue-index": (PUBLIC, None, None),
    "enrolment:hub-catalogue": (PUBLIC, None, lambda w: {"slug": w["hub"].slug}),
    "enrolment:phase-choose": (PUBLIC, None, lambda w: {"slug": w["hub"].slug}),
    "enrolment:eoi-create": (
        PUBLIC,
        None,
        lambda w: {"slug": w["hub"].slug, "phase": "development"},
    ),
    "enrolment:school-lookup": (PUBLIC, None, None),
    "enrolment:eoi-check": (PUBLIC, None, lambda w: {"token": "no-such-draft"}),
    "enrolment:eoi-sent": (OBJECT, None, lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-list": (LIST, "lead", None),
    "enrolment:eoi-place-many": (LIST, "lead", None),
    "enrolment:eoi-place-suggested": (LIST, "lead", None),
    "enrolment:groups-suggest": (LIST, "lead", None),
    "enrolment:group-accept": (LIST, "lead", None),
    "enrolment:eoi-detail": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-place": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-unplace": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-waitlist": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-decline": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-override": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "enrolment:eoi-check-now": (OBJECT, "lead", lambda w: {"reference": w["eoi"].reference}),
    "workgroups:cohort": (LIST, "lead", None),
    "workgroups:my-work-groups": (OWN, None, None),
    "workgroups:work-group-create": (LIST, "lead", None),
    "workgroups:work-group-copy": (LIST, "lead", None),
    "workgroups:work-group-detail": (OBJECT, "specialist", lambda w: {"pk": w["group"].pk}),
    "workgroups:work-group-edit": (OBJECT, "lead", lambda w: {"pk": w["group"].pk}),
    "workgroups:work-group-complete": (OBJECT, "lead", lambda w: {"pk": w["group"].pk}),
    "workgroups:participation-create": (OBJECT, "lead", lambda w: {"pk": w["group"].pk}),
    "workgroups:my-participation": (OWN, None, None),
    "workgroups:participation-detail": (
        OBJECT,
        "specialist",
        lambda w: {"pk": w["participation"].pk},
    ),
    "workgroups:participation-edit": (OBJECT, "lead", lambda w: {"pk": w["participation"].pk}),
    "workgroups:participation-grant": (OBJECT, "lead", lambda w: {"pk": w["participation"].pk}),
    "workgroups:participation-withdraw": (
        OBJECT,
        "lead",
        lambda w: {"pk": w["participation"].pk},
    ),
    "workgroups:workshop-detail": (OBJECT, "specialist", lambda w: {"pk": w["workshop"].pk}),
    "workgroups:workshop-schedule": (OBJECT, "specialist", lambda w: {"pk": w["workshop"].pk}),
    "workgroups:attendance-mark": (OBJECT, "specialist", lambda w: {"pk": w["workshop"].pk}),
    "workgroups:attendance-rest-present": (
        OBJECT,
        "specialist",
        lambda w: {"pk": w["workshop"].pk},
    ),
    "workgroups:workshop-invite": (OBJECT, "specialist", lambda w: {"pk": w["workshop"].pk}),
    "workgroups:workshop-ics": (OBJECT, "contact", lambda w: {"pk": w["workshop"].pk}),
    "workgroups:visit-schedule": (OBJECT, "specialist", lambda w: {"pk": w["visit"].pk}),
    "workgroups:visit-record": (OBJECT, "specialist", lambda w: {"pk": w["visit"].pk}),
    "workgroups:calendar": (OWN, None, None),
    "workgroups:calendar-reset": (OWN, None, None),
    # A calendar address is its own key: an outsider does not have the owner's, and what the
    # database keeps of it (its hash) opens nothing.
    "workgroups:calendar-feed": (OBJECT, None, lambda w: {"token": w["feed"].token_hash}),
    "actionplans:plan-list": (OWN, None, None),
    "actionplans:group-overview": (OBJECT, "specialist", lambda w: {"pk": w["group"].pk}),
    "actionplans:hub-overview": (OBJECT, "lead", lambda w: {"slug": w["hub"].slug}),
    "actionplans:participation-plan": (
        OBJECT,
        "contact",
        lambda w: {"participation_id": w["participation"].pk},
    ),
    "actionplans:plan-detail": (OBJECT, "contact", _plan),
    "actionplans:plan-print": (OBJECT, "contact", _plan),
    "actionplans:plan-changes": (OBJECT, "contact", _plan),
    "actionplans:plan-history": (OBJECT, "contact", _plan),
    "actionplans:plan-share": (OBJECT, "contact", _plan),
    "actionplans:plan-review": (OBJECT, "specialist", _plan),
    "actionplans:comment-create": (OBJECT, "specialist", _plan),
    "actionplans:plan-edit": (OBJECT, "contact", _plan),
    "actionplans:plan-update": (
        OBJECT,
        "contact",
        lambda w: {"pk": w["plan"].pk, "section": "vision"},
    ),
    "actionplans:plan-carry-over": (OBJECT, "contact", _plan),
    "actionplans:priority-create": (OBJECT, "contact", _plan),
    "actionplans:priority-update": (OBJECT, "contact", lambda w: _part(w, "priority")),
    "actionplans:priority-move": (OBJECT, "contact", lambda w: _part(w, "priority")),
    "actionplans:priority-delete": (OBJECT, "contact", lambda w: _part(w, "priority")),
    "actionplans:action-create": (
        OBJECT,
        "contact",
        lambda w: {"pk": w["plan"].pk, "priority_id": w["priority"].pk},
    ),
    "actionplans:action-update": (OBJECT, "contact", lambda w: _part(w, "action")),
    "actionplans:action-move": (OBJECT, "contact", lambda w: _part(w, "action")),
    "actionplans:action-delete": (OBJECT, "contact", lambda w: _part(w, "action")),
    "reports:dashboard": (LIST, "lead", None),
    "reports:year-on-year": (LIST, "lead", None),
    "reports:national": (OBJECT, "staff", None),
    "reports:participation-list": (LIST, "lead", None),
    "reports:school-list": (LIST, "lead", None),
    "reports:export-participations": (LIST, "lead", lambda w: {"fmt": "csv"}),
    "reports:export-schools": (LIST, "lead", lambda w: {"fmt": "csv"}),
    "reports:export-interests": (LIST, "lead", lambda w: {"fmt": "csv"}),
    "reports:export-register": (
        OBJECT,
        "lead",
        lambda w: {"pk": w["group"].pk, "fmt": "csv"},
    ),
    "reports:personal-data": (LIST, "lead", None),
    "reports:subject-access-create": (LIST, "lead", None),
    "reports:erasure-create": (LIST, "lead", None),
    "reports:subject-access-detail": (OBJECT, "lead", lambda w: {"pk": w["access_request"].pk}),
    "reports:subject-access-download": (
        OBJECT,
        "lead",
        lambda w: {"pk": w["access_request"].pk},
    ),
    "reports:erasure-detail": (OBJECT, "lead", lambda w: {"pk": w["erasure"].pk}),
}


def _url_names(patterns=None, namespace=None):
    """Every named URL the portal serves (the Django admin, behind its own door, aside)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_entry():
    assert set(_url_names()) == set(URLS)


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """One hub's records, with someone in each role, and outsiders of another hub."""
    hub = HubFactory(name="Owner Maths Hub", slug="owner-hub")
    other = HubFactory(name="Outsider Maths Hub", slug="outsider-hub")
    staff = StaffUserFactory(full_name=RUNNER_NAME)
    lead = HubStaffFactory(hub=hub, role=HubStaff.Role.HUB_LEAD).user
    group = WorkGroupFactory(
        hub=hub,
        code=GROUP_CODE,
        lead=HubStaffFactory(
            hub=hub,
            role=HubStaff.Role.MASTERY_SPECIALIST,
            user__full_name=SPECIALIST_NAME,
            school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)),
        ),
    )
    participation = ParticipationFactory(work_group=group)
    contact_user = UserFactory(email=CONTACT_EMAIL, full_name=CONTACT_NAME)
    SchoolContactFactory(
        school=participation.school, user=contact_user, email=CONTACT_EMAIL, name=CONTACT_NAME
    )
    plan = ActionPlan.objects.filter(participation=participation).first() or action_plan_create(
        participation=participation, acting_user=SYSTEM
    )
    priority = PriorityFactory(plan=plan, title=PLAN_TEXT)
    token, token_hash = Invitation.new_token()
    Invitation.objects.create(
        user=UserFactory(), token_hash=token_hash, expires_at="2099-01-01T00:00Z"
    )
    workshop = group.workshops.get(number=1)
    Workshop.objects.filter(pk=workshop.pk).update(
        status=Workshop.Status.SCHEDULED, date=date(2026, 10, 7), session="morning"
    )
    outsider_school = SchoolFactory(local_authority=LocalAuthorityFactory(hub=other))
    outsider_contact = UserFactory()
    SchoolContactFactory(
        school=outsider_school, user=outsider_contact, email=outsider_contact.email
    )
    return {
        "hub": hub,
        "school": participation.school,
        "group": group,
        "participation": participation,
        "workshop": workshop,
        "visit": participation.support_visits.first(),
        "plan": plan,
        "priority": priority,
        "action": ActionFactory(priority=priority),
        "eoi": ExpressionOfInterestFactory(
            school=SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub)),
            submitter_email=EOI_EMAIL,
        ),
        "mail": Notification.objects.create(
            kind="test",
            key="matrix",
            hub=hub,
            recipient=CONTACT_EMAIL,
            subject=MAIL_SUBJECT,
            body_text="Hello",
            status=Notification.Status.FAILED,
        ),
        "import": RegisterImport.objects.create(
            file_name="gias.csv", created_by=staff, status=RegisterImport.Status.DONE
        ),
        "invitation_token": token,
        "access_request": SubjectAccessRequest.objects.create(
            requested_by=lead, hub=hub, subject_reference="owner", status="ready"
        ),
        "erasure": Erasure.objects.create(
            erased_by=lead, hub=hub, subject_reference="owner", reason="Asked"
        ),
        "security_key": Authenticator.objects.create(
            user=lead, type=Authenticator.Type.WEBAUTHN, data={"name": "Owner's key"}
        ),
        "feed": calendar_feed_reset(user=contact_user, acting_user=contact_user).feed,
        "owners": {
            "staff": staff,
            "lead": lead,
            "specialist": group.lead.user,
            "contact": contact_user,
        },
        "outsiders": {
            "anonymous": None,
            "contact": outsider_contact,
            "specialist": HubStaffFactory(hub=other, role=HubStaff.Role.MASTERY_SPECIALIST).user,
            "readiness_lead": HubStaffFactory(hub=other, role=HubStaff.Role.READINESS_LEAD).user,
            "hub_lead": HubStaffFactory(hub=other, role=HubStaff.Role.HUB_LEAD).user,
        },
    }


def _url(world, name):
    _, _, arguments = URLS[name]
    return reverse(name, kwargs=arguments(world) if arguments else None)


def _fingerprints() -> dict[str, str]:
    """A fingerprint of every row of each of the portal's tables."""
    prints = {}
    for model in apps.get_models():
        if model._meta.app_label in {"sessions", "admin", "contenttypes", "django_celery_beat"}:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        prints[model._meta.label] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints


def _login_redirect(response) -> bool:
    return response.status_code == 302 and "/account/login/" in response["Location"]


def _leaks(response) -> list[str]:
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="replace")
    return [marker for marker in MARKERS if marker in text]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_see_nothing_and_change_nothing(client, world, role):
    person = world["outsiders"][role]
    if person is not None:
        client.force_login(person)
    before = _fingerprints()
    problems = []
    for name, (kind, _, _) in URLS.items():
        if name == "account_logout":
            continue  # signing out is the outsider's own business, and would end this test
        # What a signed-in person does to their own account is theirs to do: only read it.
        methods = ["get"] if kind == OWN and person is not None else ["get", "post"]
        url = _url(world, name)
        for method in methods:
            response = getattr(client, method)(url)
            status = response.status_code
            if status >= 500:
                problems.append(f"{method.upper()} {name}: {status}")
            elif kind == OBJECT and not (
                status in (404, 405) or (person is None and _login_redirect(response))
            ):
                problems.append(f"{method.upper()} {name}: {status}, not a 404")
            elif leaked := _leaks(response):
                problems.append(f"{method.upper()} {name}: shows {', '.join(leaked)}")
    assert problems == []
    after = _fingerprints()
    assert [table for table in before if after[table] != before[table]] == [], "rows changed"


def test_owners_open_their_records(client, world):
    """The entries are right: each record's owner gets its page, not a 404."""
    problems = []
    for name, (kind, owner, _) in URLS.items():
        if kind != OBJECT or owner is None:
            continue
        client.force_login(world["owners"][owner])
        status = client.get(_url(world, name)).status_code
        if status == 404 or status >= 500:
            problems.append(f"{owner} GET {name}: {status}")
    assert problems == [], "\n".join(problems)


# Where `is_staff` may be named: the roles module's note, the account model and its manager (which
# also closes accounts), the code that grants national staff (with the admin's door), the admin
# itself and the demo logins.
IS_STAFF_ALLOWED = {
    "core/roles.py",
    "accounts/models.py",
    "accounts/services.py",
    "accounts/admin.py",
    "accounts/demo.py",
}


def test_nothing_but_the_roles_module_decides_who_is_national_staff():
    root = Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests"}
        and "migrations" not in path.parts
        and "is_staff" in path.read_text()
        and str(path.relative_to(root)) not in IS_STAFF_ALLOWED
    ]
    assert found == []
