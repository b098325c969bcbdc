"""An archive of an older Hayat is brought up to this one's migrations before it is restored; one of a newer Hayat
is refused.

The older archive is made as an older Hayat wrote it: a backup of today's database with the last migration of the
room types (facilities 0004, which added what a type is used for and set it from the rooms' wards) taken out of
its manifest and that migration's column taken out of its rows, with the counts, checksums and hashes of the
manifest made to match again.
"""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from hayat.backup import archive, services, tables
from hayat.backup.loading import IncompatibleArchive
from hayat.backup.tests.snapshots import database_snapshot, media_snapshot
from hayat.facilities.models import Room, RoomType, RoomUse

# Restoring drops and re-creates the append-only triggers, which commits on MariaDB: these tests own their data.
pytestmark = pytest.mark.django_db(transaction=True)

LATER_MIGRATION = ("facilities", "0004_room_type_use")
ITS_COLUMNS = ("use",)


def rewritten(source: Path, target: Path, *, change_manifest, change_table=lambda table, lines: lines) -> Path:
    """A copy of the archive with its manifest and table members changed, the manifest's checks made true again."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        manifest = json.loads(old.read(archive.MANIFEST))
        for table in manifest["tables"]:
            lines = change_table(table, [line for line in old.read(table["member"]).splitlines(keepends=True)])
            checksum = tables.checksum_of(lines)
            data = b"".join(lines)
            table.update(rows=checksum.rows, checksum=checksum.hexdigest, sha256=hashlib.sha256(data).hexdigest())
            new.writestr(table["member"], data)
        for item in old.infolist():
            if item.filename.startswith("media/"):
                new.writestr(item, old.read(item))
        change_manifest(manifest)
        new.writestr(archive.MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return target


def before_the_later_migration(manifest: dict) -> None:
    app, name = LATER_MIGRATION
    manifest["migrations"][app].remove(name)


def without_its_columns(table: dict, lines: list[bytes]) -> list[bytes]:
    if table["model"] != "facilities.roomtype":
        return lines
    kept = [index for index, column in enumerate(table["columns"]) if column not in ITS_COLUMNS]
    table["columns"] = [table["columns"][index] for index in kept]
    return [tables.canonical_line([row[index] for index in kept]) for row in map(json.loads, lines)]


def test_an_older_archive_is_migrated_after_loading(hospital, tmp_path):
    RoomType.objects.update(use=RoomUse.SANATORIUM)  # the value only the later migration's column holds
    in_wards = set(Room.objects.filter(ward__isnull=False).values_list("room_type_id", flat=True))
    assert in_wards and in_wards != set(RoomType.objects.values_list("pk", flat=True))
    backup = services.back_up_now(by=None)
    rows, files = database_snapshot(), media_snapshot()
    older = rewritten(Path(backup.location) / backup.file_name, tmp_path / "hayat-older.zip",
                      change_manifest=before_the_later_migration, change_table=without_its_columns)
    assert archive.differences_in_archive(older) == []  # a whole archive, as the older Hayat wrote it

    services.restore(path=older, by=None, safety_backup=False)

    uses = dict(RoomType.objects.values_list("pk", "use"))  # the rows went through the migration and its data step
    assert uses == {pk: RoomUse.HOSPITAL if pk in in_wards else RoomUse.SANATORIUM for pk in uses}
    restored = database_snapshot()
    for table in ("facilities.roomtype", "core.auditevent", "core.auditchainlink"):  # migrated, and the restore's
        restored.pop(table), rows.pop(table)  # own record with its link
    assert restored == rows and media_snapshot() == files


def test_an_archive_of_a_newer_hayat_is_refused_with_a_clear_message_and_changes_nothing(db, backup_settings,
                                                                                          tmp_path):
    backup = services.back_up_now(by=None)

    def from_the_future(manifest: dict) -> None:
        manifest["migrations"]["stays"].append("0099_from_the_future")
        manifest["hayat_version"] = "9.0"

    newer = rewritten(Path(backup.location) / backup.file_name, tmp_path / "hayat-newer.zip",
                      change_manifest=from_the_future)
    rows = database_snapshot()
    with pytest.raises(IncompatibleArchive, match=r"newer Hayat \(version 9\.0\).*stays\.0099_from_the_future"):
        services.restore(path=newer, by=None, safety_backup=False)
    assert database_snapshot() == rows
