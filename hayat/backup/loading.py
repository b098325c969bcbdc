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
from typing import NamedTuple

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hayat.backup import archive, audit_chain, tables
from hayat.core.errors import DomainError

INSERT_BATCH = 1000


class IncompatibleArchive(DomainError):
    code = "archive_incompatible"


def load(path: Path, manifest: archive.Manifest, *, progress: archive.Progress = lambda percent, what: None,
         registry=apps) -> None:
    """`registry` holds the models of the database's schema: the installed apps, or (in a scratch database at an
    older archive's migrations) the apps as those migrations left them."""
    found = tables_for(manifest, registry)
    names = [table.model._meta.db_table for table in found.values()]
    with audit_chain.restoring(), transaction.atomic():
        empty_tables(names)
        with connection.constraint_checks_disabled(), zipfile.ZipFile(path) as source:
            for done, table in enumerate(manifest.tables):
                progress(done * 100 // len(manifest.tables), table["model"])
                insert_rows(found[table["model"]], archive.member_lines(source, table["member"]))
        connection.check_constraints(table_names=names)
        problems = differences_in_database(manifest, registry)
        if problems:
            raise IncompatibleArchive(_("The loaded data differ from the archive: %(problems)s.")
                                      % {"problems": "; ".join(problems)})
        reset_sequences([table.model for table in found.values()])


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


class Table(NamedTuple):
    """An archived table in this database: its model, and its fields in the order of the archive's columns."""

    model: type
    fields: list


def tables_for(manifest: archive.Manifest, registry=apps) -> dict[str, Table]:
    """Each table of the archive in the schema of `registry`, refusing tables or columns the schema does not have.
    Columns are matched by name: migrations may have added a model's fields in another order than its class."""
    here = {model._meta.label_lower: model for model in tables.stored_models(registry)}
    found = {}
    for table in manifest.tables:
        model = here.get(table["model"])
        fields = {field.attname: field for field in tables.columns(model)} if model is not None else {}
        if set(fields) != set(table["columns"]):
            raise IncompatibleArchive(_("The table %(table)s of the archive does not match this Hayat's.")
                                      % {"table": table["model"]})
        found[table["model"]] = Table(model, [fields[name] for name in table["columns"]])
    return found


def insert_rows(table: Table, lines: Iterator[bytes]) -> None:
    quote = connection.ops.quote_name
    # Names come from the models and are quoted; the values travel as parameters.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(table.model._meta.db_table), ", ".join(quote(field.column) for field in table.fields),
        ", ".join(["%s"] * len(table.fields)))
    rows = (prepared(table.fields, json.loads(line)) for line in lines)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, INSERT_BATCH)):
            cursor.executemany(statement, batch)


def prepared(fields, row: list) -> list:
    return [field.get_db_prep_save(tables.from_portable(field, value), connection)
            for field, value in zip(fields, row, strict=True)]


def differences_in_database(manifest: archive.Manifest, registry=apps) -> list[str]:
    """The tables whose rows in this database differ from the manifest (count or checksum)."""
    found = tables_for(manifest, registry)
    problems = []
    for table in manifest.tables:
        model, fields = found[table["model"]]
        loaded = tables.table_checksum(model, fields=fields)
        if loaded.rows != table["rows"]:
            problems.append(_("%(table)s has %(found)s rows instead of %(expected)s")
                            % {"table": table["model"], "found": loaded.rows, "expected": table["rows"]})
        elif loaded.hexdigest != table["checksum"]:
            problems.append(_("%(table)s has other values") % {"table": table["model"]})
    return problems


def reset_sequences(models: list) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
