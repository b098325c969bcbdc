"""Backups, verification and restores: every write of the backup app, for the pages, the API, the commands and
the jobs alike. A user-driven use case checks `ops.backup`; commands and scheduled jobs act as the system
(by=None), since whoever runs them already holds the server."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from datetime import time as time_of_day
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from hayat.backup import archive, audit_chain, folder, loading, maintenance, migration_state, scratch
from hayat.backup.models import (
    KEEP_DAILY_AT_MOST,
    KEEP_WEEKLY_AT_MOST,
    Backup,
    BackupKind,
    BackupSchedule,
    BackupStatus,
    VerifyStatus,
)
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError


def ensure_may_back_up(by) -> None:
    if by is not None:
        policy.ensure(by, "ops.backup")


def new_row(*, by, kind: str, reason: str, scheduled_for: date | None = None) -> Backup:
    """The history row of a backup about to be written, with a file name no other backup has."""
    started = clock.now()
    stem = f"hayat-{started:%Y%m%d-%H%M%S}-{kind.replace('_', '-')}"
    for attempt in range(1, 100):
        name = f"{stem}.zip" if attempt == 1 else f"{stem}-{attempt}.zip"
        try:
            with transaction.atomic():
                return Backup.objects.create(file_name=name, location=str(folder.backup_dir()), kind=kind,
                                             reason=reason, by=audit.actor_label(by), started_at=started,
                                             scheduled_for=scheduled_for)
        except IntegrityError:
            if scheduled_for is not None and Backup.objects.filter(scheduled_for=scheduled_for).exists():
                raise Conflict(_("The scheduled backup of this day exists already.")) from None
    raise Conflict(_("No free name for a new backup file."))


@transaction.atomic
def start_backup(*, by, reason: str = "") -> Backup:
    """Records a manual backup and hands the writing to the worker (the page follows its progress)."""
    ensure_may_back_up(by)
    backup = new_row(by=by, kind=BackupKind.MANUAL, reason=reason)
    audit.record("backup.start", by=by, obj=backup, note=reason)
    transaction.on_commit(lambda: async_task("hayat.backup.jobs.write", backup.pk))
    return backup


def back_up_now(*, by, kind: str = BackupKind.MANUAL, reason: str = "", scheduled_for: date | None = None) -> Backup:
    """Writes a backup in this process (commands, scheduled jobs, the safety backup before a restore)."""
    ensure_may_back_up(by)
    backup = new_row(by=by, kind=kind, reason=reason, scheduled_for=scheduled_for)
    return write(backup)


def write(backup: Backup) -> Backup:
    """Writes the archive of a recorded backup; a failure is recorded as failed, with its error, and raised."""
    target = Path(backup.location) / backup.file_name
    partial = target.with_suffix(".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        manifest = archive.write(partial, archive.Facts(by=backup.by, kind=backup.kind, reason=backup.reason),
                                 progress=lambda percent, step: report_progress(backup, percent, step))
        partial.replace(target)
    except Exception as error:
        partial.unlink(missing_ok=True)
        Backup.objects.filter(pk=backup.pk).update(status=BackupStatus.FAILED, error=str(error) or repr(error),
                                                   finished_at=clock.now())
        raise
    Backup.objects.filter(pk=backup.pk).update(
        status=BackupStatus.DONE, finished_at=clock.now(), size=target.stat().st_size, progress=100, step="",
        sha256=archive.file_sha256(target), hayat_version=manifest.data["hayat_version"],
        engine=manifest.data["engine"])
    backup.refresh_from_db()
    return backup


def report_progress(backup: Backup, percent: int, step: str) -> None:
    if percent != backup.progress or not backup.step:
        backup.progress, backup.step = percent, step[:200]
        Backup.objects.filter(pk=backup.pk).update(progress=percent, step=backup.step)


def archive_path(backup: Backup) -> Path:
    path = Path(backup.location) / backup.file_name
    if backup.status != BackupStatus.DONE or not path.is_file():
        raise DomainError(_("The archive %(name)s is not in its folder.") % {"name": backup.file_name})
    return path


@transaction.atomic
def start_verify(*, backup: Backup, by) -> Backup:
    ensure_may_back_up(by)
    archive_path(backup)
    Backup.objects.filter(pk=backup.pk).update(verify_status=VerifyStatus.RUNNING)
    audit.record("backup.verify", by=by, obj=backup)
    transaction.on_commit(lambda: async_task("hayat.backup.jobs.verify", backup.pk))
    backup.refresh_from_db()
    return backup


def verify(backup: Backup) -> Backup:
    """Checks every table and file of the archive against its manifest, then restores it into a scratch
    database and compares what was loaded; records verified, or what differs."""
    try:
        path = archive_path(backup)
        problems = archive.differences_in_archive(path)
        if archive.file_sha256(path) != backup.sha256:
            problems.insert(0, _("the archive's SHA-256 differs from the one recorded when it was written"))
        if not problems:
            problems = scratch.restore_into_scratch(path)
    except DomainError as error:
        problems = [error.message]
    Backup.objects.filter(pk=backup.pk).update(
        verify_status=VerifyStatus.DIFFERS if problems else VerifyStatus.VERIFIED, verified_at=clock.now(),
        verify_problems="\n".join(problems))
    backup.refresh_from_db()
    return backup


def start_restore(*, backup: Backup, by, confirmation: str) -> None:
    """Puts Hayat in maintenance and hands the restore to the worker, once the Admin typed the file's name."""
    ensure_may_back_up(by)
    if confirmation.strip() != backup.file_name:
        raise DomainError(_("Type the archive's name exactly to confirm the restore."), field="confirmation")
    path = archive_path(backup)
    if maintenance.active():
        raise Conflict(_("A restore is running already."))
    migration_state.refuse_newer(archive.read_manifest(path))  # the whole archive is checked by the job
    maintenance.begin(by=audit.actor_label(by), archive=backup.file_name)
    async_task("hayat.backup.jobs.restore", str(path), getattr(by, "pk", None))


def check_restorable(path: Path) -> archive.Manifest:
    """The manifest of an archive that may be restored here: whole, and made by this Hayat or an older one."""
    manifest = archive.read_manifest(path)
    migration_state.refuse_newer(manifest)
    problems = archive.differences_in_archive(path)
    if problems:
        raise archive.DamagedArchive(_("The archive is damaged and was not restored: %(problems)s.")
                                     % {"problems": "; ".join(problems)})
    return manifest


def restore(*, path: Path, by, safety_backup: bool = True) -> None:
    """Replaces the database and the uploaded files with the archive's, all or nothing.

    A safety backup of the current data comes first; an archive of an older Hayat is brought up to this
    one's migrations in a scratch database first. Hayat stays in maintenance until the end.
    """
    ensure_may_back_up(by)
    manifest = check_restorable(path)
    with maintenance.held(by=audit.actor_label(by), archive=path.name):
        try:
            if safety_backup:
                maintenance.update(step=_("Safety backup of the current data"))
                back_up_now(by=by, kind=BackupKind.BEFORE_RESTORE,
                            reason=_("Before restoring %(name)s") % {"name": path.name})
            loaded = replace_everything(path, manifest)
            maintenance.update(step=_("Walking the restored audit trail"))
            chain = audit_chain.check_restored(loaded.data)
        except Exception as error:
            audit.record("backup.restore_failed", by=by, note=f"{path.name}: {error}")
            raise
        folder.sync_history()
        audit.record("backup.restore", by=by, note=f"{path.name}: {chain}" if chain else path.name)


def replace_everything(path: Path, manifest: archive.Manifest) -> archive.Manifest:
    """The database in one transaction, then the uploaded files; an older archive brought up to date first.
    Returns the manifest of what was loaded."""
    with tempfile.TemporaryDirectory(prefix="hayat-restore-", dir=staging_parent()) as work:
        if migration_state.is_older(manifest):
            maintenance.update(step=_("Bringing the archive up to this Hayat's version"))
            path = scratch.upgrade(path, Path(work) / "upgraded.zip")
            manifest = archive.read_manifest(path)
        staged_media = Path(work) / "media"
        staged_media.mkdir()
        archive.extract_media(path, manifest, staged_media)
        loading.load(path, manifest, progress=lambda percent, step: maintenance.update(percent=percent, step=step))
        swap_media(staged_media)
    return manifest


def staging_parent() -> Path:
    """Files are staged beside MEDIA_ROOT, so swapping them in is a rename on the same disk."""
    parent = Path(settings.MEDIA_ROOT).parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def swap_media(staged: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    previous = media.with_name(media.name + ".before-restore")
    shutil.rmtree(previous, ignore_errors=True)
    if media.exists():
        media.rename(previous)
    staged.rename(media)
    shutil.rmtree(previous, ignore_errors=True)


def prune(*, keep_daily: int, keep_weekly: int) -> list[str]:
    """Deletes scheduled archives beyond the newest `keep_daily` and, older than those, one per week for
    `keep_weekly` weeks. Manual and safety backups are kept until an Admin deletes them."""
    scheduled = list(Backup.objects.filter(kind=BackupKind.SCHEDULED, status=BackupStatus.DONE)
                     .order_by("-started_at"))
    kept = {backup.pk for backup in scheduled[:keep_daily]}
    weeks: set[tuple[int, int]] = set()
    for backup in scheduled[keep_daily:]:
        week = backup.started_at.isocalendar()[:2]
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            kept.add(backup.pk)
    removed = []
    for backup in scheduled:
        if backup.pk not in kept:
            (Path(backup.location) / backup.file_name).unlink(missing_ok=True)
            removed.append(backup.file_name)
            backup.delete()
    if removed:
        audit.record("backup.prune", by=None, note=", ".join(removed))
    return removed


@transaction.atomic
def update_schedule(*, by, time: time_of_day, keep_daily: int, keep_weekly: int) -> BackupSchedule:
    """Sets when the daily backup is made and how many scheduled backups retention keeps."""
    policy.ensure(by, "ops.backup")
    if not 1 <= keep_daily <= KEEP_DAILY_AT_MOST:
        raise DomainError(_("Keep from 1 to %(most)s daily backups.") % {"most": KEEP_DAILY_AT_MOST},
                          field="keep_daily")
    if not 0 <= keep_weekly <= KEEP_WEEKLY_AT_MOST:
        raise DomainError(_("Keep from 0 to %(most)s weekly backups.") % {"most": KEEP_WEEKLY_AT_MOST},
                          field="keep_weekly")
    schedule = BackupSchedule.objects.select_for_update().first() or BackupSchedule.current()
    wanted = {"time": time.replace(second=0, microsecond=0), "keep_daily": keep_daily, "keep_weekly": keep_weekly}
    changes = {name: [str(getattr(schedule, name)), str(value)] for name, value in wanted.items()
               if getattr(schedule, name) != value}
    for name, value in wanted.items():
        setattr(schedule, name, value)
    schedule.updated_at, schedule.updated_by = clock.now(), audit.actor_label(by)
    schedule.save()
    audit.record("backup.schedule", by=by, obj=schedule, changes=changes)
    return schedule


def prune_by_schedule() -> list[str]:
    schedule = BackupSchedule.current()
    return prune(keep_daily=schedule.keep_daily, keep_weekly=schedule.keep_weekly)
