"""Erasure: a person anonymised everywhere the portal holds them.

Every row stays, so every count and attendance figure stays; only the person's fields change
(as the people module says where they are). Their account is deactivated and what opens it goes:
sessions, authenticators, invitations, e-mail addresses and calendar address. A school's
headteacher name comes from the public register and is the register's: it is left, and the
erasure's record says so.
"""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import NATIONAL_OR_ADMIN
from core.access import require
from core.roles import recorded
from schools.models import HubStaff, SchoolContact

from . import people
from .models import Erasure, subject_reference
from .people import Erase
from .permissions import may_handle_personal_data

REGISTER_NOTE = (
    "{title}: the headteacher's name comes from the public register (Get Information About "
    "Schools), not from the person; it is the register's and changes when the register does."
)


def has_current_role() -> Q:
    """Accounts of people with a part in the programme now: national staff, the admin's door,
    a hub role, or a contact of a school taking part this year or later."""
    taking_part = SchoolContact.objects.filter(
        user=OuterRef("pk"),
        school__participations__academic_year__ends_on__gte=timezone.localdate(),
    )
    return (
        NATIONAL_OR_ADMIN
        | Q(Exists(HubStaff.objects.filter(user=OuterRef("pk"))))
        | Q(Exists(taking_part))
    )


def _delete_sessions(user_ids) -> None:
    # Sessions hold the account only inside their signed data: read each one still alive.
    wanted = {str(pk) for pk in user_ids}
    alive = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [s.session_key for s in alive.iterator() if s.get_decoded().get(SESSION_KEY) in wanted]
    Session.objects.filter(session_key__in=ended).delete()


def close_accounts(user_ids) -> None:
    """Deactivate and anonymise accounts, and delete everything that opens them."""
    for place in people.PLACES:
        model = place.model_class
        for slot in place.slots:
            if slot.erase is Erase.DELETE and people.finds_account(model, slot):
                model._default_manager.filter(**{f"{slot.by}__in": user_ids}).delete()
    accounts = people.PLACE_BY_MODEL["accounts.User"]
    people.scrub(accounts.model_class, user_ids, accounts.data_fields)
    get_user_model().objects.close(user_ids)
    _delete_sessions(user_ids)


def _erase_in(place: people.Place, person: people.Person) -> tuple[int, bool]:
    """Erase the person from one place: how many rows changed, and whether any was kept."""
    found = people.find(place, person)
    model = place.model_class
    changed, kept = set(), False
    for slot, pks in found.slots.items():
        if not pks:
            continue
        if slot.erase is Erase.KEEP:
            kept = True
        elif slot.erase is Erase.DELETE:
            model._default_manager.filter(pk__in=pks).delete()
            changed |= pks
        elif slot.data:
            people.scrub(model, pks, slot.data, email=person.email)
            changed |= pks
    if found.mentioned:
        people.replace_mentions(model, found.mentioned, place.mentions, person)
        changed |= found.mentioned
    return len(changed), kept


def _check_only_in(person: people.Person, hub) -> None:
    """A hub lead erases only a person of their hub alone."""
    hubs = people.hubs_of(person)
    if hub.pk not in hubs:
        raise ValidationError({"email": f"Nobody with this address is in {hub.name}'s records."})
    national = get_user_model().objects.filter(pk__in=person.user_ids, is_national_staff=True)
    if hubs != {hub.pk} or national.exists():
        raise ValidationError(
            {
                "email": "This person is also in another hub's records or works nationally: "
                "national staff must erase them."
            }
        )


def person_erase(*, email: str, reason: str, hub=None, acting_user) -> Erasure:
    """Anonymise a person everywhere, keeping every row; record who did it, when and why."""
    require(may_handle_personal_data(acting_user, hub))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this person's data is erased."})
    with transaction.atomic():
        person = people.find_person(email)
        if hub is not None:
            _check_only_in(person, hub)
        changed, kept = {}, []
        for place in people.PLACES:
            count, was_kept = _erase_in(place, person)
            if count:
                changed[place.title] = count
            if was_kept:
                kept.append(REGISTER_NOTE.format(title=place.title))
        if not changed and not kept:
            raise ValidationError({"email": "The portal holds nothing about this address."})
        close_accounts(person.user_ids)
        return Erasure.objects.create(
            erased_by=recorded(acting_user),
            hub=hub,
            subject_reference=subject_reference(person.email),
            reason=reason,
            changed=changed,
            kept=kept,
        )
