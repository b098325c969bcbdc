"""The reports and the dashboards on the big hospital: every report over its two years and every role's dashboard,
timed (median of --repeat runs) with their queries counted, then the memory of the xlsx export at 1,000 and
20,000 rows.

    python bench/reports.py                                          # SQLite, a twentieth of the big hospital
    python bench/reports.py --engines sqlite,postgresql --scale 1    # the whole big hospital (long to generate)

Each engine gets a new database (bench/engines.py) filled by bench/big_hospital.py, its counts of patients,
bookings, episodes and lab results multiplied by --scale (the rooms stay 322). A report reads two years up to
today by month. Targets (docs/adr/0015): a report under 1 s on PostgreSQL and under 3 s on SQLite, a dashboard
under 150 ms. Figures are printed with the machine's load average, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
TWO_YEARS = 730
BIG = {"patients": 200_000, "bookings": 17_500, "episodes": 5_000, "lab_results": 40_000}
XLSX_ROWS = (1_000, 20_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.05, help="share of the big hospital (1 = all of it)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each report and dashboard")
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--keep", action="store_true",
                        help="measure the databases of HAYAT_BENCH_POSTGRES/HAYAT_BENCH_SQLITE again, without "
                             "generating them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments.scale, arguments.repeat, keep=arguments.keep)
        return
    run_children(__file__, arguments.engines, database="hayat_bench_reports", keep=arguments.keep,
                 arguments=["--scale", str(arguments.scale), "--repeat", str(arguments.repeat),
                            *(["--keep"] if arguments.keep else [])])


def run_engine(engine: str, scale: float, repeat: int, *, keep: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    import django

    django.setup()
    print(f"== {engine}: the big hospital{'' if keep else f' × {scale:g}'} (load average {load_average()})",
          flush=True)
    if not keep:
        generate(scale)
    print(f"\n{'report':<34}{'engine':<12}{'rows':>7}{'ms':>10}{'queries':>9}")
    time_reports(engine, repeat)
    time_dashboards(engine, repeat)
    print(f"load average {load_average()}\n")
    xlsx_memory()


def generate(scale: float) -> None:
    from big_hospital import Hospital

    sizes = {name: max(1, round(count * scale)) for name, count in BIG.items()}
    Hospital(argparse.Namespace(seed=20261206, **sizes)).build()


def timed(work, repeat: int) -> tuple[object, float, int]:
    """(the last result, the median milliseconds of `repeat` runs after a warm-up, the queries of one run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    work()
    with CaptureQueriesContext(connection) as queries:
        result = work()
    count = len(queries)  # now: the next request empties the log the capture reads
    times = []
    for _run in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(1000 * (time.perf_counter() - started))
    return result, statistics.median(times), count


def line(name: str, engine: str, rows: int, milliseconds: float, queries: int) -> None:
    print(f"{name:<34}{engine:<12}{rows:>7}{milliseconds:>10.1f}{queries:>9}", flush=True)


def time_reports(engine: str, repeat: int) -> None:
    from hayat.core import clock
    from hayat.reports.filters import Filters, Grain
    from hayat.reports.kinds import ALL

    today = clock.today()
    filters = Filters(start=today - timedelta(days=TWO_YEARS - 1), end=today + timedelta(days=1), grain=Grain.MONTH)
    for report in ALL:
        table, milliseconds, queries = timed(lambda report=report: report.read(filters), repeat)
        line(report.slug, engine, len(table.rows), milliseconds, queries)


def time_dashboards(engine: str, repeat: int) -> None:
    """Each role's dashboard page through Django's test client; its rows are the cards it shows."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse

    from hayat.accounts.models import User
    from hayat.core.roles import Role

    setup_test_environment()
    # No collected static files in the bench's folder: the pages name their assets without the manifest.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=plain):
        for role in Role:
            client = Client()
            client.force_login(User.objects.filter(role=role, is_active=True).order_by("pk").first())
            response, milliseconds, queries = timed(lambda client=client: client.get(reverse("web:dashboard")),
                                                    repeat)
            assert response.status_code == 200, (role, response.status_code)
            line(f"dashboard: {role.label}", engine, response.content.count(b"data-panel="), milliseconds, queries)


def xlsx_memory() -> None:
    """The peak of Python's memory while the workbook is written (the table itself made before measuring)."""
    from hayat.reports.tests.test_exports import peak_while_writing, table_of

    peak_while_writing(table_of(10))
    for rows in XLSX_ROWS:
        print(f"xlsx export, {rows:>6,} rows: peak {peak_while_writing(table_of(rows)) / 1024:8.0f} KiB while writing")


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
