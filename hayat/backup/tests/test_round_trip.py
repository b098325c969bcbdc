"""Backup → wipe → restore gives back every row and every file; a damaged archive changes nothing."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from hayat.backup import archive, audit_chain, loading, services, tables
from hayat.backup.models import Backup, BackupStatus, VerifyStatus
from hayat.backup.tests.snapshots import database_snapshot, flip_one_byte, media_snapshot
from hayat.core import append_only
from hayat.core.models import AuditEvent
from hayat.notifications.models import Message

# Restoring drops and re-creates the append-only triggers, which commits on MariaDB: these tests own their data.
pytestmark = pytest.mark.django_db(transaction=True)


def wipe_everything() -> None:
    with audit_chain.restoring(), transaction.atomic():  # foreign keys are checked at the end, as in a restore
        loading.empty_tables([model._meta.db_table for model in tables.archived_models()])
    for path in archive.media_files(Path(settings.MEDIA_ROOT)):
        path.unlink()


def test_every_table_has_rows(hospital):
    empty = [model._meta.label_lower for model in tables.archived_models()
             if not model._base_manager.exists()]
    assert empty == [], f"Add a row for these tables to hayat/backup/tests/filling.py: {empty}"


def test_backup_wipe_restore_gives_identical_rows_and_files_and_new_rows_get_fresh_ids(hospital, admin_user):
    rows, files = database_snapshot(), media_snapshot()
    assert files
    backup = services.back_up_now(by=admin_user, reason="Monthly — ежемесячно")
    manifest = archive.read_manifest(Path(backup.location) / backup.file_name)
    assert {table["model"]: (table["rows"], table["checksum"]) for table in manifest.tables} == rows
    assert {entry["path"]: entry["sha256"] for entry in manifest.files} == files
    assert manifest.data["reason"] == "Monthly — ежемесячно" and "admin1" in manifest.data["by"]
    assert manifest.data["engine"] == connection.vendor and manifest.migrations["backup"]
    assert backup.status == BackupStatus.DONE and backup.size > 0 and len(backup.sha256) == 64
    highest = Message.objects.order_by("-pk").first()
    wipe_everything()
    assert media_snapshot() == {}

    services.restore(path=Path(backup.location) / backup.file_name, by=None, safety_backup=False)

    restored = database_snapshot()
    assert restored.pop("core.auditevent")[0] == rows.pop("core.auditevent")[0] + 1  # the restore's own record
    assert restored == rows
    assert media_snapshot() == files
    assert "intact up to row" in AuditEvent.objects.get(action="backup.restore").note
    added = Message.objects.create(kind=highest.kind, channel=highest.channel, event_key="after the restore",
                                   patient_id=highest.patient_id, recipient="1", language="en", body="new",
                                   created_at=highest.created_at, due_at=highest.due_at)
    assert added.pk > highest.pk


def test_a_whole_archive_verifies_and_a_flipped_byte_fails_verification_and_restore_refuses_it(hospital):
    backup = services.verify(services.back_up_now(by=None))
    assert (backup.verify_status, backup.verify_problems) == (VerifyStatus.VERIFIED, "")
    assert backup.verified_at is not None
    path = Path(backup.location) / backup.file_name
    damaged = flip_one_byte(path)
    rows, files = database_snapshot(), media_snapshot()

    verified = services.verify(backup)
    assert verified.verify_status == VerifyStatus.DIFFERS
    assert damaged.removeprefix("tables/").removesuffix(".jsonl") in verified.verify_problems

    with pytest.raises(archive.DamagedArchive):
        services.restore(path=path, by=None, safety_backup=False)
    assert database_snapshot() == rows and media_snapshot() == files
    assert Backup.objects.filter(kind="before_restore").count() == 0


def test_an_archive_of_a_rewritten_audit_trail_fails_verification_and_its_restore_says_where(hospital):
    event = AuditEvent.objects.order_by("pk").first()
    with connection.cursor() as cursor:  # what a database administrator could do: triggers off, a row rewritten
        for statement in append_only.removal(connection.vendor):
            cursor.execute(statement)
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["patient.view", event.pk])  # noqa: S608
        for statement in append_only.creation(connection):
            cursor.execute(statement)

    backup = services.verify(services.back_up_now(by=None))

    assert backup.verify_status == VerifyStatus.DIFFERS
    assert "the audit trail" in backup.verify_problems and f" {event.pk} was changed" in backup.verify_problems
    services.restore(path=Path(backup.location) / backup.file_name, by=None, safety_backup=False)
    assert f" {event.pk} was changed" in AuditEvent.objects.get(action="backup.restore").note
