"""Closing a teller's cash day (Z-report): totals by method and kind, the cash expected in the drawer against
the cash counted, the difference kept with a note. A closed day never changes: money a teller takes after
closing counts in their next open day (`cash_day_for()`), and the move is audited.

Lock order: the teller's user row is taken by closing and by every receipt written for that teller (after the
patient and the bill rows), so a payment and the closing of its day never interleave.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hayat.billing.models import ZERO, DayClose, Payment, PaymentKind, PaymentMethod
from hayat.core import audit, clock, policy
from hayat.core.errors import Conflict, DomainError
from hayat.core.money import format_money
from hayat.core.transactions import retrying_atomic


@dataclass
class DayTotals:
    """What one teller's day holds: money in by kind, net money by method, and the cash the drawer should hold."""

    teller_id: int
    day: date
    entries: list[Payment] = field(default_factory=list)
    payments: Decimal = ZERO
    deposits: Decimal = ZERO
    refunds: Decimal = ZERO
    by_method: dict[str, Decimal] = field(default_factory=lambda: {method: ZERO for method in PaymentMethod.values})

    @property
    def expected_cash(self) -> Decimal:
        return self.by_method[PaymentMethod.CASH]

    def add(self, payment: Payment) -> None:
        self.entries.append(payment)
        sign = -1 if payment.kind == PaymentKind.REFUND else 1
        self.by_method[payment.method] += sign * payment.amount
        if payment.kind == PaymentKind.PAYMENT:
            self.payments += payment.amount
        elif payment.kind == PaymentKind.DEPOSIT:
            self.deposits += payment.amount
        else:
            self.refunds += payment.amount


def day_totals(*, teller_id: int, day: date) -> DayTotals:
    """The Z-report figures of a teller's day (one query)."""
    totals = DayTotals(teller_id=teller_id, day=day)
    for payment in (Payment.objects.filter(received_by_id=teller_id, cash_day=day)
                    .select_related("patient", "bill").order_by("at", "id")):
        totals.add(payment)
    return totals


def cash_day_for(teller_id: int, at: datetime) -> date:
    """The day money taken at `at` counts in for this teller: that day, or the next one not closed yet.

    Locks the teller's row, so the day cannot be closed between this choice and the receipt's insert.
    """
    get_user_model().objects.select_for_update().filter(pk=teller_id).exists()
    day = timezone.localtime(at).date()
    closed = set(DayClose.objects.filter(teller_id=teller_id, day__gte=day).values_list("day", flat=True))
    while day in closed:
        day += timedelta(days=1)
    return day


def note_moved_day(payment: Payment, *, by: Any) -> None:
    """Audits money written onto a later day because the teller's day it changed hands on was closed."""
    taken_on = timezone.localtime(payment.at).date()
    if payment.cash_day != taken_on:
        audit.record("billing.cash_day_moved", by=by, obj=payment, patient_id=payment.patient_id,
                     note=_("%(day)s was already closed.") % {"day": date_format(taken_on)},
                     changes={"cash_day": [str(taken_on), str(payment.cash_day)]})


def parse_counted(value: Any) -> Decimal:
    from hayat.billing.services import parse_money

    if value in (None, ""):
        raise DomainError(_("Enter the cash counted in the drawer."), field="counted_cash")
    counted = parse_money(value, field="counted_cash")
    if counted < 0:
        raise DomainError(_("The cash counted cannot be negative."), field="counted_cash")
    return counted


@retrying_atomic
def close_day(*, by: Any, day: date, counted_cash: Any, note: str = "") -> DayClose:
    """Closes the acting teller's cash day with the cash counted; a difference from the expected cash needs a
    note. The totals are written as they stand now and never change afterwards."""
    policy.ensure(by, "billing.close_day")
    counted = parse_counted(counted_cash)
    note = (note or "").strip()
    if day > clock.today():
        raise DomainError(_("A day can be closed once it has begun."), field="day")
    get_user_model().objects.select_for_update().filter(pk=by.pk).exists()
    if DayClose.objects.filter(teller=by, day=day).exists():
        raise Conflict(_("%(day)s is already closed.") % {"day": date_format(day)}, code="day_closed")
    totals = day_totals(teller_id=by.pk, day=day)
    difference = counted - totals.expected_cash
    if difference and not note:
        raise DomainError(_("The count differs from the expected %(expected)s by %(difference)s: say why.")
                          % {"expected": format_money(totals.expected_cash), "difference": format_money(difference)},
                          code="difference_needs_note", field="note")
    closed = DayClose.objects.create(
        teller=by, day=day, payments=totals.payments, deposits=totals.deposits, refunds=totals.refunds,
        cash_in=totals.payments + totals.deposits, card_in=totals.by_method[PaymentMethod.CARD],
        transfer_in=totals.by_method[PaymentMethod.TRANSFER], expected_cash=totals.expected_cash,
        counted_cash=counted, difference=difference, note=note, receipts=len(totals.entries),
        closed_at=clock.now(), closed_by=by,
    )
    audit.record("billing.day_close", by=by, obj=closed, note=note, changes={
        "day": [None, str(day)], "expected_cash": [None, str(totals.expected_cash)],
        "counted_cash": [None, str(counted)], "difference": [None, str(difference)]})
    return closed


def as_csv(closed: DayClose, totals: DayTotals) -> str:
    """The Z-report as CSV (UTF-8 with a byte-order mark so spreadsheet programs read Cyrillic right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Teller"), closed.teller.full_name])
    writer.writerow([_("Day"), closed.day.isoformat()])
    for label, value in ((_("Payments"), closed.payments), (_("Deposits"), closed.deposits),
                         (_("Refunds paid"), closed.refunds), (_("Cash"), closed.expected_cash),
                         (_("Card"), closed.card_in), (_("Bank transfer"), closed.transfer_in),
                         (_("Expected cash"), closed.expected_cash), (_("Counted cash"), closed.counted_cash),
                         (_("Difference"), closed.difference)):
        writer.writerow([label, f"{value:.2f}"])
    writer.writerow([_("Note"), closed.note])
    writer.writerow([])
    writer.writerow([_("Receipt"), _("Time"), _("Kind"), _("Method"), _("Patient"), _("Amount")])
    for payment in totals.entries:
        writer.writerow([payment.number, timezone.localtime(payment.at).strftime("%Y-%m-%d %H:%M"),
                         payment.get_kind_display(), payment.get_method_display(),
                         f"{payment.patient.full_name} ({payment.patient.code})", f"{payment.amount:.2f}"])
    return "\ufeff" + buffer.getvalue()
