"""The daily backup: once a day after its time, whatever the number of runs; retention; newest verified."""

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone
from django_q.models import Schedule

from hayat.backup import jobs, services
from hayat.backup.models import Backup, BackupKind, BackupStatus, VerifyStatus


def test_the_schedules_are_registered_once(db):
    assert set(Schedule.objects.filter(func__startswith="hayat.backup.").values_list("name", flat=True)) == {
        "backup", "verify-newest-backup"}


def test_the_daily_backup_is_made_once_after_its_time(db, backup_settings, clock):
    backup_settings.HAYAT_BACKUP_TIME = "10:30"
    clock.set(timezone.make_aware(datetime(2026, 11, 21, 10, 0)))
    assert jobs.scheduled_backup() == "not due"
    clock.set(timezone.make_aware(datetime(2026, 11, 21, 10, 40)))
    name = jobs.scheduled_backup()
    assert jobs.scheduled_backup() == "not due"
    backup = Backup.objects.get()
    assert (backup.file_name, backup.kind, backup.status) == (name, BackupKind.SCHEDULED, BackupStatus.DONE)
    assert (Path(backup.location) / name).is_file()


def test_retention_keeps_the_newest_days_and_one_a_week(db, backup_settings, clock):
    folder = Path(backup_settings.HAYAT_BACKUP_DIR)
    folder.mkdir(parents=True)
    start = clock.now()
    for day in range(30):
        name = f"hayat-day-{day:02}.zip"
        (folder / name).write_bytes(b"zip")
        Backup.objects.create(file_name=name, location=str(folder), kind=BackupKind.SCHEDULED,
                              status=BackupStatus.DONE, started_at=start - timedelta(days=day))
    (folder / "hayat-manual.zip").write_bytes(b"zip")
    manual = Backup.objects.create(file_name="hayat-manual.zip", location=str(folder), kind=BackupKind.MANUAL,
                                   status=BackupStatus.DONE, started_at=start - timedelta(days=90))

    services.prune(keep_daily=3, keep_weekly=2)

    kept = list(Backup.objects.filter(kind=BackupKind.SCHEDULED).order_by("-started_at"))
    assert [backup.file_name for backup in kept[:3]] == ["hayat-day-00.zip", "hayat-day-01.zip", "hayat-day-02.zip"]
    assert len(kept) == 5
    assert len({backup.started_at.isocalendar()[:2] for backup in kept[3:]}) == 2
    assert sorted(path.name for path in folder.iterdir()) == sorted([b.file_name for b in kept] + [manual.file_name])


def test_the_newest_backup_is_verified_by_its_schedule(db, backup_settings):
    services.back_up_now(by=None)
    assert jobs.verify_newest() == VerifyStatus.VERIFIED
    assert jobs.verify_newest() == "nothing to verify"
