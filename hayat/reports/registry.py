"""What a report is: its filters, its columns, the function that reads its rows, and the chart drawn from them.

Each report is one module of `hayat.reports.kinds` holding `REPORT`; `kinds.ALL` lists them in the order of the
reports page. A report reads with a constant number of aggregate queries, whatever the size of the hospital
(docs/adr/0015-reports.md); pages, exports and the print view all show the same `Table`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hayat.reports.filters import Filters

OCCUPANCY = _("Occupancy and stays")
MONEY = _("Money")
BOOKINGS = _("Bookings and guests")
CLINICAL = _("Clinical")

# The kinds of value a column holds: how a page, a CSV and a spreadsheet write it.
TEXT, COUNT, MONEY_AMOUNT, PERCENT, DECIMAL = "text", "count", "money", "percent", "decimal"
DAY, WEEK, MONTH = "day", "week", "month"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str = COUNT


@dataclass(frozen=True)
class Chart:
    """Which column names the points and which columns are drawn (every other one when none is named);
    "bar" or "line"."""

    label: str
    series: tuple[str, ...]
    style: str = "bar"


@dataclass
class Table:
    """The figures of one report for its filters: columns, rows of raw values (dates, Decimals, ints), a total."""

    columns: Sequence[Column]
    rows: list[tuple]
    total: tuple | None = None
    # When the first column's kind depends on the filters (by day, week or month).
    label_kind: str | None = None

    def kind_of(self, index: int) -> str:
        if index == 0 and self.label_kind:
            return self.label_kind
        return self.columns[index].kind

    def column_values(self, key: str) -> list[Any]:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Report:
    slug: str
    title: str | Promise
    group: str | Promise
    capability: str
    description: str | Promise
    read: Callable[[Filters], Table]
    chart: Chart
    # The filters this report understands beyond the period: "grain", "department", "room_type", "tariff",
    # "source".
    filters: tuple[str, ...] = ()
