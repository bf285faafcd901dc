"""Make the summaries the figures read again from the records they count."""

from django.core.management.base import BaseCommand

from actionplans.summaries import summaries_rebuild as rebuild_plans
from schools.summaries import summaries_rebuild as rebuild_areas
from workgroups.summaries import summaries_rebuild as rebuild_work_groups


class Command(BaseCommand):
    help = (
        "Work every summary the hub and national figures read out again from the records: "
        "hub areas, schools' pathways, hub years, and hub years of action plans. The services "
        "keep them up to date; run this after changing records outside them (SQL, a restore). "
        "Running it when they are right changes nothing."
    )

    def handle(self, *args, **options):
        counts = {**rebuild_areas(), **rebuild_work_groups(), **rebuild_plans()}
        made = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Summaries made again: {made}."))
