"""`manage.py backup [--reason ...]`: writes a backup archive into HAYAT_BACKUP_DIR now and prints its name."""

from django.core.management.base import BaseCommand, CommandError

from hayat.backup import services
from hayat.core.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive in HAYAT_BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--reason", default="", help="why this backup is made (kept in its manifest)")

    def handle(self, *args, reason: str, **options):
        try:
            backup = services.back_up_now(by=None, reason=reason)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{backup.location}/{backup.file_name}  {backup.size} bytes  sha256 {backup.sha256}")
