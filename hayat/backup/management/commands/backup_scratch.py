"""Used by verification and by restores of older archives (hayat.backup.scratch), in a scratch database: migrates an
empty database to the archive's migrations, restores the archive into it and compares every table and file with the
manifest, and walks the audit chain up to the head the manifest recorded; with --upgrade-to, migrates the result to
this Hayat's version and writes it as a new archive. Writes its findings as JSON (UTF-8) to --report."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from hayat.backup import archive, audit_chain, loading, migration_state
from hayat.core.errors import DomainError


class Command(BaseCommand):
    help = "Restore an archive into the (scratch) database named by DATABASE_URL and compare it with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("--archive", required=True)
        parser.add_argument("--report", required=True)
        parser.add_argument("--upgrade-to")

    def handle(self, *args, archive: str, report: str, upgrade_to: str | None, **options):
        try:
            problems = self.restore(Path(archive), Path(upgrade_to) if upgrade_to else None)
        except DomainError as error:
            problems = [error.message]
        Path(report).write_text(json.dumps({"problems": problems}, ensure_ascii=False), encoding="utf-8")

    def restore(self, path: Path, upgrade_to: Path | None) -> list[str]:
        manifest = archive.read_manifest(path)
        migration_state.refuse_newer(manifest)
        schema = MigrationExecutor(connection).migrate(migration_state.targets(manifest))
        loading.load(path, manifest, registry=schema.apps)
        media = Path(settings.MEDIA_ROOT)
        archive.extract_media(path, manifest, media)
        problems = [_("file %(path)s differs from the manifest") % {"path": entry["path"]}
                    for entry in manifest.files if sha256_of(media / entry["path"]) != entry["sha256"]]
        if not migration_state.is_older(manifest):  # an older schema's chain is walked once it is restored
            problems += audit_chain.problems_of_restored(manifest.data)
        if upgrade_to and not problems:
            call_command("migrate", verbosity=0)
            data = manifest.data
            archive.write(upgrade_to, archive.Facts(by=data["by"], kind=data["kind"], reason=data["reason"],
                                                    extra={"upgraded_from": data["hayat_version"]}))
        return problems


def sha256_of(path: Path) -> str:
    return archive.file_sha256(path) if path.is_file() else hashlib.sha256(b"missing").hexdigest()
