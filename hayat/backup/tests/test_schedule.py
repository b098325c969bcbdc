"""The daily backup: its schedule set by Admin; once a day after its time, whatever the number of runs; retention
by the schedule; the newest backup verified."""

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_q.models import Schedule

from hayat.backup import jobs, services
from hayat.backup.models import Backup, BackupKind, BackupSchedule, BackupStatus, VerifyStatus
from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent


def test_the_schedules_are_registered_once(db):
    assert set(Schedule.objects.filter(func__startswith="hayat.backup.").values_list("name", flat=True)) == {
        "backup", "verify-newest-backup"}


def test_admin_sets_the_schedule_on_the_page_and_the_change_is_audited(client_as, admin_user, backup_settings):
    page = client_as(admin_user)
    assert page.get("/backup/schedule/").status_code == 200
    response = page.post("/backup/schedule/", {"time": "03:15", "keep_daily": "5", "keep_weekly": "2"})
    assert response.status_code == 302
    schedule = BackupSchedule.objects.get()
    assert (schedule.time, schedule.keep_daily, schedule.keep_weekly) == (time(3, 15), 5, 2)
    event = AuditEvent.objects.get(action="backup.schedule")
    assert event.changes["keep_daily"][1] == "5" and "admin1" in schedule.updated_by
    assert "03:15" in page.get("/backup/").content.decode()


def test_a_bad_schedule_is_refused_with_a_message_and_changes_nothing(client_as, admin_user, backup_settings):
    for bad in ({"time": "25:00", "keep_daily": "5", "keep_weekly": "2"},
                {"time": "03:00", "keep_daily": "0", "keep_weekly": "2"},
                {"time": "03:00", "keep_daily": "5", "keep_weekly": "-1"}):
        response = client_as(admin_user).post("/backup/schedule/", bad)
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not BackupSchedule.objects.exists() and not AuditEvent.objects.filter(action="backup.schedule").exists()
    with pytest.raises(DomainError):
        services.update_schedule(by=admin_user, time=time(3), keep_daily=400, keep_weekly=1)


def test_the_daily_backup_is_made_once_after_its_time(db, backup_settings, admin_user, clock):
    services.update_schedule(by=admin_user, time=time(10, 30), keep_daily=7, keep_weekly=4)
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


def test_the_daily_backup_prunes_by_the_schedule_set_by_admin(db, backup_settings, admin_user, clock):
    services.update_schedule(by=admin_user, time=time(1, 0), keep_daily=2, keep_weekly=1)
    folder = Path(backup_settings.HAYAT_BACKUP_DIR)
    folder.mkdir(parents=True)
    today = timezone.make_aware(datetime(2026, 11, 21, 2, 0))
    for days in range(1, 15):
        name = f"hayat-day-{days:02}.zip"
        (folder / name).write_bytes(b"zip")
        Backup.objects.create(file_name=name, location=str(folder), kind=BackupKind.SCHEDULED,
                              status=BackupStatus.DONE, started_at=today - timedelta(days=days))
    clock.set(today)

    made = jobs.scheduled_backup()

    kept = list(Backup.objects.filter(kind=BackupKind.SCHEDULED).values_list("file_name", flat=True))
    assert kept == [made, "hayat-day-01.zip", "hayat-day-02.zip"]  # two daily, then one of an older week
    assert sorted(path.name for path in folder.iterdir()) == sorted(kept)


def test_the_newest_backup_is_verified_by_its_schedule(db, backup_settings):
    services.back_up_now(by=None)
    assert jobs.verify_newest() == VerifyStatus.VERIFIED
    assert jobs.verify_newest() == "nothing to verify"
