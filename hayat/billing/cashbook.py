"""The daily cash report: money in and out of the cash desk by day and teller, with totals and a CSV."""

from __future__ import annotations

import csv
import io
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hayat.billing.models import ZERO, Payment, PaymentKind, PaymentMethod
from hayat.core import audit_chain
from hayat.core.errors import DomainError
from hayat.core.params import date_from

MAX_DAYS = 92


@dataclass
class Row:
    """One teller's day: what came in as payments and deposits, what went out as refunds."""

    day: date
    teller_id: int
    teller: str
    payments: Decimal = ZERO
    deposits: Decimal = ZERO
    refunds: Decimal = ZERO
    count: int = 0

    @property
    def cash_in(self) -> Decimal:
        return self.payments + self.deposits

    @property
    def net(self) -> Decimal:
        return self.cash_in - self.refunds

    def add(self, payment: Payment) -> None:
        self.count += 1
        if payment.kind == PaymentKind.PAYMENT:
            self.payments += payment.amount
        elif payment.kind == PaymentKind.DEPOSIT:
            self.deposits += payment.amount
        else:
            self.refunds += payment.amount


@dataclass
class CashReport:
    start: date
    end: date
    rows: list[Row] = field(default_factory=list)
    entries: list[Payment] = field(default_factory=list)
    # The audit chain's head when the report was printed (the pages add it): on paper, it anchors the trail.
    chain_head: audit_chain.Head | None = None

    def total(self, name: str) -> Decimal:
        return sum((getattr(row, name) for row in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {name: self.total(name) for name in ("payments", "deposits", "refunds", "cash_in", "net")}

    @property
    def method_rows(self) -> list[tuple[str, str, Decimal]]:
        """(method, label, net amount) for every method, cash first: the totals the page and the CSV show."""
        by_method = self.by_method
        return [(method, label, by_method.get(method, ZERO)) for method, label in PaymentMethod.choices]

    @property
    def by_method(self) -> dict[str, Decimal]:
        """Net money per method (cash, card, transfer): what the drawer and the terminal should show."""
        result: dict[str, Decimal] = {}
        for payment in self.entries:
            sign = -1 if payment.kind == PaymentKind.REFUND else 1
            result[payment.method] = result.get(payment.method, ZERO) + sign * payment.amount
        return result


def cash_report(*, start: date, end: date | None = None, teller_id: int | None = None) -> CashReport:
    """Every payment, deposit and refund counted in the tellers' days from `start` to `end` (both included: the
    day the money changed hands, or the next open day when that one was closed); one query."""
    end = end or start
    for name, day in (("start", start), ("end", end)):
        if date_from(day) is None:
            raise DomainError(_("Choose a day between 1900 and 2199."), field=name)
    if end < start:
        raise DomainError(_("The last day comes before the first."), field="end")
    if (end - start).days >= MAX_DAYS:
        raise DomainError(_("Ask for at most %(days)d days at once.") % {"days": MAX_DAYS}, field="end")
    entries = Payment.objects.filter(cash_day__gte=start, cash_day__lte=end).select_related("received_by", "patient",
                                                                                             "bill")
    if teller_id is not None:
        entries = entries.filter(received_by_id=teller_id)
    report = CashReport(start=start, end=end, entries=list(entries.order_by("at", "id")))
    rows: OrderedDict[tuple[date, int], Row] = OrderedDict()
    for payment in report.entries:
        day = payment.cash_day
        key = (day, payment.received_by_id)
        if key not in rows:
            rows[key] = Row(day=day, teller_id=payment.received_by_id, teller=payment.received_by.full_name)
        rows[key].add(payment)
    report.rows = sorted(rows.values(), key=lambda row: (row.day, row.teller))
    return report


def as_csv(report: CashReport) -> str:
    """The report as CSV (UTF-8 with a byte-order mark so spreadsheet programs read Cyrillic right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Receipt"), _("Date"), _("Time"), _("Teller"), _("Kind"), _("Method"), _("Patient"),
                     _("Bill"), _("Amount"), _("Signed amount")])
    for payment in report.entries:
        local = timezone.localtime(payment.at)
        signed = -payment.amount if payment.kind == PaymentKind.REFUND else payment.amount
        writer.writerow([payment.number, local.date().isoformat(), local.strftime("%H:%M"),
                         payment.received_by.full_name, payment.get_kind_display(), payment.get_method_display(),
                         f"{payment.patient.full_name} ({payment.patient.code})",
                         payment.bill.number if payment.bill_id else "", f"{payment.amount:.2f}", f"{signed:.2f}"])
    writer.writerow([])
    writer.writerow([_("Date"), _("Teller"), _("Payments"), _("Deposits"), _("Refunds"), _("Net")])
    for row in report.rows:
        writer.writerow([row.day.isoformat(), row.teller, f"{row.payments:.2f}", f"{row.deposits:.2f}",
                         f"{row.refunds:.2f}", f"{row.net:.2f}"])
    totals = report.totals
    writer.writerow([_("Total"), "", f"{totals['payments']:.2f}", f"{totals['deposits']:.2f}",
                     f"{totals['refunds']:.2f}", f"{totals['net']:.2f}"])
    writer.writerow([])
    writer.writerow([_("Method"), _("Net")])
    for _method, label, amount in report.method_rows:
        writer.writerow([label, f"{amount:.2f}"])
    if report.chain_head:
        writer.writerow([])
        writer.writerow([str(report.chain_head)])
    return "\ufeff" + buffer.getvalue()
