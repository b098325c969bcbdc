"""Money reports beside revenue by period: payments by method, charges by kind of item, and outstanding
balances with the days they are overdue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from hayat.billing.models import Bill, BillItem, BillStatus, ItemKind, Payment, PaymentKind, PaymentMethod
from hayat.core import clock
from hayat.facilities.availability import midnight
from hayat.reports.filters import Filters
from hayat.reports.kinds.revenue import of_department
from hayat.reports.registry import MONEY, MONEY_AMOUNT, TEXT, Chart, Column, Report, Table

ZERO = Decimal("0")


def in_period(filters: Filters, moment: str) -> Q:
    return Q(**{f"{moment}__gte": midnight(filters.start), f"{moment}__lt": midnight(filters.end)})


def total_row(rows: list[tuple], label=None) -> tuple:
    return (label or _("Total"), *(sum(row[index] for row in rows) for index in range(1, len(rows[0]))))


def payments_by_method(filters: Filters) -> Table:
    moved = Payment.objects.filter(in_period(filters, "at"), of_department(filters, "bill__"))
    sums = {row["method"]: row for row in moved.order_by().values("method").annotate(
                receipts=Count("id"), payments=Sum("amount", filter=Q(kind=PaymentKind.PAYMENT)),
                deposits=Sum("amount", filter=Q(kind=PaymentKind.DEPOSIT)),
                refunds=Sum("amount", filter=Q(kind=PaymentKind.REFUND)))}
    rows = []
    for method, label in PaymentMethod.choices:
        found = sums.get(method, {})
        amounts = [found.get(key) or ZERO for key in ("payments", "deposits", "refunds")]
        rows.append((label, found.get("receipts", 0), *amounts, amounts[0] + amounts[1] - amounts[2]))
    columns = (Column("method", _("Method"), TEXT), Column("receipts", _("Receipts")),
               Column("payments", _("Payments"), MONEY_AMOUNT), Column("deposits", _("Deposits"), MONEY_AMOUNT),
               Column("refunds", _("Refunds"), MONEY_AMOUNT), Column("net", _("Net received"), MONEY_AMOUNT))
    return Table(columns, rows, total=total_row(rows))


def charges_by_kind(filters: Filters) -> Table:
    labels = dict(ItemKind.choices)
    found = (BillItem.objects.exclude(bill__status=BillStatus.VOID)
             .filter(in_period(filters, "added_at"), of_department(filters, "bill__"))
             .order_by().values("kind", "service__service_type__name")
             .annotate(lines=Count("id"), amount=Sum("amount")).order_by("kind", "service__service_type__name"))
    rows = [(labels.get(row["kind"], row["kind"]), row["service__service_type__name"] or "–", row["lines"],
             row["amount"] or ZERO) for row in found]
    columns = (Column("kind", _("Kind"), TEXT), Column("service_type", _("Service type"), TEXT),
               Column("lines", _("Lines")), Column("amount", _("Charged"), MONEY_AMOUNT))
    total = (_("Total"), "", sum(row[2] for row in rows), sum((row[3] for row in rows), ZERO)) if rows else None
    return Table(columns, rows, total=total)


# Days overdue: a booking's bill is due on departure, an episode's on discharge.
AGE_BANDS = ((_("Not yet due"), None, 0), (_("0–30 days"), 0, 31), (_("31–60 days"), 31, 61),
             (_("61–90 days"), 61, 91), (_("Over 90 days"), 91, None))


def overdue_between(low: int | None, high: int | None, today) -> Q:
    """Bills due between `high` (exclusive) and `low` days ago; `low` None: not due yet (still open)."""
    if low is None:
        return Q(booking__end_date__gt=today) | Q(episode__isnull=False, episode__discharged_at__isnull=True)
    booking, episode = Q(booking__end_date__lte=today - timedelta(days=low)), \
        Q(episode__discharged_at__lt=midnight(today - timedelta(days=low - 1)))
    if high is not None:
        booking &= Q(booking__end_date__gt=today - timedelta(days=high))
        episode &= Q(episode__discharged_at__gte=midnight(today - timedelta(days=high - 1)))
    return booking | episode


def outstanding(filters: Filters) -> Table:
    today = min(clock.today(), filters.last_day)
    owing = Bill.objects.exclude(status=BillStatus.VOID).filter(of_department(filters, ""), balance__gt=0)
    aggregates = {}
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        condition = overdue_between(low, high, today)
        aggregates[f"bills_{index}"] = Count("id", filter=condition)
        aggregates[f"owed_{index}"] = Sum("balance", filter=condition)
    found = owing.aggregate(**aggregates)
    rows = [(label, found[f"bills_{index}"], found[f"owed_{index}"] or ZERO)
            for index, (label, _low, _high) in enumerate(AGE_BANDS)]
    columns = (Column("age", _("Overdue"), TEXT), Column("bills", _("Bills")), Column("owed", _("Owed"), MONEY_AMOUNT))
    return Table(columns, rows, total=total_row(rows))


PAYMENTS_BY_METHOD = Report(
    slug="payments_by_method", title=_("Payments by method"), group=MONEY, capability="reports.revenue",
    description=_("Receipts, payments, deposits and refunds by cash, card and transfer."),
    read=payments_by_method, chart=Chart("method", ("payments", "refunds")), filters=("department",))
CHARGES_BY_KIND = Report(
    slug="charges_by_kind", title=_("Revenue by service type"), group=MONEY, capability="reports.revenue",
    description=_("Charges on bills by kind of line and service type."),
    read=charges_by_kind, chart=Chart("kind", ("amount",)), filters=("department",))
OUTSTANDING = Report(
    slug="outstanding", title=_("Outstanding balances"), group=MONEY, capability="reports.revenue",
    description=_("Unpaid balances by days overdue at the end of the period (or today)."),
    read=outstanding, chart=Chart("age", ("owed",)), filters=("department",))
