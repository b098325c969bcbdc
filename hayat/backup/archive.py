"""The archive file: one zip with every table as JSON lines, every uploaded file, and a manifest.

    manifest.json           what is inside and how to check it (see `write`)
    tables/<app.model>.jsonl one row per line, columns as listed in the manifest
    media/<path>            the uploaded files as they are in MEDIA_ROOT

Written as a stream (rows in batches, files in chunks), so memory stays constant whatever the size.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from hayat.backup import audit_chain, tables
from hayat.core import clock
from hayat.core.errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
Progress = Callable[[int, str], None]  # (percent done, what is being written)


class DamagedArchive(DomainError):
    code = "archive_damaged"


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def tables(self) -> list[dict]:
        return self.data["tables"]

    @property
    def files(self) -> list[dict]:
        return self.data["files"]

    @property
    def migrations(self) -> dict[str, list[str]]:
        return self.data["migrations"]


@dataclass
class Facts:
    """Who made the archive and why, for its manifest."""

    by: str
    kind: str
    reason: str = ""
    extra: dict = field(default_factory=dict)


def hayat_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hayat")
    except PackageNotFoundError:
        return "unknown"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def write(target: Path, facts: Facts, *, progress: Progress = lambda percent, what: None) -> Manifest:
    """Writes the database and MEDIA_ROOT into `target` (a new file) and returns its manifest."""
    models = tables.archived_models()
    media_root = Path(settings.MEDIA_ROOT)
    files = list(media_files(media_root))
    steps = len(models) + len(files) or 1
    manifest = {
        "format": FORMAT, "hayat_version": hayat_version(), "engine": connection.vendor,
        "created_at": clock.now().isoformat(), "by": facts.by, "kind": facts.kind, "reason": facts.reason,
        "migrations": applied_migrations(), "audit_chain": audit_chain.state(), "tables": [], "files": [],
        **facts.extra,
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True) as archive:
        for done, model in enumerate(models):
            progress(done * 100 // steps, model._meta.label)
            manifest["tables"].append(write_table(archive, model))
        for done, path in enumerate(files, start=len(models)):
            if done % 100 == 0:
                progress(done * 100 // steps, path.name)
            manifest["files"].append(write_file(archive, path, path.relative_to(media_root).as_posix()))
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    progress(100, "")
    return Manifest(manifest)


def write_table(archive: zipfile.ZipFile, model) -> dict:
    member = f"tables/{model._meta.label_lower}.jsonl"
    checksum, digest = tables.TableChecksum(), hashlib.sha256()
    with archive.open(member, "w", force_zip64=True) as out:
        for row in tables.rows_of(model):
            line = tables.canonical_line(row)
            checksum.add(line)
            digest.update(line)
            out.write(line)
    return {"model": model._meta.label_lower, "table": model._meta.db_table, "member": member,
            "columns": [column.attname for column in tables.columns(model)],
            "rows": checksum.rows, "checksum": checksum.hexdigest, "sha256": digest.hexdigest()}


def write_file(archive: zipfile.ZipFile, path: Path, name: str) -> dict:
    digest = hashlib.sha256()
    info = zipfile.ZipInfo.from_file(path, f"media/{name}")
    info.compress_type = zipfile.ZIP_STORED  # photos and PDFs are compressed already
    with path.open("rb") as source, archive.open(info, "w", force_zip64=True) as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return {"path": name, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise DamagedArchive(_("%(name)s cannot be read as a backup archive (%(error)s).")
                             % {"name": path.name, "error": error}) from error


def read_manifest(path: Path) -> Manifest:
    with open_archive(path) as archive:
        return manifest_of(archive, path)


def manifest_of(archive: zipfile.ZipFile, path: Path) -> Manifest:
    try:
        data = json.loads(archive.read(MANIFEST))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        return Manifest(data)
    except (KeyError, ValueError, zipfile.BadZipFile, zlib.error, OSError) as error:
        raise DamagedArchive(_("%(name)s has no readable manifest (%(error)s).")
                             % {"name": path.name, "error": error}) from error


def member_lines(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with archive.open(member) as stream:
        yield from stream


def differences_in_archive(path: Path) -> list[str]:
    """What in the archive's bytes disagrees with its manifest: tables and files whose SHA-256, row count or
    checksum differ, or that cannot be read at all. Empty when the archive is whole."""
    problems: list[str] = []
    with open_archive(path) as archive:
        manifest = manifest_of(archive, path)
        for table in manifest.tables:
            problems += table_problems(archive, table)
        for entry in manifest.files:
            problems += file_problems(archive, entry)
    return problems


def table_problems(archive: zipfile.ZipFile, table: dict) -> list[str]:
    try:
        digest, lines = hashlib.sha256(), tables.TableChecksum()
        for line in member_lines(archive, table["member"]):
            digest.update(line)
            lines.add(line)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        return [_("table %(table)s cannot be read (%(error)s)") % {"table": table["model"], "error": error}]
    if digest.hexdigest() != table["sha256"] or lines.rows != table["rows"] or lines.hexdigest != table["checksum"]:
        return [_("table %(table)s differs from the manifest") % {"table": table["model"]}]
    return []


def file_problems(archive: zipfile.ZipFile, entry: dict) -> list[str]:
    try:
        digest = hashlib.sha256()
        with archive.open(f"media/{entry['path']}") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        return [_("file %(path)s cannot be read (%(error)s)") % {"path": entry["path"], "error": error}]
    if digest.hexdigest() != entry["sha256"]:
        return [_("file %(path)s differs from the manifest") % {"path": entry["path"]}]
    return []


def extract_media(path: Path, manifest: Manifest, target: Path) -> None:
    """Writes the archive's files under `target` (a folder that is then swapped in for MEDIA_ROOT)."""
    with open_archive(path) as archive:
        for entry in manifest.files:
            destination = target / Path(*entry["path"].split("/"))
            if not destination.resolve().is_relative_to(target.resolve()):
                raise DamagedArchive(_("%(name)s names a file outside the uploads folder.") % {"name": path.name})
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"media/{entry['path']}") as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
