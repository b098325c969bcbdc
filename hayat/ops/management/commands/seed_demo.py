"""Loads the demo hospital and prints the demo logins. Safe to run again: it only adds what is missing.

Each app may have a `demo.py` with `seed()`; they run in INSTALLED_APPS order (lower apps first),
each in its own transaction. The accounts app's seed returns the logins printed at the end.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hayat.core.discovery import app_modules


class Command(BaseCommand):
    help = "Create demo data (departments, staff of every role, rooms, patients ...) unless it exists."

    def handle(self, *args, **options):
        logins = []
        for module in app_modules("demo"):
            with transaction.atomic():
                logins = module.seed() or logins
        self.stdout.write("\nDemo logins (change them before real use):")
        self.stdout.write(f"  {'Role':<14}{'User ID':<12}Password")
        for role, user_id, password in logins:
            self.stdout.write(f"  {role:<14}{user_id:<12}{password}")
        self.stdout.write("")
