"""Helpers for the tests of performance indexes: the index is on every engine, and PostgreSQL's planner uses it."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet


def index_columns(table: str, name: str) -> list[str]:
    """The columns of index `name` on `table`, as the database itself reports them (empty when it is missing)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    index = constraints.get(name)
    return list(index["columns"]) if index and index.get("index") else []


def postgresql_plan(queryset: QuerySet) -> str:
    """The plan PostgreSQL chooses for `queryset` when it may not scan the whole table (the tables of a test are too
    small for an index to pay, so the sequential scan is priced out, as on a big hospital's tables)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return plan
