"""How one value of a report reads: for a person (the page, the print view, the chart's labels: through
hayat.core.formats) and for a program (CSV: ISO dates, plain decimals)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hayat.core import formats
from hayat.reports import registry
from hayat.reports.registry import Table


def for_reader(value, kind: str) -> str:
    if value is None or value == "":
        return "–"
    if kind == registry.MONEY_AMOUNT:
        return formats.format_money(value)
    if kind == registry.PERCENT:
        return f"{formats.format_number(value, 1)} %"
    if kind == registry.DECIMAL:
        return formats.format_number(value, 1)
    if not isinstance(value, date) and kind in (registry.DAY, registry.WEEK, registry.MONTH):
        return str(value)  # the total's label
    if kind == registry.DAY:
        return formats.format_date(value, style="weekday")
    if kind == registry.WEEK:
        return formats.format_period(value, value + timedelta(days=6))
    if kind == registry.MONTH:
        return formats.format_date(value, style="month")
    if kind == registry.COUNT and isinstance(value, int):
        return formats.format_number(value, 0)
    return str(value)


def for_program(value, kind: str) -> str | int | Decimal:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if kind in (registry.PERCENT, registry.DECIMAL):
        return Decimal(value).quantize(Decimal("0.1"))
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def shown(table: Table) -> dict:
    """The table as a reader sees it: header labels, formatted rows, the total."""
    def line(row: tuple) -> list[str]:
        return [for_reader(value, table.kind_of(index)) for index, value in enumerate(row)]

    return {"header": [column.label for column in table.columns],
            "numeric": [index > 0 and column.kind != "text" for index, column in enumerate(table.columns)],
            "rows": [line(row) for row in table.rows], "total": line(table.total) if table.total else None}
