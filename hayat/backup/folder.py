"""The backup folder as the source of truth for the history: archives found there are listed even when the
database does not know them (after a restore, a move to another engine, or a copy from another server)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings

from hayat.backup import archive
from hayat.backup.models import Backup, BackupKind, BackupStatus
from hayat.core.errors import DomainError

PATTERN = "hayat-*.zip"


def backup_dir() -> Path:
    return Path(settings.HAYAT_BACKUP_DIR)


def archives() -> list[Path]:
    folder = backup_dir()
    return sorted(folder.glob(PATTERN)) if folder.is_dir() else []


def sync_history() -> int:
    """Adds a history row for each archive of the folder the database does not know; returns how many."""
    known = set(Backup.objects.values_list("file_name", flat=True))
    added = 0
    for path in archives():
        if path.name not in known:
            Backup.objects.create(**row_from_archive(path))
            added += 1
    return added


def row_from_archive(path: Path) -> dict:
    row = {"file_name": path.name, "location": str(path.parent), "size": path.stat().st_size,
           "finished_at": datetime.fromtimestamp(path.stat().st_mtime).astimezone()}
    try:
        manifest = archive.read_manifest(path)
    except DomainError as error:
        return {**row, "kind": BackupKind.MANUAL, "status": BackupStatus.FAILED, "error": error.message,
                "started_at": row["finished_at"]}
    data = manifest.data
    return {**row, "kind": data["kind"], "status": BackupStatus.DONE, "by": data["by"], "reason": data["reason"],
            "started_at": datetime.fromisoformat(data["created_at"]), "hayat_version": data["hayat_version"],
            "engine": data["engine"], "sha256": archive.file_sha256(path), "progress": 100}
