"""Subject access: everything the portal holds about one address, as a ZIP of JSON and CSV.

A request is a row first; a worker gathers the export (`subject_access_build`, handed over after
commit) while the asker's page shows how it goes, and the file is theirs to download once. A hub
lead's export holds only their hub's rows; the portal-wide ones (the account, its
authenticators) only national staff's.
"""

import csv
import io
import json
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.access import require
from core.formatting import date_time
from core.roles import recorded
from core.tasks import hand_over

from . import people
from .models import SubjectAccessRequest, subject_reference
from .permissions import (
    may_build_subject_access,
    may_download_subject_access,
    may_handle_personal_data,
)

README = """Everything hubportal holds about {email}
Gathered on {when}, {scope}.

Each place the portal keeps this person is one CSV file and one JSON file of the same name
(the JSON also in everything.json). A row shows this person's own data and the record around it;
another person's data in the same row (a co-worker named in the same form, say) is left out, as
are secrets (passwords, sign-in keys).

{places}
"""


def _row(place: people.Place, found: people.Found, row: dict, email: str) -> dict:
    """What of one row the person may read: their own data and the record around it, not
    another person's data in the same row nor a secret; where they are only mentioned in
    someone else's writing, just that writing."""
    key = place.model_class._meta.pk.attname
    mine = [slot for slot, pks in found.slots.items() if row[key] in pks]
    if not mine:
        return {name: row[name] for name in (key, *place.mentions)}
    own = {name for slot in mine for name in slot.data}
    hidden = (set(place.data_fields) - own) | set(place.withheld)
    shown = {name: value for name, value in row.items() if name not in hidden}
    for slot in mine:
        if people.is_people_list(place.model_class, slot):  # their own entries only
            shown[slot.by] = [p for p in row[slot.by] if people.is_entry_of(p, email)]
    return shown


def _rows(place: people.Place, found: people.Found, email: str) -> list[dict]:
    rows = place.model_class._default_manager.filter(pk__in=found.pks).order_by("pk")
    return [_row(place, found, row, email) for row in rows.values()]


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(k for row in rows for k in row)))
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, cls=DjangoJSONEncoder)
                if isinstance(value, (dict, list))
                else value
                for key, value in row.items()
            }
        )
    return out.getvalue()


def export(email: str, hub=None) -> tuple[bytes, int]:
    """The ZIP of everything held about the address (within the hub, if one), and how many
    places hold them."""
    person = people.find_person(email)
    everything, lines = {}, []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for place in people.PLACES:
            found = people.find(place, person, hub.pk if hub else None)
            if not found.pks:
                continue
            rows = _rows(place, found, person.email)
            everything[place.title] = rows
            lines.append(f"{place.file_name}.csv / .json: {place.title} ({len(rows)})")
            archive.writestr(f"{place.file_name}.csv", _csv(rows))
            archive.writestr(
                f"{place.file_name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2)
            )
        archive.writestr("everything.json", json.dumps(everything, cls=DjangoJSONEncoder, indent=2))
        archive.writestr(
            "README.txt",
            README.format(
                email=person.email,
                when=date_time(timezone.now()),
                scope=f"from {hub.name}'s records" if hub else "from every hub's records",
                places="\n".join(lines) or "The portal holds nothing about this address.",
            ),
        )
    return buffer.getvalue(), len(lines)


def subject_access_request(
    *, email: str, hub=None, acting_user, build_now: bool = False
) -> SubjectAccessRequest:
    """Record a request for a person's data and hand its gathering to a worker (or, from a
    shell, gather it at once)."""
    from .tasks import build_subject_access

    require(may_handle_personal_data(acting_user, hub))
    email = email.strip().lower()
    access_request = SubjectAccessRequest.objects.create(
        requested_by=recorded(acting_user),
        hub=hub,
        subject_reference=subject_reference(email),
        email=email,
    )
    if build_now:
        subject_access_build(access_request=access_request, acting_user=acting_user)
    else:
        hand_over(build_subject_access, access_request.pk)
    return access_request


def subject_access_build(*, access_request: SubjectAccessRequest, acting_user) -> None:
    """Gather the export of a waiting request into its file; nothing if it is not waiting."""
    require(may_build_subject_access(acting_user))
    Status = SubjectAccessRequest.Status
    with transaction.atomic():
        claimed = SubjectAccessRequest.objects.filter(
            pk=access_request.pk, status=Status.WAITING
        ).update(status=Status.BUILDING)
    if not claimed:
        return
    access_request.refresh_from_db()
    try:
        content, places = export(access_request.email, access_request.hub)
    except Exception:
        access_request.status, access_request.email = Status.FAILED, ""
        access_request.save(update_fields=["status", "email"])
        raise
    access_request.file.save(
        f"subject-access-{access_request.pk}.zip", ContentFile(content), save=False
    )
    access_request.status, access_request.email = Status.READY, ""
    access_request.places, access_request.finished_at = places, timezone.now()
    access_request.save()


def subject_access_download(
    *, access_request: SubjectAccessRequest, acting_user
) -> tuple[str, bytes]:
    """The export's file name and content, once: the file is deleted as it is handed over."""
    require(may_download_subject_access(acting_user, access_request))
    with transaction.atomic():
        locked = SubjectAccessRequest.objects.select_for_update().get(pk=access_request.pk)
        if locked.status != SubjectAccessRequest.Status.READY:
            raise ValidationError("This export is not ready, or was downloaded already.")
        with locked.file.open("rb") as file:
            content = file.read()
        name = f"subject-access-{locked.pk}.zip"
        locked.file.delete(save=False)
        locked.status, locked.downloaded_at = SubjectAccessRequest.Status.DOWNLOADED, timezone.now()
        locked.save(update_fields=["file", "status", "downloaded_at"])
    return name, content
