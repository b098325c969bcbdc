"""A report's table as CSV or as an Excel workbook (xlsx), written in constant memory.

The CSV is for programs: ISO dates, plain decimals, a header of the column labels. The workbook keeps dates as
dates and numbers as numbers; XlsxWriter's constant_memory mode flushes each row to a temporary file as it is
written, so the memory used does not grow with the rows.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from itertools import chain

import xlsxwriter

from hayat.reports import cells, registry
from hayat.reports.registry import Table

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0"
DATE_FORMAT = "yyyy-mm-dd"


def header(table: Table) -> list[str]:
    return [str(column.label) for column in table.columns]


def every_row(table: Table) -> Iterator[tuple]:
    """The rows then the total, without copying the rows into a new list."""
    return chain(table.rows, [table.total] if table.total else [])


def program_rows(table: Table):
    for row in every_row(table):
        yield [cells.for_program(value, table.kind_of(index)) for index, value in enumerate(row)]


def as_csv(table: Table) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header(table))
    writer.writerows(program_rows(table))
    # A byte-order mark, so that spreadsheet programs read the Cyrillic and Uzbek labels as UTF-8.
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def as_xlsx(table: Table, *, title: str):
    """An open temporary file holding the workbook, at its start (the caller streams and closes it)."""
    target = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    sheet = workbook.add_worksheet(title[:31])
    styles = {registry.MONEY_AMOUNT: workbook.add_format({"num_format": MONEY_FORMAT}),
              registry.PERCENT: workbook.add_format({"num_format": PERCENT_FORMAT}),
              registry.DECIMAL: workbook.add_format({"num_format": PERCENT_FORMAT}),
              "date": workbook.add_format({"num_format": DATE_FORMAT})}
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, header(table), bold)
    for number, row in enumerate(every_row(table), start=1):
        for index, value in enumerate(row):
            write_cell(sheet, number, index, value, table.kind_of(index), styles)
    workbook.close()
    target.seek(0)
    return target


def write_cell(sheet, row: int, column: int, value, kind: str, styles: dict) -> None:
    if value is None:
        sheet.write_blank(row, column, None)
    elif kind in (registry.DAY, registry.WEEK, registry.MONTH) and hasattr(value, "isoformat"):
        sheet.write_datetime(row, column, value, styles["date"])
    elif kind in styles and not isinstance(value, str):
        sheet.write_number(row, column, float(value), styles[kind])
    elif isinstance(value, int):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, str(value))
