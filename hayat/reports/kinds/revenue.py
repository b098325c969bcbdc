"""Revenue by day, week or month: what was charged on bills (items added, void bills left out), and the money
that moved at the cash desk: payments, deposits, refunds and the net. Moments count on the hospital's day."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from hayat.billing.models import BillItem, BillStatus, Payment, PaymentKind
from hayat.reports import periods
from hayat.reports.filters import Filters
from hayat.reports.registry import MONEY, MONEY_AMOUNT, Chart, Column, Report, Table

COLUMNS = (
    Column("period", _("Period")),
    Column("charged", _("Charged"), MONEY_AMOUNT),
    Column("payments", _("Payments"), MONEY_AMOUNT),
    Column("deposits", _("Deposits"), MONEY_AMOUNT),
    Column("refunds", _("Refunds"), MONEY_AMOUNT),
    Column("net", _("Net received"), MONEY_AMOUNT),
)
KEYS = ("charged", "payments", "deposits", "refunds")
ZERO = Decimal("0")


def of_department(filters: Filters, prefix: str) -> Q:
    """Money of the department's episodes when a department is chosen (stays belong to no department)."""
    if filters.department is None:
        return Q()
    return Q(**{f"{prefix}episode__department": filters.department})


def per_day(filters: Filters) -> dict:
    items = BillItem.objects.exclude(bill__status=BillStatus.VOID).filter(of_department(filters, "bill__"))
    charged = periods.by_local_day(items, "added_at", filters.start, filters.end, charged=Sum("amount"))
    money = Payment.objects.filter(of_department(filters, "bill__"))
    moved = periods.by_local_day(
        money, "at", filters.start, filters.end,
        payments=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
        deposits=Sum("amount", filter=Q(kind=PaymentKind.DEPOSIT)),
        refunds=Sum("amount", filter=Q(kind=PaymentKind.REFUND)))
    days = {}
    for day in {*charged, *moved}:
        days[day] = {**charged.get(day, {}), **moved.get(day, {})}
    return days


def row(label, values: dict) -> tuple:
    amounts = {key: Decimal(values[key] or 0) for key in KEYS}
    net = amounts["payments"] + amounts["deposits"] - amounts["refunds"]
    return (label, *(amounts[key] for key in KEYS), net)


def read(filters: Filters) -> Table:
    folded = periods.fold(per_day(filters), KEYS, filters.start, filters.end, filters.grain)
    total = {key: sum((values[key] for _first, values in folded), ZERO) for key in KEYS}
    return Table(COLUMNS, [row(first, values) for first, values in folded], total=row(_("Total"), total),
                 label_kind=filters.grain)


REPORT = Report(
    slug="revenue", title=_("Revenue"), group=MONEY, capability="reports.revenue",
    description=_("Charged on bills and received at the cash desk, by day, week or month."),
    read=read, chart=Chart("period", ("charged", "net")), filters=("grain", "department"))
