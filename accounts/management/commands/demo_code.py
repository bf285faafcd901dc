"""The demo logins' authenticator code, for signing in to the demo as a staff role."""

import time

from allauth.mfa import app_settings
from django.core.management.base import BaseCommand

from accounts.demo import demo_code


class Command(BaseCommand):
    help = "Print the demo staff logins' current authenticator code."

    def handle(self, *args, **options):
        left = app_settings.TOTP_PERIOD - int(time.time()) % app_settings.TOTP_PERIOD
        self.stdout.write(f"{demo_code()}  (changes in {left} s)")
