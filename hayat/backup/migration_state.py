"""How an archive's migrations compare with this Hayat's: the same, older (brought up to date), or newer (refused)."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from hayat.backup.archive import Manifest
from hayat.backup.loading import IncompatibleArchive

Node = tuple[str, str]


def archived(manifest: Manifest) -> set[Node]:
    return {(app, name) for app, names in manifest.migrations.items() for name in names}


def refuse_newer(manifest: Manifest) -> None:
    unknown = archived(manifest) - set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    if unknown:
        raise IncompatibleArchive(
            _("This archive was made by a newer Hayat (version %(version)s): its database has changes this Hayat "
              "does not know (%(migrations)s). Install that version of Hayat or a later one, then restore.")
            % {"version": manifest.data.get("hayat_version", "?"),
               "migrations": ", ".join(f"{app}.{name}" for app, name in sorted(unknown)[:5])})


def is_older(manifest: Manifest) -> bool:
    return archived(manifest) != set(MigrationRecorder(connection).applied_migrations())


def targets(manifest: Manifest) -> list[Node]:
    """The last migration of each app in the archive: migrating a new database to these gives its schema."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    nodes = archived(manifest)
    return [node for node in sorted(nodes)
            if not any(child in nodes and child[0] == node[0] for child in graph.node_map[node].children)]
