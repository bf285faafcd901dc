"""Apply the retention schedule now, as the nightly task does."""

from django.core.management.base import BaseCommand

from core.roles import SYSTEM
from reports.retention import SCHEDULE, retention_apply


class Command(BaseCommand):
    help = "Apply the retention schedule now: remove or anonymise what is past its period."

    def handle(self, *args, **options):
        counts = retention_apply(acting_user=SYSTEM)
        for rule in SCHEDULE:
            self.stdout.write(f"{rule.key}: {counts[rule.key]}")
