"""Reads for the backup pages, the API and the dashboard panel."""

from __future__ import annotations

from django.db.models import QuerySet

from hayat.backup import folder
from hayat.backup.models import Backup, BackupStatus
from hayat.core.models import AuditEvent


def history() -> QuerySet[Backup]:
    """Every backup, newest first, including archives found in the folder that the database did not know."""
    folder.sync_history()
    return Backup.objects.order_by("-started_at", "-id")


def latest() -> Backup | None:
    return Backup.objects.exclude(status=BackupStatus.RUNNING).order_by("-started_at", "-id").first()


def last_done() -> Backup | None:
    return Backup.objects.filter(status=BackupStatus.DONE).order_by("-started_at", "-id").first()


def recent_restores(limit: int = 5) -> list[AuditEvent]:
    """The last restores, done or failed, as the activity log holds them (a failed one names its error)."""
    return list(AuditEvent.objects.filter(action__in=["backup.restore", "backup.restore_failed"])
                .order_by("-at", "-id")[:limit])
