"""Fill an empty database with demo data and one demo login per role."""

import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_second_factors
from actionplans import demo as actionplans_demo
from enrolment import demo as enrolment_demo
from schools import demo as schools_demo
from schools.models import School
from workgroups import demo as workgroups_demo

# Each app adds its demo data in pathway order; each step gets what the earlier ones made.
# actionplans stays last: it writes a plan for every participation the steps before it placed.
STEPS = [schools_demo.seed, workgroups_demo.seed, enrolment_demo.seed, actionplans_demo.seed]


class Command(BaseCommand):
    help = "Create demo data and demo logins (one per role)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=schools_demo.SCALES,
            default="small",
            help="small: three hubs; hub: one full hub area; national: every hub and school.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds schools.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable).")

    def handle(self, *args, scale, if_empty, seed, **options):
        if if_empty and School.objects.exists():
            self.stdout.write("The database already holds data; demo data not loaded again.")
        else:
            context = {"scale": scale, "rng": random.Random(seed), "stdout": self.stdout}
            with transaction.atomic():
                for step in STEPS:
                    context.update(step(**context) or {})
                # The demo writes participations in bulk: the summaries are made from them once.
                call_command("rebuild_summaries", stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded at '{scale}' scale."))
        with_code = {user.email for user in demo_second_factors()}
        self.stdout.write(f"Demo logins (password for each: {DEMO_PASSWORD}):")
        for role, email, _ in DEMO_LOGINS.values():
            second = "  + authenticator code" if email in with_code else ""
            self.stdout.write(f"  {role:<20} {email}{second}")
        if with_code:
            self.stdout.write(
                "Staff roles sign in with a second factor. The demo authenticator's code: "
                "`make code` (or `python manage.py demo_code`); or add the secret "
                f"{DEMO_TOTP_SECRET} to an authenticator app."
            )
