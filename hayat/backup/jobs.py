"""Jobs of the backup app, run by the worker: the writing, verifying and restoring handed over by the pages,
and the scheduled daily backup with its retention, and the verification of the newest backup."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.utils import timezone

from hayat.accounts.models import User
from hayat.backup import folder, services
from hayat.backup.models import Backup, BackupKind, BackupSchedule, BackupStatus, VerifyStatus
from hayat.core import clock
from hayat.core.errors import Conflict

JOBS = ("write", "verify", "restore", "scheduled_backup", "verify_newest")


def write(backup_id: int) -> None:
    services.write(Backup.objects.get(pk=backup_id))


def verify(backup_id: int) -> None:
    services.verify(Backup.objects.get(pk=backup_id))


def restore(path: str, by_id: int | None) -> None:
    services.restore(path=Path(path), by=User.objects.filter(pk=by_id).first() if by_id else None)


def scheduled_backup() -> str:
    """Runs every few minutes; makes the day's backup once the scheduled time has passed, then prunes by the
    schedule's retention. The day's unique key makes a second run (or a second worker) do nothing."""
    now = timezone.localtime(clock.now())
    due = datetime.combine(now.date(), BackupSchedule.current().time, now.tzinfo)
    if now < due or Backup.objects.filter(scheduled_for=now.date()).exists():
        return "not due"
    try:
        backup = services.back_up_now(by=None, kind=BackupKind.SCHEDULED, scheduled_for=now.date())
    except Conflict:
        return "made by another run"
    services.prune_by_schedule()
    return backup.file_name


def verify_newest() -> str:
    folder.sync_history()
    newest = Backup.objects.filter(status=BackupStatus.DONE).first()
    if newest is None or newest.verify_status == VerifyStatus.VERIFIED:
        return "nothing to verify"
    return services.verify(newest).verify_status
