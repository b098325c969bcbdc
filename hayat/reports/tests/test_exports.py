"""The workbook is written in constant memory: twenty times the rows, about the same peak while writing."""

import tracemalloc
from datetime import date, timedelta

from hayat.reports import exports
from hayat.reports.kinds.occupancy import COLUMNS
from hayat.reports.registry import Table


def table_of(rows: int) -> Table:
    """An occupancy table of `rows` days (made before measuring: only the writing is measured)."""
    first = date(2020, 1, 1)
    return Table(COLUMNS, [(first + timedelta(days=index), 700, index % 9, 700 - index % 9, index % 600,
                            round(100 * (index % 600) / 700, 1)) for index in range(rows)], label_kind="day")


def peak_while_writing(table: Table) -> int:
    """The most memory (bytes) Python held at once while the workbook of `table` was written."""
    tracemalloc.start()
    try:
        exports.as_xlsx(table, title="Occupancy").close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_twenty_times_the_rows_takes_about_the_same_memory():
    small, big = table_of(1_000), table_of(20_000)
    peak_while_writing(small)  # XlsxWriter's first use loads what it needs once
    assert peak_while_writing(big) < 1.5 * peak_while_writing(small)
