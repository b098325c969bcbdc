"""Moving between engines with `manage.py restore`, and a restore killed half-way, in real processes.

SQLite → PostgreSQL → MariaDB → SQLite, each step a restore into a new empty database and a backup of it:
every table and file arrives identical. The engines are those the suite is given (HAYAT_TEST_POSTGRES_URL,
HAYAT_TEST_MARIADB_URL); each gets a database of its own name with `_move` appended.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from hayat.backup import archive, services
from hayat.core import clock
from hayat.core.models import AccessLogEntry
from tests.processes import ROOT, offline, private_environment, start

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]
OTHER_ENGINES = ("HAYAT_TEST_POSTGRES_URL", "HAYAT_TEST_MARIADB_URL")


def manage(env: dict[str, str], *args: str) -> None:
    """manage.py in a child process; migrating a new database may take minutes on a busy machine."""
    subprocess.run(offline("manage.py", *args), check=True, env=env, cwd=ROOT, timeout=1800)


def fresh_database(url: str) -> str:
    """A new empty database beside the one of `url`; returns its URL."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_move"
    if parts.scheme.startswith("postgres"):
        import psycopg

        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}"')
            server.execute(f'CREATE DATABASE "{name}"')
    else:
        import pymysql

        server = pymysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
                                 password=parts.password or "")
        with server.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        server.close()
    return urlunsplit(parts._replace(path="/" + name))


def tables_and_files(path: Path) -> tuple[dict, dict]:
    manifest = archive.read_manifest(path)
    rows = {table["model"]: (table["rows"], table["checksum"]) for table in manifest.tables}
    rows.pop("core.auditevent")  # each restore adds its own record there,
    rows.pop("core.auditchainlink")  # and the chain a link for it
    return rows, {entry["path"]: entry["sha256"] for entry in manifest.files}


def newest_archive(folder: Path) -> Path:
    return max(folder.glob("hayat-*.zip"), key=lambda path: path.stat().st_mtime_ns)


def test_sqlite_to_postgresql_to_mariadb_to_sqlite_keeps_every_row_and_file(hospital, tmp_path):
    first = services.back_up_now(by=None)
    archive_path = Path(first.location) / first.file_name
    expected = tables_and_files(archive_path)
    engines = [fresh_database(os.environ[name]) for name in OTHER_ENGINES if os.environ.get(name)]
    engines.append("sqlite:///" + (tmp_path / "hayat.sqlite3").as_posix())
    for step, url in enumerate(engines):
        data_dir = tmp_path / f"step{step}"
        env = private_environment(data_dir, DATABASE_URL=url)
        manage(env, "restore", str(archive_path), "--no-safety-backup")
        manage(env, "backup", "--reason", f"after the move to {url.split(':')[0]}")
        archive_path = newest_archive(data_dir / "backups")
        assert tables_and_files(archive_path) == expected, url
    assert archive.read_manifest(archive_path).data["engine"] == "sqlite"


def test_a_restore_killed_half_way_leaves_the_previous_data(hospital, tmp_path):
    first = services.back_up_now(by=None)
    AccessLogEntry.objects.bulk_create(AccessLogEntry(at=clock.now(), patient_id=n, what="patient")
                                       for n in range(40_000))
    bigger = services.back_up_now(by=None)
    env = private_environment(tmp_path / "data", DATABASE_URL="sqlite:///" + (tmp_path / "h.sqlite3").as_posix())
    manage(env, "restore", str(Path(first.location) / first.file_name), "--no-safety-backup")
    manage(env, "backup")
    before = tables_and_files(newest_archive(tmp_path / "data" / "backups"))

    restoring = start(env, "manage.py", "restore", str(Path(bigger.location) / bigger.file_name),
                      "--no-safety-backup")
    flag = tmp_path / "data" / "maintenance.json"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not (flag.exists() and '"step": "core.' in flag.read_text("utf-8")):
        time.sleep(0.05)
    restoring.kill()
    restoring.wait()
    assert restoring.returncode != 0, "the restore ended before it could be killed"

    manage(env, "backup")
    assert tables_and_files(newest_archive(tmp_path / "data" / "backups")) == before
