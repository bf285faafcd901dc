"""Make the summaries the figures read again from the records they count."""

from django.core.management.base import BaseCommand

from workgroups.services import school_pathways_rebuild


class Command(BaseCommand):
    help = (
        "Work every school's pathway summary out again from the participations. The services "
        "keep them up to date; run this after changing participations outside them (SQL, a "
        "restore). Running it when they are right changes nothing."
    )

    def handle(self, *args, **options):
        schools = school_pathways_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Pathway summaries made again for {schools} schools.")
        )
