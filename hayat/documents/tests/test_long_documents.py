"""A long invoice prints in bounded memory: its items become table cells a page at a time (layout.Grid), so the
memory a print takes stays far below what building every page's table at once took (about 620 KiB a page)."""

from __future__ import annotations

import io
import re
import tracemalloc
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import override
from pypdf import PdfReader

from hayat.billing.models import Bill, BillStatus, ItemKind
from hayat.billing.selectors import Line, LiveBill
from hayat.clinical.models import Episode
from hayat.documents.kinds.invoice import bill_section
from hayat.documents.layout import Sheet
from hayat.documents.printing import render_sheet
from hayat.patients.models import Patient

ITEMS = 8200  # 200 pages
# The whole table at once took 82 MiB for 133 pages; page by page, printing 200 pages stays under 20 MiB.
BOUND_MIB = 40


def long_bill(items: int) -> LiveBill:
    """A bill of `items` lines made in memory, as billing.selectors.live_bill makes it (no database rows)."""
    patient = Patient(pk=1, code="22A9G", first_name="Гульнора", last_name="Тошматова")
    at = datetime(2026, 11, 21, 9, tzinfo=ZoneInfo("UTC"))
    episode = Episode(pk=1, patient=patient, case_number="C-2026-000001", registered_at=at, admitted_at=at)
    bill = Bill(pk=1, number="INV-2026-000001", patient=patient, episode=episode, status=BillStatus.INVOICED,
                paid_total=Decimal("0"))
    lines = [Line(kind=ItemKind.MEDICATION, description=f"Цефтриаксон 1 г, ампула №{index}", quantity=Decimal(2),
                  unit_price=Decimal("45000"), amount=Decimal("90000")) for index in range(1, items + 1)]
    total = Decimal(90000 * items)
    return LiveBill(bill=bill, at=at, groups=[(ItemKind.MEDICATION.label, lines)], total=total, balance=total,
                    accruing=False, stale=False)


def print_invoice(view: LiveBill) -> bytes:
    with override("ru"):
        return render_sheet(Sheet(title="Счёт", reference="INV-2026-000001/1", story=bill_section(view)),
                            language="ru")


def test_a_200_page_invoice_prints_in_bounded_memory_with_every_item_under_a_header_on_every_page(letterhead):
    view = long_bill(ITEMS)
    print_invoice(long_bill(3))  # what a process does once (cutting the font, loading code) is not measured
    tracemalloc.start()
    try:
        pdf = print_invoice(view)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 200
    assert peak < BOUND_MIB, f"{peak:.1f} MiB for {len(pages)} pages"
    first, middle, last = (pages[index].extract_text() for index in (0, len(pages) // 2, -1))
    assert all("Позиция" in text for text in (first, middle, last)), "the header of the items on every page"
    assert re.search(r"ампула №1(?!\d)", first) and f"ампула №{ITEMS}" in last and "К оплате" in last
