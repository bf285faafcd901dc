"""What an invitation gives a person: a role at a hub, a school's contact, national staff.

`accounts` sits below the apps whose roles these are, so it cannot name them: each app registers
its grants by name when it starts (in its AppConfig.ready()), and an invitation carries a grant's
name and details. `invitation_send` gives the grant at once to an account nobody controls yet, and
keeps it on the invitation for an existing account until its owner accepts.

A grant's `give(user, details, acting_user=...)` checks that `acting_user` (whoever sent the
invitation) may give it, raising PermissionDenied if not, and is a no-op when the person already
has it; `describe(details)` says what it is in a few words ("Mastery Specialist at Leeds Maths
Hub"), for the e-mail and the invitation's page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist


@dataclass(frozen=True)
class Grant:
    name: str
    give: Callable[..., None]
    describe: Callable[[dict], str]


_grants: dict[str, Grant] = {}


def register(name: str, *, give: Callable[..., None], describe: Callable[[dict], str]) -> None:
    """Called once per grant by the app that owns it, when it starts."""
    _grants[name] = Grant(name=name, give=give, describe=describe)


def grant_named(name: str) -> Grant:
    try:
        return _grants[name]
    except KeyError:
        raise LookupError(f"No invitation grant named {name!r} has been registered.") from None


def describe(name: str, details: dict) -> str:
    """What a grant gives, in a few words; said plainly when what it named has gone since."""
    try:
        return grant_named(name).describe(details)
    except ObjectDoesNotExist:
        return "something that no longer exists"
