"""Database triggers that keep the audit trail, the access log and the audit chain append-only on every engine.

Nothing may delete their rows or change a sealed column; the one exception is what anonymising a patient may
erase, the `changes` and `note` of an audit event (their digest stays, see hayat.core.audit.rewrite_details).
The triggers stop a mistake or an application bug; a database administrator can still drop them, which is what
the sealed chain (hayat.core.audit_chain) is for.
"""

from __future__ import annotations

# Columns that anonymising may rewrite; every other column is frozen.
REWRITABLE = {"core_auditevent": {"changes", "note"}}
TABLES = ("core_auditevent", "core_accesslogentry", "core_auditchainlink")
MESSAGE = "append-only table: rows may not be changed or deleted"


def install(schema_editor) -> None:
    """Creates the triggers (again: each statement drops its trigger first, so a repeat is harmless)."""
    for statement in creation(schema_editor.connection):
        schema_editor.execute(statement)


def creation(connection) -> list[str]:
    return [statement for table in TABLES
            for statement in TRIGGERS[connection.vendor](table, frozen_columns(connection, table))]


def remove(schema_editor) -> None:
    for statement in removal(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def removal(vendor: str) -> list[str]:
    return [DROP[vendor](f"{table}_{what}", table) for table in TABLES for what in ("no_update", "no_delete")]


def frozen_columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
    return [column for column in columns if column not in REWRITABLE.get(table, set())]


def sqlite(table: str, frozen: list[str]) -> list[str]:
    changed = " OR ".join(f'NEW."{column}" IS NOT OLD."{column}"' for column in frozen)
    return [
        DROP["sqlite"](f"{table}_no_update", table),
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" WHEN {changed} '
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        DROP["sqlite"](f"{table}_no_delete", table),
        f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" BEGIN SELECT RAISE(ABORT, \'{MESSAGE}\'); END',
    ]


def postgresql(table: str, frozen: list[str]) -> list[str]:
    old = ", ".join(f'OLD."{column}"' for column in frozen)
    new = ", ".join(f'NEW."{column}"' for column in frozen)
    return [
        "CREATE OR REPLACE FUNCTION hayat_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_TABLE_NAME; END $$",
        DROP["postgresql"](f"{table}_no_update", table),
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" FOR EACH ROW '
        f"WHEN (ROW({old}) IS DISTINCT FROM ROW({new})) EXECUTE FUNCTION hayat_refuse_change()",
        DROP["postgresql"](f"{table}_no_delete", table),
        f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" FOR EACH ROW '
        "EXECUTE FUNCTION hayat_refuse_change()",
    ]


def mysql(table: str, frozen: list[str]) -> list[str]:
    changed = " OR ".join(f"NOT (NEW.`{column}` <=> OLD.`{column}`)" for column in frozen)
    refuse = f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MESSAGE}'"
    return [
        DROP["mysql"](f"{table}_no_update", table),
        f"CREATE TRIGGER `{table}_no_update` BEFORE UPDATE ON `{table}` FOR EACH ROW "
        f"BEGIN IF {changed} THEN {refuse}; END IF; END",
        DROP["mysql"](f"{table}_no_delete", table),
        f"CREATE TRIGGER `{table}_no_delete` BEFORE DELETE ON `{table}` FOR EACH ROW {refuse}",
    ]


TRIGGERS = {"sqlite": sqlite, "postgresql": postgresql, "mysql": mysql}
DROP = {
    "sqlite": lambda name, table: f'DROP TRIGGER IF EXISTS "{name}"',
    "postgresql": lambda name, table: f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
    "mysql": lambda name, table: f"DROP TRIGGER IF EXISTS `{name}`",
}
