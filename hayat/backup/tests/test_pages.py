"""The backup pages and API: only Admin; history with failures; typed confirmation; maintenance for others."""

import time
from pathlib import Path

import pytest

from hayat.backup import archive, maintenance, services
from hayat.backup.models import Backup, BackupKind, BackupStatus


@pytest.fixture
def done_backup(db, backup_settings):
    return services.back_up_now(by=None, reason="nightly")


def test_it_starts_a_backup_from_the_page_for_the_worker(client_as, admin_user, backup_settings,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_as(admin_user).post("/backup/", {"reason": "before the upgrade"})
    assert response.status_code == 302
    backup = Backup.objects.get()
    assert (backup.status, backup.kind) == (BackupStatus.RUNNING, BackupKind.MANUAL)
    assert backup.reason == "before the upgrade"
    assert "admin1" in backup.by and len(callbacks) == 1


def test_the_history_shows_a_failure_with_its_error_and_the_dashboard_warns(client_as, admin_user, backup_settings,
                                                                             monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(archive, "write", disk_full)
    with pytest.raises(OSError):
        services.back_up_now(by=admin_user)
    failed = Backup.objects.get()
    assert failed.status == BackupStatus.FAILED and "No space left" in failed.error
    assert not list(Path(backup_settings.HAYAT_BACKUP_DIR).glob("*"))  # no half-written archive stays

    page = client_as(admin_user).get("/backup/").content.decode()
    assert "No space left on device" in page
    dashboard = client_as(admin_user).get("/").content.decode()
    assert "failed" in dashboard and "No space left on device" in dashboard


def test_archives_in_the_folder_are_listed_even_when_the_database_forgot_them(client_as, admin_user, done_backup):
    Backup.objects.all().delete()  # as after restoring an older backup
    page = client_as(admin_user).get("/backup/").content.decode()
    assert done_backup.file_name in page and "nightly" in page
    found = Backup.objects.get(file_name=done_backup.file_name)
    assert (found.status, found.sha256, found.kind) == (BackupStatus.DONE, done_backup.sha256, BackupKind.MANUAL)


def test_only_admin_may_see_download_or_restore_backups(client_as, receptionist, api_as, done_backup):
    desk = client_as(receptionist)
    assert desk.get("/backup/").status_code == 403
    assert desk.get(f"/backup/{done_backup.pk}/download/").status_code == 403
    assert desk.post(f"/backup/{done_backup.pk}/restore/", {"confirmation": done_backup.file_name}).status_code == 403
    assert api_as(receptionist).get("/api/backups/").status_code == 403
    assert not maintenance.active()


def test_admin_downloads_an_archive_by_page_and_api(client_as, admin_user, api_as, done_backup):
    response = client_as(admin_user).get(f"/backup/{done_backup.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    api = api_as(admin_user).get(f"/api/backups/{done_backup.pk}/download/")
    assert api.status_code == 200
    listed = api_as(admin_user).get("/api/backups/").json()["results"]
    assert [row["file_name"] for row in listed] == [done_backup.file_name]


@pytest.mark.parametrize("accept", ["application/zip", "application/octet-stream", "*/*"])
def test_the_api_download_answers_the_archive_to_its_real_type(api_as, admin_user, done_backup, accept):
    response = api_as(admin_user).get(f"/api/backups/{done_backup.pk}/download/", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    schema = api_as(admin_user).get("/api/schema/", {"format": "json"}).json()
    assert list(schema["paths"]["/api/backups/{id}/download/"]["get"]["responses"]["200"]["content"]) == [
        "application/zip"]


def test_a_restore_needs_the_archive_name_typed(client_as, admin_user, done_backup):
    response = client_as(admin_user).post(f"/backup/{done_backup.pk}/restore/", {"confirmation": "yes"})
    assert response.status_code == 200 and "Type the archive" in response.content.decode()
    assert not maintenance.active()


def test_during_a_restore_others_see_the_maintenance_page_and_admin_follows_it(client_as, admin_user, receptionist,
                                                                                done_backup, monkeypatch, client):
    enqueued = []
    monkeypatch.setattr(services, "async_task", lambda *args: enqueued.append(args))
    response = client_as(admin_user).post(f"/backup/{done_backup.pk}/restore/",
                                          {"confirmation": done_backup.file_name})
    assert response.status_code == 302 and response["Location"] == "/backup/restore/"
    assert enqueued == [("hayat.backup.jobs.restore", str(Path(done_backup.location) / done_backup.file_name),
                         admin_user.pk)]
    try:
        status = client.get("/backup/restore/")
        assert status.status_code == 200 and done_backup.file_name in status.content.decode()
        client.force_login(receptionist)
        assert client.get("/patients/").status_code == 503
    finally:
        maintenance.end()
    assert client.get("/patients/").status_code == 200


def test_the_worker_holds_other_jobs_back_while_a_restore_runs(monkeypatch):
    answers = iter([True, True, False])
    monkeypatch.setattr(maintenance, "active", lambda: next(answers))
    monkeypatch.setattr(maintenance, "WAIT_SECONDS", 0)
    maintenance.hold_jobs_during_maintenance(None, func=lambda: None, task={})
    assert next(answers, "used up") == "used up"  # it asked until the flag was gone

    from hayat.backup import jobs

    monkeypatch.setattr(maintenance, "active", lambda: pytest.fail("the restore itself never waits"))
    maintenance.hold_jobs_during_maintenance(None, func=jobs.restore, task={})


def test_a_flag_left_by_a_killed_restore_stops_holding_anyone_back(backup_settings, clock):
    maintenance.begin(by="admin", archive="hayat-old.zip")
    assert maintenance.active()
    clock.advance(minutes=6)
    assert not maintenance.active()
    maintenance.end()


def test_a_running_restore_keeps_its_flag_fresh(backup_settings, clock, monkeypatch):
    monkeypatch.setattr(maintenance, "HEARTBEAT_SECONDS", 0.01)
    with maintenance.held(by="admin", archive="hayat-old.zip"):
        clock.advance(minutes=6)
        deadline = time.monotonic() + 10
        while not maintenance.active() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert maintenance.active()
    assert maintenance.state() is None
