"""Loads an archive's tables into the current database: all of them or none.

Every archived table is emptied and refilled in one transaction, the loaded rows are checked against the
manifest's counts and checksums, and only then is it committed. A failure, or a process killed half-way,
leaves the previous rows as they were. Sequences are reset afterwards so new rows get fresh ids.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hayat.backup import archive, audit_chain, tables
from hayat.core.errors import DomainError

INSERT_BATCH = 1000


class IncompatibleArchive(DomainError):
    code = "archive_incompatible"


def load(path: Path, manifest: archive.Manifest, *, progress: archive.Progress = lambda percent, what: None) -> None:
    models = models_for(manifest)
    names = [model._meta.db_table for model in models.values()]
    with audit_chain.restoring(), transaction.atomic():
        empty_tables(names)
        with connection.constraint_checks_disabled(), zipfile.ZipFile(path) as source:
            for done, table in enumerate(manifest.tables):
                progress(done * 100 // len(manifest.tables), table["model"])
                insert_rows(models[table["model"]], archive.member_lines(source, table["member"]))
        connection.check_constraints(table_names=names)
        problems = differences_in_database(manifest)
        if problems:
            raise IncompatibleArchive(_("The loaded data differ from the archive: %(problems)s.")
                                      % {"problems": "; ".join(problems)})
        reset_sequences(list(models.values()))


def empty_tables(names: list[str]) -> None:
    """Deletes every row of these tables, in the caller's transaction (PostgreSQL truncates, which it can
    undo too, once the checks that writes earlier in the transaction left pending have run)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in connection.ops.sql_flush(no_style(), names):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def models_for(manifest: archive.Manifest) -> dict[str, type]:
    """The model of each table in the archive, refusing tables or columns this Hayat does not have."""
    here = {model._meta.label_lower: model for model in tables.archived_models()}
    found = {}
    for table in manifest.tables:
        model = here.get(table["model"])
        if model is None or [field.attname for field in tables.columns(model)] != table["columns"]:
            raise IncompatibleArchive(_("The table %(table)s of the archive does not match this Hayat's.")
                                      % {"table": table["model"]})
        found[table["model"]] = model
    return found


def insert_rows(model, lines: Iterator[bytes]) -> None:
    fields = tables.columns(model)
    quote = connection.ops.quote_name
    # Names come from the models and are quoted; the values travel as parameters.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)))
    rows = (prepared(fields, json.loads(line)) for line in lines)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, INSERT_BATCH)):
            cursor.executemany(statement, batch)


def prepared(fields, row: list) -> list:
    return [field.get_db_prep_save(tables.from_portable(field, value), connection)
            for field, value in zip(fields, row, strict=True)]


def differences_in_database(manifest: archive.Manifest) -> list[str]:
    """The tables whose rows in this database differ from the manifest (count or checksum)."""
    models = models_for(manifest)
    problems = []
    for table in manifest.tables:
        found = tables.table_checksum(models[table["model"]])
        if found.rows != table["rows"]:
            problems.append(_("%(table)s has %(found)s rows instead of %(expected)s")
                            % {"table": table["model"], "found": found.rows, "expected": table["rows"]})
        elif found.hexdigest != table["checksum"]:
            problems.append(_("%(table)s has other values") % {"table": table["model"]})
    return problems


def reset_sequences(models: list) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
