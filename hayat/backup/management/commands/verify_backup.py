"""`manage.py verify_backup [FILE]`: verifies an archive of the backup folder (default the newest) by restoring it
into a scratch database; prints what differs, and fails when anything does."""

from django.core.management.base import BaseCommand, CommandError

from hayat.backup import folder, services
from hayat.backup.models import Backup, BackupStatus, VerifyStatus


class Command(BaseCommand):
    help = "Verify a backup archive (default: the newest) by restoring it into a scratch database."

    def add_arguments(self, parser):
        parser.add_argument("file_name", nargs="?")

    def handle(self, *args, file_name: str | None, **options):
        folder.sync_history()
        backups = Backup.objects.filter(status=BackupStatus.DONE)
        backup = backups.filter(file_name=file_name).first() if file_name else backups.first()
        if backup is None:
            raise CommandError("No such backup in the backup folder.")
        backup = services.verify(backup)
        if backup.verify_status != VerifyStatus.VERIFIED:
            raise CommandError(f"{backup.file_name} differs:\n{backup.verify_problems}")
        self.stdout.write(f"{backup.file_name} verified.")
