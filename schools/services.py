"""Changes to hubs, their areas and staff, schools and the register: one function per change."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_send
from core.access import require
from core.roles import recorded
from core.tasks import hand_over

from .gias import DEFAULT_BATCH_SIZE, ImportReport, RegisterFileError, load_register
from .models import Hub, HubStaff, LocalAuthority, RegisterImport, School
from .permissions import (
    may_import_register,
    may_manage_hub_staff,
    may_set_hub_area,
    may_set_school_hub,
)
from .signals import register_changed

logger = logging.getLogger(__name__)

# Roles a hub lead may invite to their hub.
INVITABLE_ROLES = (
    HubStaff.Role.HUB_LEAD,
    HubStaff.Role.MASTERY_SPECIALIST,
    HubStaff.Role.READINESS_LEAD,
)


# Hub staff ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HubStaffInvitation:
    """What inviting a person to a role gave: the role at once (`staff`) for an account nobody
    controls yet, or, for an existing account, an offer its owner has still to accept."""

    invitation: Invitation
    staff: HubStaff | None

    @property
    def waiting(self) -> bool:
        return self.staff is None


HUB_STAFF_GRANT = "hub_staff"


def hub_staff_invite(
    *,
    hub: Hub,
    email: str,
    full_name: str,
    role: str,
    acting_user,
    school: School | None = None,
) -> HubStaffInvitation:
    """Invite a person to a role at the hub: a new person gets it at once with a link to set
    their password; someone with an account gets it when they accept, signed in."""
    require(may_manage_hub_staff(acting_user, hub))
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": "Choose hub lead, Mastery Specialist or Readiness Lead."})
    label = HubStaff.Role(role).label
    address = email.strip().lower()
    if HubStaff.objects.filter(user__email=address, hub=hub, role=role).exists():
        raise ValidationError(f"{address} is already {label} at {hub.name}.")
    if (
        Invitation.objects.offers(HUB_STAFF_GRANT, hub=hub.pk, role=role)
        .filter(user__email=address)
        .exists()
    ):
        raise ValidationError(
            f"{address} has already been invited to be {label} at {hub.name} and has not "
            "answered yet."
        )
    HubStaff(hub=hub, role=role, school=school).full_clean(exclude=["user"])
    with transaction.atomic():
        invitation = invitation_send(
            email=email,
            full_name=full_name,
            reason=f"{label} at {hub.name}",
            grant=(
                HUB_STAFF_GRANT,
                {"hub": hub.pk, "role": role, "school": getattr(school, "pk", None)},
            ),
            acting_user=acting_user,
        )
        staff = (
            None
            if invitation.for_existing_account
            else HubStaff.objects.get(user=invitation.user, hub=hub, role=role)
        )
    return HubStaffInvitation(invitation=invitation, staff=staff)


def hub_staff_give(user, details: dict, *, acting_user) -> None:
    """The "hub_staff" grant an invitation carries: the role, given as (and recorded in history
    as) the person who sent the invitation, while they may still manage the hub's staff."""
    hub = Hub.objects.get(pk=details["hub"])
    require(may_manage_hub_staff(acting_user, hub))
    if HubStaff.objects.filter(user=user, hub=hub, role=details["role"]).exists():
        return
    staff = HubStaff(user=user, hub=hub, role=details["role"], school_id=details.get("school"))
    staff.full_clean()
    staff._history_user = recorded(acting_user)
    staff.save()


def hub_staff_describe(details: dict) -> str:
    """What the "hub_staff" grant gives, for the invitation's e-mail and page."""
    hub = Hub.objects.get(pk=details["hub"])
    return f"{HubStaff.Role(details['role']).label} at {hub.name}"


def hub_staff_remove(*, staff: HubStaff, acting_user) -> None:
    """Take a role at a hub away from a person (their account stays)."""
    require(may_manage_hub_staff(acting_user, staff.hub))
    with transaction.atomic():
        if staff.role == HubStaff.Role.HUB_LEAD:
            leads = HubStaff.objects.select_for_update().filter(
                hub=staff.hub, role=HubStaff.Role.HUB_LEAD
            )
            if len(leads) <= 1:
                raise ValidationError(
                    "A hub needs at least one hub lead: invite another before removing this one."
                )
        staff._history_user = recorded(acting_user)
        try:
            with transaction.atomic():
                staff.delete()
        except ProtectedError as error:
            # Work groups they lead point at this role; losing it would orphan them.
            count = len(error.protected_objects)
            raise ValidationError(
                f"{staff.user.get_full_name() or staff.user.email} still leads {count} "
                f"work group{'s' if count != 1 else ''} as {staff.get_role_display()}: "
                "give them another lead first."
            ) from None


# Hub areas and a school's hub --------------------------------------------------------------------


def hub_area_set(
    *, hub: Hub, local_authorities: Iterable[LocalAuthority], acting_user
) -> list[LocalAuthority]:
    """Make the hub serve exactly these local authorities; returns those taken from other hubs."""
    require(may_set_hub_area(acting_user, hub))
    chosen = {la.pk: la for la in local_authorities}
    taken = []
    moved = {hub.pk}  # the hubs whose areas change
    with transaction.atomic():
        current = LocalAuthority.objects.select_for_update().filter(hub=hub)
        for la in current:
            if la.pk not in chosen:
                la.hub = None
                la._history_user = recorded(acting_user)
                la.save(update_fields=["hub"])
        for la in LocalAuthority.objects.select_for_update().filter(pk__in=chosen):
            if la.hub_id == hub.pk:
                continue
            if la.hub_id is not None:
                taken.append(la)
                moved.add(la.hub_id)
            la.hub = hub
            la._history_user = recorded(acting_user)
            la.save(update_fields=["hub"])
        register_changed.send(sender=LocalAuthority, hub_ids=moved)
    return taken


def school_hub_set(*, school: School, hub: Hub | None, acting_user) -> School:
    """Have the school work with another hub than its area's (None: back to its area's hub)."""
    require(may_set_school_hub(acting_user, school))
    if hub is not None and hub.pk == school.local_authority.hub_id:
        hub = None
    with transaction.atomic():
        before = school.hub_override_id or school.local_authority.hub_id
        school.hub_override = hub
        school._history_user = recorded(acting_user)
        school.save(update_fields=["hub_override"])
        after = school.hub_override_id or school.local_authority.hub_id
        register_changed.send(sender=School, hub_ids={before, after} - {None})
    return school


# The national register ---------------------------------------------------------------------------


def register_import_create(*, file, dry_run: bool = False, acting_user) -> RegisterImport:
    """Keep an uploaded register extract and queue its import (it runs after this commits)."""
    # Imported here: the tasks module imports this one.
    from .tasks import register_import_task

    require(may_import_register(acting_user))
    with transaction.atomic():
        busy = RegisterImport.objects.select_for_update().filter(
            status__in=[RegisterImport.Status.PENDING, RegisterImport.Status.RUNNING]
        )
        if busy.exists():
            raise ValidationError(
                "Another register import is waiting or running. Wait for it to finish."
            )
        register_import = RegisterImport(
            file_name=getattr(file, "name", "")[:255],
            dry_run=dry_run,
            created_by=recorded(acting_user),
        )
        register_import.file.save(register_import.file_name or "gias.csv", file, save=False)
        register_import.save()
        hand_over(register_import_task, register_import.pk)
    return register_import


def register_import_run(
    *,
    register_import: RegisterImport,
    acting_user,
    source=None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport | None:
    """Load a register extract and record its summary, change report and skipped rows."""
    require(may_import_register(acting_user))
    with transaction.atomic():
        locked = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
        if locked.is_finished:
            # A redelivered task: the import has run; running it again would report nothing.
            return None
        locked.status = RegisterImport.Status.RUNNING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at"])
    register_import.refresh_from_db()
    opened = source is None
    if opened:
        register_import.file.open("rb")
        source = register_import.file
    try:
        report = load_register(
            source,
            dry_run=register_import.dry_run,
            batch_size=batch_size,
            on_progress=on_progress,
        )
    except RegisterFileError as error:
        register_import.status = RegisterImport.Status.FAILED
        register_import.error = str(error)
        register_import.finished_at = timezone.now()
        register_import.save(update_fields=["status", "error", "finished_at"])
        raise
    except Exception:
        logger.exception("Register import %s failed", register_import.pk)
        register_import.status = RegisterImport.Status.FAILED
        register_import.error = (
            "The import stopped on an unexpected error and nothing was imported. "
            "The technical team has the details in the log."
        )
        register_import.finished_at = timezone.now()
        register_import.save(update_fields=["status", "error", "finished_at"])
        raise
    finally:
        if opened:
            register_import.file.close()
    if not register_import.dry_run:
        # Schools may have moved, opened or closed: the figures that count them by hub follow.
        with transaction.atomic():
            register_changed.send(sender=RegisterImport, hub_ids=None)
    register_import.status = RegisterImport.Status.DONE
    register_import.summary = report.summary()
    register_import.changes = report.change_report()
    register_import.problems = report.problems
    register_import.finished_at = timezone.now()
    register_import.save(update_fields=["status", "summary", "changes", "problems", "finished_at"])
    return report
