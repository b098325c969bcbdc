"""The figures of the dashboard's cards: today in the house and on the wards, occupancy of the next two weeks,
this month's money against last month's, what is owed, and the queues waiting for someone.

Each figure is read with one aggregate query (or a report's own reader), whatever the size of the hospital, so
every role's dashboard costs the same few queries on a small and on a big hospital. The occupancy and the money
are the reports' own readers over a short period: a card and its report can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hayat.billing.models import RefundRequest, RefundStatus
from hayat.clinical.models import AdmissionType, BedAssignment, Episode, EpisodeStatus
from hayat.core.policy import can
from hayat.facilities.availability import midnight
from hayat.reports import cells, charts
from hayat.reports.filters import Filters
from hayat.reports.kinds import money, occupancy, revenue
from hayat.reports.registry import DAY, MONEY_AMOUNT, PERCENT, Column, Table
from hayat.stays.models import EXPECTED, IN_HOUSE, OPEN_WAITLIST, GuestLine, WaitlistEntry

AHEAD = 14
ZERO = Decimal("0")


def in_the_house(today: date) -> dict[str, int]:
    """Guests arriving and leaving today and those in the house now (people, not bookings): one query, over the
    lines that touch today only (each figure asks for one of them), not over every stay of the hospital's years."""
    lines = GuestLine.objects.filter(removed_at__isnull=True, start_date__lte=today, end_date__gte=today)
    return lines.aggregate(
        arriving=Count("patient_id", distinct=True,
                       filter=Q(start_date=today, booking__status__in=EXPECTED | IN_HOUSE)),
        leaving=Count("patient_id", distinct=True, filter=Q(end_date=today, booking__status__in=IN_HOUSE)),
        in_house=Count("patient_id", distinct=True,
                       filter=Q(start_date__lte=today, end_date__gte=today, booking__status__in=IN_HOUSE)))


def on_the_wards(today: date) -> dict[str, int]:
    """Inpatients in care now, and those admitted and discharged today: one query."""
    start, end = midnight(today), midnight(today + timedelta(days=1))
    inpatient = Q(admission_type=AdmissionType.INPATIENT)
    return Episode.objects.aggregate(
        inpatients=Count("id", filter=Q(status=EpisodeStatus.ADMITTED)),
        admitted_today=Count("id", filter=inpatient & Q(admitted_at__gte=start, admitted_at__lt=end)),
        discharged_today=Count("id", filter=inpatient & Q(discharged_at__gte=start, discharged_at__lt=end)))


@dataclass
class Outlook:
    """Occupancy of the days ahead: the table (for the screen reader and the numbers) and its chart."""

    table: Table
    chart: charts.Drawing


OUTLOOK_COLUMNS = (Column("day", _("Day")), Column("in_service", _("Places in service")),
                   Column("occupied", _("Occupied")), Column("percent", _("Occupancy, %"), PERCENT))


def occupancy_ahead(today: date, days: int = AHEAD) -> Outlook:
    """Places in service and booked or occupied on each of the next `days` days, today included."""
    found = occupancy.per_day(Filters(start=today, end=today + timedelta(days=days)))
    rows = [(day, values["in_service"], values["occupied"], occupancy.percent(values["occupied"], values["in_service"]))
            for day, values in found.items()]
    table = Table(OUTLOOK_COLUMNS, rows, label_kind=DAY)
    labels = [cells.for_reader(day, DAY) for day in table.column_values("day")]
    chart = charts.drawing(title=str(_("Occupancy, next two weeks")), labels=labels,
                           series=[(_("Places in service"), table.column_values("in_service")),
                                   (_("Occupied"), table.column_values("occupied"))])
    return Outlook(table=table, chart=chart)


MONTH_COLUMNS = (Column("period", _("Period"), "text"), Column("charged", _("Charged"), MONEY_AMOUNT),
                 Column("net", _("Net received"), MONEY_AMOUNT))


@dataclass
class MonthAgainstLast:
    this_month: dict[str, Decimal]
    same_days_last_month: dict[str, Decimal]
    last_month: dict[str, Decimal]
    table: Table
    chart: charts.Drawing

    @property
    def change(self) -> float | None:
        """Net received so far this month against the same days of last month, in per cent."""
        before = self.same_days_last_month["net"]
        return round(float(100 * (self.this_month["net"] - before) / before), 1) if before else None


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def same_day_a_month_before(day: date) -> date:
    """The day of last month with the same number, or its last day (31 March → 28 or 29 February)."""
    last_month_end = first_of_month(day) - timedelta(days=1)
    return last_month_end.replace(day=min(day.day, last_month_end.day))


def revenue_by_month(today: date) -> MonthAgainstLast:
    """Charged and received this month so far, on the same days of last month, and over the whole of last month:
    the revenue report's reader over the two months (two queries)."""
    tomorrow = today + timedelta(days=1)
    last_start = first_of_month(first_of_month(today) - timedelta(days=1))
    days = revenue.per_day(Filters(start=last_start, end=tomorrow))

    def summed(start: date, end: date) -> dict[str, Decimal]:
        inside = [values for day, values in days.items() if start <= day < end]
        totals = {key: sum((Decimal(values.get(key) or 0) for values in inside), ZERO) for key in revenue.KEYS}
        return {"charged": totals["charged"], "net": totals["payments"] + totals["deposits"] - totals["refunds"]}

    this_month = summed(first_of_month(today), tomorrow)
    same_days = summed(last_start, same_day_a_month_before(today) + timedelta(days=1))
    last_month = summed(last_start, first_of_month(today))
    rows = [(str(_("This month so far")), this_month["charged"], this_month["net"]),
            (str(_("Same days of last month")), same_days["charged"], same_days["net"]),
            (str(_("All of last month")), last_month["charged"], last_month["net"])]
    table = Table(MONTH_COLUMNS, rows)
    chart = charts.drawing(title=str(_("Revenue this month and last")), labels=[row[0] for row in rows],
                           series=[(_("Charged"), table.column_values("charged")),
                                   (_("Net received"), table.column_values("net"))])
    return MonthAgainstLast(this_month, same_days, last_month, table, chart)


def money_owed(today: date) -> dict:
    """Bills with a balance due, what they owe, and the part overdue by more than thirty days: the outstanding
    balances report on today (one query)."""
    table = money.outstanding(Filters(start=today, end=today + timedelta(days=1)))
    _label, bills, owed = table.total
    overdue = [row for row, (_band, low, _high) in zip(table.rows, money.AGE_BANDS, strict=True)
               if low is not None and low > 0]
    return {"bills": bills, "owed": owed, "overdue_bills": sum(row[1] for row in overdue),
            "overdue": sum((row[2] for row in overdue), ZERO)}


@dataclass(frozen=True)
class Queue:
    """One line of the queues card: what waits, the capability of the person who works it, and where."""

    key: str
    label: str
    capability: str
    url_name: str


# The queues without a card of their own (refunds to approve and top-ups to ask for have theirs, in billing).
QUEUES = (
    Queue("waitlist", _("On the waiting list"), "stays.waitlist", "stays:waitlist"),
    Queue("requested_refunds", _("Refunds you asked for, awaiting approval"), "billing.request_refund",
          "billing:refund_list"),
    Queue("beds", _("Inpatients waiting for a bed"), "episodes.assign_bed", "clinical:episode_list"),
)


def queues_for(user) -> list[dict]:
    """The queues this person works, each with how many wait in it: one query per queue shown."""
    counters = {
        "waitlist": lambda: WaitlistEntry.objects.filter(status__in=OPEN_WAITLIST).count(),
        "requested_refunds": lambda: RefundRequest.objects.filter(status=RefundStatus.REQUESTED,
                                                                  requested_by=user).count(),
        "beds": lambda: waiting_for_a_bed().count(),
    }
    return [{"label": queue.label, "url_name": queue.url_name, "count": counters[queue.key]()}
            for queue in QUEUES if can(user, queue.capability)]


def waiting_for_a_bed():
    """Inpatients the doctor admits, waiting for coding, or admitted, who lie in no bed."""
    in_bed = BedAssignment.objects.filter(episode=OuterRef("pk"), ended_at__isnull=True)
    return Episode.objects.filter(
        Q(status=EpisodeStatus.READY_FOR_CODING, admission_type=AdmissionType.INPATIENT)
        | Q(status=EpisodeStatus.ADMITTED)).alias(in_bed=Exists(in_bed)).filter(in_bed=False)
