"""Erase a person everywhere (as national staff would from the screen), recorded as the
portal's own act."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.roles import SYSTEM
from reports.erasure import person_erase


class Command(BaseCommand):
    help = "Anonymise a person (by e-mail address) everywhere the portal holds them."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--reason", required=True, help="Why (kept with the erasure).")
        parser.add_argument(
            "--yes-erase", action="store_true", help="Confirm: this cannot be undone."
        )

    def handle(self, *args, email, reason, yes_erase, **options):
        if not yes_erase:
            raise CommandError("Nothing done: add --yes-erase to confirm the erasure.")
        try:
            erasure = person_erase(email=email, reason=reason, acting_user=SYSTEM)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for title, count in erasure.changed.items():
            self.stdout.write(f"{title}: {count}")
        for note in erasure.kept:
            self.stdout.write(f"Not erased: {note}")
        self.stdout.write(f"Recorded as erasure {erasure.pk}.")
