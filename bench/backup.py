"""Backup, verification and restore of a big hospital: prints times and the archive's size per engine.

    python bench/backup.py                                  # 200,000 patients, on SQLite and PostgreSQL
    python bench/backup.py --engines sqlite,postgresql,mysql --patients 50000 --stays 20000 --lab-files 1000

The hospital: the demo set-up (rooms, tariffs, staff, a small ICD-10 list), the patients of
bench/patients_search.py, two years of finished stays (one booking and guest line each) and lab results with
one uploaded file each (a 30 KB scan of random bytes, which does not compress). Each engine runs in a child
process on a new database (bench/engines.py). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from engines import run_children

ROOT = Path(__file__).resolve().parent.parent
DAYS = 730
FILE_BYTES = 30 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200_000)
    parser.add_argument("--stays", type=int, default=150_000, help="finished stays over the last two years")
    parser.add_argument("--lab-files", type=int, default=10_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_engine(arguments.child, arguments)
        return
    run_children(__file__, arguments.engines, database="hayat_backup_bench",
                 arguments=["--patients", str(arguments.patients), "--stays", str(arguments.stays),
                            "--lab-files", str(arguments.lab_files)])


def run_engine(engine: str, arguments) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hayat.backup import services

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_hospital(engine, arguments)
    print(f"\n== {engine} ({connection.vendor}): {arguments.patients:,} patients, {arguments.stays:,} stays, "
          f"{arguments.lab_files:,} lab files (generated in {time.perf_counter() - started:.0f}s)", flush=True)

    started = time.perf_counter()
    backup = services.back_up_now(by=None, reason="benchmark")
    print(f"   backup   {time.perf_counter() - started:8.1f}s   archive {backup.size / 2**20:,.0f} MiB", flush=True)
    started = time.perf_counter()
    verified = services.verify(backup)
    print(f"   verify   {time.perf_counter() - started:8.1f}s   {verified.verify_status or 'not verified'}"
          f" {verified.verify_problems[:200]}", flush=True)
    started = time.perf_counter()
    services.restore(path=Path(backup.location) / backup.file_name, by=None, safety_backup=False)
    print(f"   restore  {time.perf_counter() - started:8.1f}s   (archive checked, loaded, compared, committed)",
          flush=True)


def build_hospital(engine: str, arguments) -> None:
    from django.core.management import call_command

    from hayat.clinical import demo as clinical_demo
    from hayat.clinical.tests.factories import load_icd_subset

    sys.path.insert(0, str(ROOT / "bench"))
    import patients_search

    clinical_demo.load_codes = load_icd_subset
    call_command("seed_demo", stdout=io.StringIO())
    patients_search.load(arguments.patients, engine)
    add_stays(arguments.stays)
    add_lab_files(arguments.lab_files)


def add_stays(count: int) -> None:
    from django.db import transaction

    from hayat.catalog.models import Tariff
    from hayat.facilities.models import Room
    from hayat.patients.models import Patient
    from hayat.stays.models import Booking, GuestLine

    rng = random.Random(14)
    patients = list(Patient.objects.values_list("pk", flat=True))
    rooms, tariffs = list(Room.objects.filter(is_active=True)), list(Tariff.objects.all())
    today = date(2026, 11, 21)
    for first in range(0, count, 5000):
        bookings, lines = [], []
        for number in range(first, min(first + 5000, count)):
            start = today - timedelta(days=DAYS - number * DAYS // count)
            end = start + timedelta(days=rng.randint(3, 14))
            bookings.append(Booking(number=f"BK-{start:%Y%m%d}-{number:06d}", start_date=start, end_date=end,
                                    status="completed", source="walk_in"))
        with transaction.atomic():
            Booking.objects.bulk_create(bookings)
            for booking in bookings:
                lines.append(GuestLine(booking=booking, patient_id=rng.choice(patients), room=rng.choice(rooms),
                                       tariff=rng.choice(tariffs), start_date=booking.start_date,
                                       end_date=booking.end_date, is_open=False, holds_place=False))
            GuestLine.objects.bulk_create(lines)


def add_lab_files(count: int) -> None:
    from django.conf import settings
    from django.db import transaction

    from hayat.accounts.models import User
    from hayat.lab.models import Attachment, AttachmentGroup, LabResult, LabTestType
    from hayat.patients.models import Patient

    rng = random.Random(15)
    doctor = User.objects.get(user_id="doctor")
    test_type = LabTestType.objects.order_by("pk").first()
    patients = list(Patient.objects.values_list("pk", flat=True)[:count])
    folder = Path(settings.MEDIA_ROOT) / "lab" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    when = datetime(2026, 11, 21, 9, 0, tzinfo=datetime.now().astimezone().tzinfo)
    for first in range(0, count, 1000):
        numbers = range(first, min(first + 1000, count))
        with transaction.atomic():
            results = LabResult.objects.bulk_create(
                LabResult(code=f"B{number:05d}"[-6:], patient_id=patients[number % len(patients)],
                          test_type=test_type, summary="Within normal limits", performed_by=doctor,
                          performed_at=when - timedelta(hours=number)) for number in numbers)
            groups = AttachmentGroup.objects.bulk_create(
                AttachmentGroup(result=result, position=1, description="Scan", uploaded_by=doctor,
                                uploaded_at=result.performed_at) for result in results)
            attachments = []
            for number, group in zip(numbers, groups, strict=True):
                name = f"lab/bench/scan-{number:05d}.pdf"
                (folder / f"scan-{number:05d}.pdf").write_bytes(b"%PDF-1.4\n" + rng.randbytes(FILE_BYTES))
                attachments.append(Attachment(group=group, position=1, file=name, original_name="scan.pdf",
                                              content_type="application/pdf", size=FILE_BYTES + 9, sha256="0" * 64))
            Attachment.objects.bulk_create(attachments)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hayat.settings")
    main()
