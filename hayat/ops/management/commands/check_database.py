"""Says in one line which database cannot be reached, so `run.py serve` stops with a message, not a traceback."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _


def database_address() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings["NAME"])
    port = settings.get("PORT") or _("default port")
    return f"{settings.get('HOST') or 'localhost'}:{port}"


class Command(BaseCommand):
    help = "Connect to the configured database and exit non-zero with one plain line when it cannot be reached."

    def handle(self, *args, **options):
        try:
            connection.ensure_connection()
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CommandError(_("Cannot reach the %(vendor)s database at %(address)s (%(reason)s). Is it running, "
                                 "and is DATABASE_URL right?") % {"vendor": connection.display_name,
                                                                   "address": database_address(),
                                                                   "reason": reason}) from None
