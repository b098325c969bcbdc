"""The bed-time accrual job at 2,000 active bed assignments: its time and query count, per kind of run.

    python bench/bed_time_accrual.py                                     # SQLite, a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hayat_bench python bench/bed_time_accrual.py
    python bench/bed_time_accrual.py --assignments 5000

With DATABASE_URL set the bench works in Django's test database beside the named one (test_<name>, created
and dropped again), never in the named database itself. It loads N admitted inpatients, each in a bed since
0 to 48 hours ago with an open bill and no line yet, then times the job (`accrue_bed_time`) as the worker
runs it:
  1. first run      every bill gets its bed-time line (the state after the worker was down)
  2. idle run       the same minute again: nothing to write
  3. an hour later  every line grows by one started hour
and checks after each run that every assignment has exactly one line with the figures the facts give.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=2000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hayat-bench-") as folder:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
        os.environ.setdefault("HAYAT_SECRET_KEY", "bench-only-" + "x" * 40)
        os.environ.setdefault("HAYAT_LOG_LEVEL", "WARNING")
        os.environ["HAYAT_DATA_DIR"] = folder
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            run(arguments.assignments)
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def run(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from hayat.accounts.tests.factories import UserFactory
    from hayat.billing import jobs
    from hayat.billing.tests.factories import admitted_in_bulk
    from hayat.core.roles import Role

    now = timezone.make_aware(datetime(2027, 3, 1, 12, 0))
    print(f"\n== {connection.vendor}: {count} active bed assignments, "
          f"{os.environ.get('HAYAT_BED_TIME_INTERVAL_MINUTES', '60')}-minute periods")
    started = time.perf_counter()
    admitted_in_bulk(count, by=UserFactory(role=Role.DOCTOR), started_at=now, prefix="BENCH")
    print(f"   data loaded in {time.perf_counter() - started:.1f}s")
    for label, at in [("first run (no line yet)", now), ("idle run (same minute)", now),
                      ("an hour later (every line grows)", now + timedelta(hours=1))]:
        seconds, queries, summary = measure(lambda at=at: jobs.accrue_bed_time(until=at))
        print(f"   {label:34} {seconds * 1000:9.1f} ms  {queries:6d} queries   {summary}")
        print(f"   {'':34} lines match the facts: {'yes' if lines_match(at) else 'NO'}")


def measure(work) -> tuple[float, int, str]:
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        summary = work()
        seconds = time.perf_counter() - started
    return seconds, queries, summary


def lines_match(at: datetime) -> bool:
    """Exactly one bed-time line per assignment, each with the started periods and amount the facts give."""
    from hayat.billing import accrual
    from hayat.billing.models import BillItem, ItemKind
    from hayat.clinical.models import BedAssignment

    lines = {line.bed_assignment_id: line for line in BillItem.objects.filter(kind=ItemKind.BED_TIME)}
    assignments = list(BedAssignment.objects.all())
    if len(lines) != len(assignments) or BillItem.objects.filter(kind=ItemKind.BED_TIME).count() != len(lines):
        return False
    for assignment in assignments:
        due = accrual.bed_time(started_at=assignment.started_at, ended_at=assignment.ended_at,
                               rate=assignment.hourly_rate, at=at)
        line = lines.get(assignment.pk)
        if line is None or (line.quantity, line.amount) != (due.quantity, due.amount):
            return False
    return True


if __name__ == "__main__":
    main()
