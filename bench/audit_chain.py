"""The sealed audit trail: bookings per second with 8 parallel writers with and without sealing, how fast the
sealer chains rows, and how fast the whole chain is verified. Prints figures, asserts nothing.

    python bench/audit_chain.py --engines postgresql                    # the figures of docs/adr/0004
    python bench/audit_chain.py --engines sqlite,postgresql,mysql --seconds 20 --rows 1000000

Writers: each of 8 threads (own connection) books its own room for its own patient on successive dates through
`create_booking`, the real use case with its locks and audit events, for `--seconds` seconds. "Without sealing"
stubs out the seal a row gets when written and runs no sealer; "with sealing" seals every row and runs the sealer
every second beside the writers, as the worker does every minute. The two alternate, three rounds each, and the
medians are compared. Then `--rows` audit rows are written, chained and verified. SQLite runs on a temporary
file; PostgreSQL and MariaDB on a database named hayat_bench_audit (dropped and created again).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 8
ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="length of one round of writing")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows written, chained and verified")
    parser.add_argument("--engines", default="postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments.seconds, arguments.rows)
        return
    run_children(__file__, arguments.engines, database="hayat_bench_audit",
                 arguments=["--seconds", str(arguments.seconds), "--rows", str(arguments.rows)])


def run_engine(engine: str, seconds: float, rows: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.HAYAT_BOOKING_MAX_DAYS_AHEAD = 100_000
    call_command("migrate", verbosity=0)
    print(f"\n== {engine} ({connection.vendor}): {WRITERS} writers, {ROUNDS} rounds of {seconds:g} s each way")
    measure_writers(seconds)
    measure_chain(rows)


# --- bookings per second ---------------------------------------------------------------------------------------

def measure_writers(seconds: float) -> None:
    from hayat.core import audit_chain

    desks = [desk(index) for index in range(WRITERS)]
    real_stamp = audit_chain.stamp
    results = {"without": [], "with": []}
    for round_number in range(ROUNDS):
        for mode in ("without", "with"):
            audit_chain.stamp = real_stamp if mode == "with" else lambda row: None
            offset = round_number * 2 + (mode == "with")
            rate = bookings_per_second(desks, seconds, sealing=mode == "with", offset=offset)
            results[mode].append(rate)
            print(f"   round {round_number + 1} {mode:>7} sealing: {rate:8.1f} bookings/s")
    audit_chain.stamp = real_stamp
    drop_unsealed_rows()
    without, with_ = statistics.median(results["without"]), statistics.median(results["with"])
    print(f"   median without sealing  {without:8.1f} bookings/s")
    print(f"   median with sealing     {with_:8.1f} bookings/s   ({(with_ - without) / without * 100:+.1f} %)")


def drop_unsealed_rows() -> None:
    """The rows written without sealing would be named by the verifier: the bench removes them (no trigger)."""
    from django.db import connection

    from hayat.core import append_only
    from hayat.core.models import AccessLogEntry, AuditEvent

    with connection.schema_editor() as editor:
        append_only.remove(editor)
    for model in (AuditEvent, AccessLogEntry):
        model.objects.filter(seal="").delete()
    with connection.schema_editor() as editor:
        append_only.install(editor)


def desk(index: int):
    """A receptionist's own room and patient, so the writers contend only for what Hayat itself shares."""
    from hayat.accounts.models import User
    from hayat.core.roles import Role
    from hayat.stays.tests.factories import PatientFactory, make_room, make_tariff

    user = User.objects.create_user(user_id=f"bench{index}", password=None, full_name=f"Bench {index}",
                                    role=Role.RECEPTIONIST)
    return user, PatientFactory(), make_room(f"B{index}", beds=1), make_tariff(f"Bench tariff {index}")


def bookings_per_second(desks: list, seconds: float, *, sealing: bool, offset: int) -> float:
    from django.db import connection

    from hayat.core import audit_chain, clock
    from hayat.stays.tests.factories import book

    stop = threading.Event()
    counts = [0] * len(desks)

    def write(index: int) -> None:
        user, patient, room, tariff = desks[index]
        start = clock.today() + timedelta(days=offset * 3_000)
        try:
            while not stop.is_set():
                book(user, guests=[(patient, room, tariff)], start=start + timedelta(days=counts[index] * 3), nights=2)
                counts[index] += 1
        finally:
            connection.close()

    def seal() -> None:
        try:
            while not stop.wait(1):
                audit_chain.seal_pending()
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(len(desks))]
    if sealing:
        threads.append(threading.Thread(target=seal))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


# --- chaining and verifying ------------------------------------------------------------------------------------

def measure_chain(rows: int) -> None:
    from django.db import transaction

    from hayat.core import audit, audit_chain, clock
    from hayat.core.models import AccessLogEntry, AuditEvent

    audit_chain.seal_pending()
    started = time.perf_counter()
    batch = 10_000
    for first in range(0, rows, batch):
        size = min(batch, rows - first)
        with transaction.atomic():
            events = [AuditEvent(at=clock.now(), actor="bench", action="patient.update", model="patients.Patient",
                                 object_id=str(first + index), patient_id=first + index,
                                 changes={"mobile": ["+998901112233", "+998901112244"]}) for index in range(size // 2)]
            for event in events:
                audit_chain.stamp(event)
            AuditEvent.objects.bulk_create(events)
            audit.log_access_many(by=None, patient_ids=range(first, first + size - len(events)), what="patient record")
    print(f"   {rows:,} rows written (half events, half access) in {time.perf_counter() - started:.1f} s")
    total = AuditEvent.objects.count() + AccessLogEntry.objects.count()
    started = time.perf_counter()
    sealed = audit_chain.seal_pending()
    elapsed = time.perf_counter() - started
    print(f"   sealer chained {sealed:,} rows in {elapsed:.1f} s: {sealed / elapsed:,.0f} rows/s")
    started = time.perf_counter()
    verdict = audit_chain.verify()
    elapsed = time.perf_counter() - started
    print(f"   verified {total:,} rows in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s — {verdict}")


if __name__ == "__main__":
    main()
