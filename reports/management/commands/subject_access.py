"""Write everything the portal holds about an address to a ZIP file (as national staff would
get it from the screen); the request is recorded like theirs, as the portal's own."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.roles import SYSTEM
from reports.subject_access import subject_access_download, subject_access_request


class Command(BaseCommand):
    help = "Export everything held about a person (by e-mail address) to a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("path", type=Path, help="Where to write the ZIP file.")

    def handle(self, *args, email, path, **options):
        if path.exists():
            raise CommandError(f"{path} exists already: choose a new file.")
        access_request = subject_access_request(email=email, acting_user=SYSTEM, build_now=True)
        try:
            _, content = subject_access_download(access_request=access_request, acting_user=SYSTEM)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        path.write_bytes(content)
        self.stdout.write(f"{access_request.places} places hold this person: written to {path}.")
