"""The invoice of a bill: itemised, its payer, the tax part when one is configured, what was paid and what is due.

An invoice is issued and kept (hayat.documents.printing.issue). An episode has one bill; a booking has one per
payer (docs/adr/0012): each bill is invoiced on its own, to its payer (an organisation or the patient), with only
its own lines.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy
from reportlab.platypus import Flowable

from hayat.billing import selectors
from hayat.billing.models import Bill, BillStatus
from hayat.core.formats import format_date, format_datetime, format_money, format_period
from hayat.core.money import round_money
from hayat.documents.kind import Kind
from hayat.documents.kinds.common import quantity
from hayat.documents.layout import Sheet, facts, grid, heading
from hayat.documents.models import Letterhead

HUNDRED = Decimal("100")


def queryset():
    return selectors.bill_queryset()


def view_of(bill: Bill) -> selectors.LiveBill:
    return selectors.with_money(selectors.live_bill(bill))


def invoice_facts(bill: Bill) -> dict:
    """What the invoice says, free of language: a change of any of it issues a new version."""
    view = view_of(bill)
    return {
        "bill": bill.number, "status": bill.status, "patient": bill.patient_id, "payer": bill.payer_name,
        "total": view.total,
        "paid": bill.paid_total, "balance": view.balance,
        "lines": [[line.kind, line.description, line.quantity, line.unit_price, line.amount]
                  for _label, lines in view.groups for line in lines],
        "payments": [[payment.number, payment.amount] for payment in view.payments],
        "deposits": [[application.pk, application.amount] for application in view.applications],
    }


def compose(bill: Bill) -> Sheet:
    return Sheet(title=pgettext("document", "Invoice"), reference=bill.number, story=bill_section(view_of(bill)))


def source_rows(bill: Bill) -> list[tuple[str, str]]:
    if bill.booking_id:
        booking = bill.booking
        return [(_("Booking"), booking.number), (_("Stay"), format_period(booking.start_date, booking.end_date))]
    episode = bill.episode
    return [(_("Case number"), episode.case_number),
            (_("Admission"), format_period(episode.admitted_at or episode.registered_at, episode.discharged_at))]


def payer_rows(bill: Bill) -> list[tuple[str, str]]:
    """Who the invoice is made out to: the paying organisation (its tax number, its address) or the patient."""
    organisation = bill.organisation
    if organisation is None:
        return [(_("Payer"), f"{bill.patient.full_name} ({bill.patient.code})")]
    rows = [(_("Payer"), organisation.name)]
    if organisation.tax_number:
        rows.append((_("Tax number"), organisation.tax_number))
    if organisation.address:
        rows.append((_("Address"), organisation.address))
    return [*rows, (_("Patient"), f"{bill.patient.full_name} ({bill.patient.code})")]


def bill_section(view: selectors.LiveBill) -> list[Flowable]:
    """One bill for one payer: who pays, the items, the totals, the payments."""
    bill = view.bill
    letterhead = Letterhead.current()
    story: list[Flowable] = [facts([
        (_("Bill"), bill.number), (_("Status"), BillStatus(bill.status).label),
        *payer_rows(bill), *source_rows(bill),
        (_("Date"), format_date(view.at)),
    ], columns=2), heading(_("Items"))]
    rows = ([str(index), line.description, line.kind_label, quantity(line.quantity), format_money(line.unit_price),
             format_money(line.amount)]
            for index, line in enumerate((line for _label, lines in view.groups for line in lines), start=1))
    totals = [["", _("Total"), "", "", "", format_money(view.total)]]
    if letterhead.has_tax:
        totals.append(["", _("including %(tax)s %(rate)s%%") % {"tax": letterhead.tax_name,
                                                                 "rate": quantity(letterhead.tax_rate)},
                       "", "", "", format_money(tax_part(view.total, letterhead.tax_rate))])
    totals += [["", _("Paid"), "", "", "", format_money(bill.paid_total)],
               ["", _("Balance due"), "", "", "", format_money(view.balance)]]
    story.append(grid([_("No."), _("Item"), _("Kind"), _("Quantity"), _("Price"), _("Amount")], rows,
                      widths=[0.05, 0.39, 0.16, 0.08, 0.16, 0.16], numeric=(0, 3, 4, 5), totals=totals))
    if view.payments or view.applications:
        story += [heading(_("Payments")), grid(
            [_("Receipt"), _("Date"), _("Method"), _("Amount")],
            [*([payment.number, format_datetime(payment.at), payment.get_method_display(),
                format_money(-payment.amount if payment.is_refund else payment.amount)] for payment in view.payments),
             *(["", format_datetime(application.at), _("From the deposit"), format_money(application.amount)]
               for application in view.applications)],
            widths=[0.25, 0.3, 0.25, 0.2], numeric=(3,))]
    return story


def tax_part(total: Decimal, rate: Decimal) -> Decimal:
    """The tax included in a total at `rate` percent."""
    return round_money(total * rate / (HUNDRED + rate))


KIND = Kind(
    slug="invoice", label=pgettext_lazy("document", "Invoice"), access_label=gettext_noop("invoice"),
    capability="billing.view",
    queryset=queryset, patient_ids=lambda bill: [bill.patient_id], compose=compose, facts=invoice_facts,
    number=lambda bill, version: f"{bill.number}/{version}",
    is_final=lambda bill: bill.status != BillStatus.VOID,
)
