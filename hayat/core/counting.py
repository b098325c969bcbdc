"""Counts for pages that open often: exact when the rows are few, the planner's estimate when a count would read a
whole big table (see docs/adr/0009-estimated-counts.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows (as the planner expects them) an exact count is cheap enough for every page load.
EXACT_BELOW = 10_000


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool


def estimated_count(queryset: QuerySet, *, exact_below: int = EXACT_BELOW) -> Count:
    """The number of rows of `queryset`: from the query planner's statistics on PostgreSQL when it expects at least
    `exact_below` rows, otherwise (and on the other engines) counted."""
    expected = planner_rows(queryset)
    if expected is None or expected < exact_below:
        return Count(queryset.count(), exact=True)
    return Count(expected, exact=False)


def planner_rows(queryset: QuerySet) -> int | None:
    """The planner's expected rows; 0 for a query that can match nothing, None on another engine."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatingPaginator(Paginator):
    """Pages of a list whose total is `estimated_count`: the first page of a big list without counting all of it
    (the number of pages is then approximate; a page past the real end is simply short or empty)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return estimated_count(self.object_list).value
        return len(self.object_list)
