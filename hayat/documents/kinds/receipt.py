"""The receipt of a payment, deposit or refund: the amount, what it was paid for, the balance after it."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from hayat.billing.models import ItemKind, Payment, PaymentKind
from hayat.core.formats import format_datetime, format_money, format_period
from hayat.documents.kind import Kind
from hayat.documents.layout import WIDTH, Sheet, facts, grid, heading, signature_lines, styles, text


def queryset():
    return Payment.objects.select_related("patient", "bill__booking", "bill__episode", "received_by",
                                          "refund_request__decided_by")


def title_of(payment: Payment) -> str:
    return {PaymentKind.PAYMENT: _("Payment receipt"), PaymentKind.DEPOSIT: _("Deposit receipt"),
            PaymentKind.REFUND: _("Refund receipt")}[payment.kind]


def rows_of(payment: Payment) -> list[tuple[str, str]]:
    rows = [(_("Receipt number"), payment.number), (_("Date"), format_datetime(payment.at)),
            (_("Patient"), f"{payment.patient.full_name} ({payment.patient.code})")]
    if payment.bill_id:
        bill = payment.bill
        rows.append((_("Bill"), bill.number))
        if bill.booking_id:
            rows += [(_("Booking"), bill.booking.number),
                     (_("Stay"), format_period(bill.booking.start_date, bill.booking.end_date))]
        else:
            rows.append((_("Case number"), bill.episode.case_number))
    rows.append((_("Method"), payment.get_method_display()))
    rows.append((_("Note"), payment.note))
    if payment.balance_after is not None:
        rows.append((balance_label(payment), format_money(payment.balance_after)))
    rows.append((_("Paid out by") if payment.is_refund else _("Received by"), payment.received_by.full_name))
    refund = getattr(payment, "refund_request", None) if payment.is_refund else None
    if refund is not None and refund.decided_by_id:
        rows.append((_("Approved by"), refund.decided_by.full_name))
    return rows


def balance_label(payment: Payment) -> str:
    if not payment.bill_id:
        return _("Deposit left")
    return _("Balance due after this payment") if payment.kind == PaymentKind.PAYMENT else _("Balance after")


def paid_for(payment: Payment) -> list[Flowable]:
    """What the bill paid into is made of: its items summed by kind."""
    if not payment.bill_id or payment.is_refund:
        return []
    sums = list(payment.bill.items.values("kind").annotate(total=Sum("amount")).order_by("kind"))
    return [heading(_("Paid for")), grid([_("Kind"), _("Amount")],
                                         [[ItemKind(row["kind"]).label, format_money(row["total"])] for row in sums],
                                         widths=[0.7, 0.3], numeric=(1,),
                                         totals=[[_("Bill total"), format_money(sum(row["total"] for row in sums))]])]


def amount_box(payment: Payment) -> Table:
    sign = "-" if payment.is_refund else ""
    style = styles().title.clone("amount", fontSize=18, leading=22, alignment=1)
    box = Table([[text(f"{sign}{format_money(payment.amount)}", style)]], colWidths=[WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return box


def compose(payment: Payment) -> Sheet:
    story = [amount_box(payment), Spacer(1, 4 * mm), facts(rows_of(payment)), *paid_for(payment),
             signature_lines([_("Teller's signature"), _("Patient's signature")]),
             Spacer(1, 4 * mm), text(_("Keep this receipt."), styles().label)]
    return Sheet(title=title_of(payment), reference=payment.number, story=story)


KIND = Kind(
    slug="receipt", label=gettext_lazy("Receipt"), access_label=gettext_noop("receipt"), capability="billing.view",
    queryset=queryset, patient_ids=lambda payment: [payment.patient_id], compose=compose,
)
