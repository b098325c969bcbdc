"""Printing documents: the invoice of a 200-item bill, a lab report with 20 photos and a 30-page PDF appended, and the
memory a print takes as documents grow (tracemalloc peak at each of --pages). Prints figures, asserts none.

    python bench/documents.py [--repeat 5] [--pages 10,100,1000]

Targets (issue 16): the invoice under 1 s, the lab report under 3 s, memory growing far slower than the pages.
Only printing is measured: the bill, the files and the letterhead are made in memory; no database is used.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ITEMS_PER_PAGE = 41  # invoice lines of one line each that fill an A4 page


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from hayat.documents.models import Letterhead

    letterhead = Letterhead(name_en="Hayat Health Resort", name_ru="Санаторий «Хаят»",
                            name_uz="«Hayot» sogʻlomlashtirish markazi", address="Toshkent, Amir Temur 1",
                            phone="+998 71 200 00 00", tax_id="301234567", tax_name="VAT", tax_rate=Decimal("12"),
                            footer="Hayat · open every day")
    Letterhead.current = classmethod(lambda cls: letterhead)  # the bench measures printing, not a query


def bill_view(items: int):
    """A LiveBill of `items` lines, made in memory as billing.selectors.live_bill makes it."""
    from hayat.billing.models import Bill, BillStatus, ItemKind
    from hayat.billing.selectors import Line, LiveBill
    from hayat.clinical.models import Episode
    from hayat.patients.models import Patient

    patient = Patient(pk=1, code="22A9G", first_name="Гульнора", last_name="Тошматова")
    at = datetime(2026, 11, 21, 9, tzinfo=ZoneInfo("UTC"))
    episode = Episode(pk=1, patient=patient, case_number="C-2026-000001", hospital_case_number="H-2026-000001",
                      registered_at=at, admitted_at=at)
    bill = Bill(pk=1, number="INV-2026-000001", patient=patient, episode=episode, status=BillStatus.INVOICED,
                paid_total=Decimal("0"))
    kinds = [ItemKind.SERVICE, ItemKind.MEDICATION, ItemKind.LAB_TEST]
    lines = [Line(kind=kinds[index % 3], description=f"Цефтриаксон 1 г, ампула №{index}", quantity=Decimal(2),
                  unit_price=Decimal("45000"), amount=Decimal("90000")) for index in range(items)]
    groups = [(ItemKind(kind).label, [line for line in lines if line.kind == kind]) for kind in kinds]
    return LiveBill(bill=bill, at=at, groups=groups, total=Decimal(90000 * items), balance=Decimal(90000 * items),
                    accruing=False, stale=False)


def invoice_pdf(items: int, language: str = "ru") -> bytes:
    from django.utils.translation import override

    from hayat.documents.kinds.invoice import bill_section
    from hayat.documents.layout import Sheet
    from hayat.documents.printing import render_sheet

    with override(language):
        return render_sheet(Sheet(title="Invoice", reference="INV-2026-000001/1", story=bill_section(bill_view(items))),
                            language=language)


def photo(seed: int, size=(1600, 1200)) -> bytes:
    from PIL import Image

    random.seed(seed)
    picture = Image.effect_noise(size, 60).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def scanned_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        for line in range(40):
            canvas.drawString(60, 780 - line * 18, f"Page {number}, line {line}: haemoglobin 128 g/l, leukocytes 6.1")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def lab_report_pdf(photos: list[bytes], pdf: bytes, language: str = "uz") -> bytes:
    from django.utils.translation import override

    from hayat.documents.layout import Attachment, Sheet, paragraphs
    from hayat.documents.printing import render_sheet

    attachments = [Attachment(caption=f"Photo {index}", open=lambda content=content: io.BytesIO(content), is_pdf=False)
                   for index, content in enumerate(photos, start=1)]
    attachments.append(Attachment(caption="Scan", open=lambda: io.BytesIO(pdf), is_pdf=True))
    with override(language):
        return render_sheet(Sheet(title="Laboratory result", reference="J3B5QB",
                                  story=paragraphs("Гемоглобин 128 г/л. Oʻzgarishlar yoʻq."), attachments=attachments),
                            language=language)


def timed(work, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds: on a shared, busy machine the CPU time is what the print itself costs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def peak(work) -> tuple[float, object]:
    tracemalloc.start()
    result = work()
    _current, highest = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return highest / 1024 / 1024, result


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", default="10,100", help="the sizes whose memory is measured, in pages")
    arguments = parser.parse_args()
    repeat, sizes = arguments.repeat, [int(size) for size in arguments.pages.split(",")]
    setup_django()
    invoice_pdf(5)  # the fonts are derived and registered once, before timing
    wall, cpu, pdf = timed(lambda: invoice_pdf(200), repeat)
    print(f"invoice, 200 items: {wall:.3f} s wall, {cpu:.3f} s CPU (medians of {repeat}), {pages(pdf)} pages, "
          f"{len(pdf) // 1024} KiB")
    photos, scan = [photo(seed) for seed in range(20)], scanned_pdf(30)
    wall, cpu, pdf = timed(lambda: lab_report_pdf(photos, scan), repeat)
    print(f"lab report, 20 photos of 1600x1200 + a 30-page PDF: {wall:.3f} s wall, {cpu:.3f} s CPU (medians of "
          f"{repeat}), {pages(pdf)} pages, {len(pdf) // 1024 // 1024} MiB")
    for label, make in (("invoice", lambda size: invoice_pdf(size * ITEMS_PER_PAGE)),
                        ("lab report (PDF appended)", lambda size: lab_report_pdf([], scanned_pdf(size)))):
        figures = []
        for size in sizes:
            mib, pdf = peak(lambda make=make, size=size: make(size))
            figures.append(f"{mib:.1f} MiB at {pages(pdf)} pages ({len(pdf) // 1024} KiB of PDF)")
        print(f"{label}: peak " + ", ".join(figures))


if __name__ == "__main__":
    main()
