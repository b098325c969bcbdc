"""`manage.py restore ARCHIVE`: replaces the database named by DATABASE_URL and the uploaded files with an
archive's. With a new DATABASE_URL (another engine) this is how Hayat moves between SQLite, PostgreSQL and
MariaDB/MySQL: the empty database is migrated first, the archive loaded, sequences reset."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from hayat.backup import services
from hayat.core.errors import DomainError


class Command(BaseCommand):
    help = "Restore a backup archive into the database of DATABASE_URL (also the way to move to another engine)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--no-safety-backup", action="store_true",
                            help="skip the backup of the current data (e.g. an empty new database)")

    def handle(self, *args, archive: str, no_safety_backup: bool, **options):
        path = Path(archive).resolve()
        if not path.is_file():
            raise CommandError(f"No archive at {path}")
        call_command("migrate", verbosity=0)
        try:
            services.restore(path=path, by=None, safety_backup=not no_safety_backup)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Restored {path.name}.")
