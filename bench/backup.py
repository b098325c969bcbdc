"""Backup, verification and restore of a big hospital: prints times and the archive's size per engine.

    python bench/backup.py                                  # 200,000 patients, on SQLite, PostgreSQL and MariaDB
    python bench/backup.py --engines sqlite,mysql --patients 50000 --bookings 5000 --lab-files 1000

The hospital is bench/big_hospital.py's (patients, two years of stays, episodes, bills, lab results), with
one uploaded scan per lab result for the first --lab-files of them (30 KB of random bytes, which does not
compress). Each engine runs in a child process on a new database (bench/engines.py). Figures are printed,
never asserted; the load average is printed beside them, since a busy machine inflates them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
FILE_BYTES = 30 * 1024
HOSPITAL_OPTIONS = ("patients", "bookings", "episodes", "lab_results")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200_000)
    parser.add_argument("--bookings", type=int, default=17_500, help="about this many, over two years")
    parser.add_argument("--episodes", type=int, default=5_000)
    parser.add_argument("--lab-results", type=int, default=40_000)
    parser.add_argument("--lab-files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--engines", default="sqlite,postgresql,mysql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments)
        return
    sizes = [f"--{name.replace('_', '-')}={getattr(arguments, name)}" for name in (*HOSPITAL_OPTIONS, "lab_files",
                                                                                    "seed")]
    run_children(__file__, arguments.engines, database="hayat_backup_bench", arguments=sizes)


def run_engine(engine: str, arguments) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from hayat.backup import services

    started = time.perf_counter()
    build_hospital(arguments)
    print(f"\n== {engine} ({connection.vendor}): {arguments.patients:,} patients, {arguments.lab_files:,} lab files "
          f"(generated in {time.perf_counter() - started:.0f}s)", flush=True)

    started = time.perf_counter()
    backup = services.back_up_now(by=None, reason="benchmark")
    report("backup", started, f"archive {backup.size / 2**20:,.0f} MiB")
    started = time.perf_counter()
    verified = services.verify(backup)
    report("verify", started, f"{verified.verify_status or 'not verified'} {verified.verify_problems[:200]}")
    started = time.perf_counter()
    services.restore(path=Path(backup.location) / backup.file_name, by=None, safety_backup=False)
    report("restore", started, "(archive checked, loaded, compared, committed)")


def report(step: str, started: float, note: str) -> None:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"   {step:<8} {time.perf_counter() - started:8.1f}s   {note}   [load {load}]", flush=True)


def build_hospital(arguments) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import big_hospital

    fill_cash_days_on_insert()
    big_hospital.Hospital(argparse.Namespace(**{name: getattr(arguments, name)
                                                for name in (*HOSPITAL_OPTIONS, "seed")})).build()
    add_lab_files(arguments.lab_files)


def fill_cash_days_on_insert() -> None:
    """big_hospital.py writes payments without their cash day (a later column); they get the day they were
    received, as the payment service gives them when that day is open."""
    from django.utils import timezone

    from hayat.billing.models import Payment

    field = Payment._meta.get_field("cash_day")
    given = field.pre_save

    def pre_save(payment, add):
        if payment.cash_day is None and payment.at is not None:
            payment.cash_day = timezone.localtime(payment.at).date()
        return given(payment, add)

    field.pre_save = pre_save


def add_lab_files(count: int) -> None:
    """One scan, uploaded by whoever performed the test, for `count` lab results that have none yet."""
    import hashlib

    from django.conf import settings
    from django.db import transaction

    from hayat.lab.models import Attachment, AttachmentGroup, LabResult

    rng = random.Random(15)
    folder = Path(settings.MEDIA_ROOT) / "lab" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    results = list(LabResult.objects.filter(groups__isnull=True).order_by("pk")[:count])
    if len(results) < count:
        raise SystemExit(f"Only {len(results):,} lab results for {count:,} lab files: raise --lab-results.")
    for first in range(0, count, 1000):
        chunk = results[first:first + 1000]
        with transaction.atomic():
            groups = AttachmentGroup.objects.bulk_create(
                AttachmentGroup(result=result, position=1, description="Scan", uploaded_by_id=result.performed_by_id,
                                uploaded_at=result.performed_at + timedelta(hours=1)) for result in chunk)
            attachments = []
            for number, group in enumerate(groups, start=first):
                content = b"%PDF-1.4\n" + rng.randbytes(FILE_BYTES)
                (folder / f"scan-{number:05d}.pdf").write_bytes(content)
                attachments.append(Attachment(group=group, position=1, file=f"lab/bench/scan-{number:05d}.pdf",
                                              original_name="scan.pdf", content_type="application/pdf",
                                              size=len(content), sha256=hashlib.sha256(content).hexdigest()))
            Attachment.objects.bulk_create(attachments)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    main()
