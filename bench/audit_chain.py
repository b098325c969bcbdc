"""The sealed audit trail: bookings per second with 8 parallel writers with and without sealing, how fast the
sealer chains rows, and how fast the whole chain is verified. Prints figures (with the load average, since a
busy machine inflates them), asserts nothing.

    python bench/audit_chain.py --engines postgresql,sqlite                 # the figures of docs/adr/0004
    python bench/audit_chain.py --engines mysql --bookings 20 --rounds 7 --rows 200000

Writers: 8 threads (own connection each, as the app server's threads) each make `--bookings` bookings of their
own room for their own patient through `create_booking`, the real use case with its locks and its audit events.
A round is that same work done once without sealing (the seal a row gets when written is left out and no sealer
runs) and once with it (every row sealed, and the sealer chaining rows every second in a process of its own, as
the worker does every minute). The order alternates (without-with, then with-without) so that a trail growing
round after round favours neither; the medians of `--rounds` rounds are compared. Rows written without a seal
are removed after their round, so the sealer only ever sees a trail Hayat wrote.

Chain: `--rows` rows are made as the services make them (events as `audit.record`, access rows as
`audit.log_access_many`, each sealed by `stamp`) and bulk inserted, then chained by the real sealer, then
verified. SQLite runs on a temporary file; PostgreSQL and MariaDB on a database named hayat_bench_audit
(dropped and created again).
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
DAYS_PER_ROUND = 3_000  # each round books its own stretch of dates
INSERT_BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=25, help="bookings each writer makes in one round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each one without and one with sealing")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows written, chained and verified")
    parser.add_argument("--engines", default="postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--sealer", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.sealer:
        run_sealer()
    elif arguments.child:
        run_engine(arguments.child, arguments)
    else:
        run_children(__file__, arguments.engines, database="hayat_bench_audit",
                     arguments=["--bookings", str(arguments.bookings), "--rounds", str(arguments.rounds),
                                "--rows", str(arguments.rows)])


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def run_engine(engine: str, arguments: argparse.Namespace) -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.HAYAT_BOOKING_MAX_DAYS_AHEAD = 100_000
    call_command("migrate", verbosity=0)
    print(f"\n== {engine} ({connection.vendor}) on {os.cpu_count()} cores, load average {load()}")
    if arguments.rounds:
        measure_writers(arguments.bookings, arguments.rounds)
    if arguments.rows:
        measure_chain(arguments.rows)


def load() -> str:
    return " ".join(f"{figure:.1f}" for figure in os.getloadavg())


# --- bookings per second ---------------------------------------------------------------------------------------

def measure_writers(bookings: int, rounds: int) -> None:
    from hayat.core.models import AccessLogEntry, AuditEvent

    print(f"   {WRITERS} writers x {bookings} bookings per round, {rounds} rounds each way")
    desks = [desk(index) for index in range(WRITERS)]
    results = {"without": [], "with": []}
    cpu = {"without": [], "with": []}
    bookings_per_second(desks, 2, sealing=True, stretch=2 * rounds)  # warming up: connections, caches, the sealer
    audit_rows = AuditEvent.objects.count() + AccessLogEntry.objects.count()
    for number in range(rounds):
        for mode in ("without", "with") if number % 2 == 0 else ("with", "without"):
            stretch = 2 * number + (mode == "with")
            rate, milliseconds = bookings_per_second(desks, bookings, sealing=mode == "with", stretch=stretch)
            results[mode].append(rate)
            cpu[mode].append(milliseconds)
            print(f"   round {number + 1} {mode:>7} sealing: {rate:7.1f} bookings/s, {milliseconds:6.1f} ms of CPU a "
                  f"booking   (load {load()})")
            if mode == "without":
                drop_unsealed_rows()
    written = AuditEvent.objects.count() + AccessLogEntry.objects.count() - audit_rows
    without, with_ = statistics.median(results["without"]), statistics.median(results["with"])
    print(f"   audit rows per booking: {written / (WRITERS * bookings * rounds):.1f} (those of the sealed rounds)")
    print(f"   median without sealing  {without:7.1f} bookings/s, {statistics.median(cpu['without']):6.1f} ms of CPU a "
          f"booking")
    print(f"   median with sealing     {with_:7.1f} bookings/s, {statistics.median(cpu['with']):6.1f} ms of CPU a "
          f"booking   ({(with_ - without) / without * 100:+.1f} % bookings/s)")


def desk(index: int):
    """A receptionist's own room and patient, so the writers contend only for what Hayat itself shares."""
    from hayat.accounts.models import User
    from hayat.core.roles import Role
    from hayat.stays.tests.factories import PatientFactory, make_room, make_tariff

    user = User.objects.create_user(user_id=f"bench{index}", password=None, full_name=f"Bench {index}",
                                    role=Role.RECEPTIONIST)
    return user, PatientFactory(), make_room(f"B{index}", beds=1), make_tariff(f"Bench tariff {index}")


def bookings_per_second(desks: list, bookings: int, *, sealing: bool, stretch: int) -> tuple[float, float]:
    """All writers make `bookings` bookings each at once: bookings made over the time the last one took, and the
    CPU time a booking took in the writers' process and the sealer's (not the database server's): it varies far
    less than the rate with what else the machine runs."""
    from unittest import mock

    from django.db import connection

    from hayat.core import audit_chain, clock
    from hayat.stays.tests.factories import book

    first_day = clock.today() + timedelta(days=stretch * DAYS_PER_ROUND)
    ready = threading.Barrier(len(desks) + 1)

    def write(index: int) -> None:
        user, patient, room, tariff = desks[index]
        ready.wait()
        try:
            for number in range(bookings):
                book(user, guests=[(patient, room, tariff)], start=first_day + timedelta(days=number * 3), nights=2)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(len(desks))]
    for thread in threads:
        thread.start()
    sealing_process = sealer() if sealing else None
    with sealing_process or mock.patch.object(audit_chain, "stamp", lambda row: None):
        ready.wait()
        started, cpu_started = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.join()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    made = len(desks) * bookings
    return made / elapsed, (cpu + (sealing_process.cpu if sealing_process else 0)) * 1000 / made


class sealer:  # noqa: N801 (used as a context manager, like a function)
    """The sealer in a process of its own, chaining every second until the block ends; then it seals the rest and
    tells the CPU time it spent sealing (its start-up left out)."""

    def __enter__(self) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--sealer"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, cwd=ROOT)
        self.process.stdout.readline()  # set up and sealing: the writers may start

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        self.cpu = float(self.process.stdout.readline())
        self.process.wait()


def run_sealer() -> None:
    setup_django()
    from hayat.core import audit_chain

    audit_chain.seal_pending()
    started = time.process_time()
    print("sealing", flush=True)
    over = False
    while not over:
        over = bool(select.select([sys.stdin], [], [], 1)[0])  # the bench closed our input: the round is over
        audit_chain.seal_pending()
    print(time.process_time() - started, flush=True)


def drop_unsealed_rows() -> None:
    """The rows written without sealing would be named by the verifier: the bench removes them (no trigger)."""
    from django.db import connection

    from hayat.core import append_only
    from hayat.core.models import AccessLogEntry, AuditEvent

    with connection.cursor() as cursor:
        for statement in append_only.removal(connection.vendor):
            cursor.execute(statement)
    for model in (AuditEvent, AccessLogEntry):
        model.objects.filter(seal="").delete()
    with connection.cursor() as cursor:
        for statement in append_only.creation(connection):
            cursor.execute(statement)


# --- chaining and verifying ------------------------------------------------------------------------------------

def measure_chain(rows: int) -> None:
    from hayat.core import audit_chain
    from hayat.core.models import AccessLogEntry, AuditEvent

    audit_chain.seal_pending()
    started = time.perf_counter()
    stamping = write_sealed_rows(rows)
    elapsed = time.perf_counter() - started
    print(f"   {rows:,} sealed rows written (half events, half access) in {elapsed:.1f} s; sealing an event as it is "
          f"written took {stamping * 1e6 / (rows // 2):.0f} µs of CPU   (load {load()})")
    total = AuditEvent.objects.count() + AccessLogEntry.objects.count()
    started, cpu_started = time.perf_counter(), time.process_time()
    sealed = audit_chain.seal_pending()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"   sealer chained {sealed:,} rows in {elapsed:.1f} s: {sealed / elapsed:,.0f} rows/s "
          f"({cpu:.1f} s of CPU here)   (load {load()})")
    started, cpu_started = time.perf_counter(), time.process_time()
    verdict = audit_chain.verify()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"   verified {total:,} rows in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s "
          f"({cpu:.1f} s of CPU here)   (load {load()})")
    print(f"   {verdict}")


def write_sealed_rows(rows: int) -> float:
    """Rows as the services write them (a patient's record updated, then opened), sealed, a batch per insert;
    returns the CPU seconds that sealing the events took (`stamp`, what a writer pays per row)."""
    from django.db import transaction

    from hayat.accounts.models import User
    from hayat.core import audit, audit_chain
    from hayat.core.models import AccessLogEntry, AuditEvent

    user = User.objects.filter(user_id="bench0").first() or desk(0)[0]
    stamping = 0.0
    for first in range(0, rows, INSERT_BATCH):
        patients = range(first // 2, (first + min(INSERT_BATCH, rows - first)) // 2)
        events = [audit.new_event("patient.update", by=user, patient_id=patient,
                                  changes={"mobile": ["+998901112233", "+998901112244"]}) for patient in patients]
        started = time.process_time()
        for event in events:
            audit_chain.stamp(event)  # what save() does before inserting; bulk_create does not call it
        stamping += time.process_time() - started
        with transaction.atomic():
            AuditEvent.objects.bulk_create(events)
            AccessLogEntry.objects.bulk_create([audit.access_entry(by=user, patient_id=patient, what="patient record",
                                                                   obj=None) for patient in patients])
    return stamping


if __name__ == "__main__":
    main()
