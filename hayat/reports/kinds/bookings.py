"""Bookings: room-type performance, cancellations and no-shows, booking sources, and the seasons.

Nights are counted inside the period: a guest line from 30 Nov to 3 Dec gives December two nights. Those
reports read one query of narrow rows (the lines overlapping the period) and fold it here, since no portable
SQL cuts a date range at the period's edges; the others are single aggregate queries.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from hayat.core import formats
from hayat.facilities.models import Bed, RoomType
from hayat.reports import periods
from hayat.reports.filters import Filters
from hayat.reports.registry import (
    BOOKINGS,
    DECIMAL,
    MONEY_AMOUNT,
    OCCUPANCY,
    PERCENT,
    TEXT,
    Chart,
    Column,
    Report,
    Table,
)
from hayat.stays.models import HOLDING, STAYED, Booking, BookingSource, BookingStatus, GuestLine

ZERO = Decimal("0")


def narrowed_lines(filters: Filters):
    lines = GuestLine.objects.filter(removed_at__isnull=True)
    if filters.room_type is not None:
        lines = lines.filter(room__room_type=filters.room_type)
    if filters.tariff is not None:
        lines = lines.filter(tariff=filters.tariff)
    if filters.source:
        lines = lines.filter(booking__source=filters.source)
    return lines


def nights_inside(start: date, end: date, filters: Filters) -> int:
    return max(0, (min(end, filters.end) - max(start, filters.start)).days)


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def room_type_performance(filters: Filters) -> Table:
    figures: dict[int, dict] = {}

    def of(type_id: int) -> dict:
        return figures.setdefault(type_id, {"bookings": set(), "nights": 0, "revenue": ZERO, "cancelled": set(),
                                            "no_show": set()})

    sold = narrowed_lines(filters).filter(booking__status__in=HOLDING, start_date__lt=filters.end,
                                          end_date__gt=filters.start)
    for type_id, booking_id, start, end, price in sold.values_list(
            "room__room_type_id", "booking_id", "start_date", "end_date", "price_per_day").order_by():
        nights = nights_inside(start, end, filters)
        entry = of(type_id)
        entry["bookings"].add(booking_id)
        entry["nights"] += nights
        entry["revenue"] += price * nights
    lost = narrowed_lines(filters).filter(booking__status__in=(BookingStatus.CANCELLED, BookingStatus.NO_SHOW),
                                          booking__start_date__gte=filters.start, booking__start_date__lt=filters.end)
    for type_id, booking_id, status in lost.values_list("room__room_type_id", "booking_id", "booking__status"):
        of(type_id)["cancelled" if status == BookingStatus.CANCELLED else "no_show"].add(booking_id)
    places = dict(Bed.objects.filter(is_active=True, room__is_active=True).order_by()
                  .values_list("room__room_type_id").annotate(count=Count("id")))
    rows = []
    for room_type in RoomType.objects.filter(pk__in=[*figures, *places]).order_by("name"):
        entry = of(room_type.pk)
        available = places.get(room_type.pk, 0) * filters.days
        nights, revenue = entry["nights"], entry["revenue"]
        rows.append((room_type.name, len(entry["bookings"]), nights, revenue,
                     (revenue / nights).quantize(Decimal("0.01")) if nights else ZERO,
                     (revenue / available).quantize(Decimal("0.01")) if available else ZERO,
                     percent(nights, available), len(entry["cancelled"]), len(entry["no_show"])))
    columns = (Column("room_type", _("Room type"), TEXT), Column("bookings", _("Bookings")),
               Column("nights", _("Nights")), Column("revenue", _("Revenue"), MONEY_AMOUNT),
               Column("rate", _("Average rate"), MONEY_AMOUNT),
               Column("revpar", _("Revenue per available place"), MONEY_AMOUNT),
               Column("occupancy", _("Occupancy, %"), PERCENT), Column("cancelled", _("Cancelled")),
               Column("no_show", _("No-shows")))
    return Table(columns, rows)


def bookings_starting(filters: Filters):
    bookings = Booking.objects.filter(start_date__gte=filters.start, start_date__lt=filters.end)
    if filters.source:
        bookings = bookings.filter(source=filters.source)
    if filters.room_type is not None or filters.tariff is not None:
        bookings = bookings.filter(pk__in=narrowed_lines(filters).values("booking_id"))
    return bookings


def cancellations(filters: Filters) -> Table:
    per_day = {row.pop("start_date"): row for row in bookings_starting(filters).order_by().values("start_date")
               .annotate(bookings=Count("id"), cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
                         no_show=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
                         expired=Count("id", filter=Q(status=BookingStatus.EXPIRED)))}
    keys = ("bookings", "cancelled", "no_show", "expired")
    lead = lead_times(filters)
    rows = []
    for first, values in periods.fold(per_day, keys, filters.start, filters.end, filters.grain):
        days = lead.get(first, [])
        rows.append((first, *(values[key] for key in keys), percent(values["cancelled"], values["bookings"]),
                     percent(values["no_show"], values["bookings"]),
                     round(sum(days) / len(days), 1) if days else None))
    columns = (Column("period", _("Arrival")), Column("bookings", _("Bookings")), Column("cancelled", _("Cancelled")),
               Column("no_show", _("No-shows")), Column("expired", _("Expired")),
               Column("cancel_rate", _("Cancelled, %"), PERCENT), Column("no_show_rate", _("No-shows, %"), PERCENT),
               Column("lead", _("Days cancelled before arrival"), DECIMAL))
    return Table(columns, rows, label_kind=filters.grain)


def lead_times(filters: Filters) -> dict[date, list[int]]:
    """{period: days between cancelling and the planned arrival} of the cancelled bookings arriving in it."""
    found: dict[date, list[int]] = {}
    zone = formats.hospital_zone()
    cancelled = bookings_starting(filters).filter(status=BookingStatus.CANCELLED, cancelled_at__isnull=False)
    for start, cancelled_at in cancelled.values_list("start_date", "cancelled_at"):
        days = (start - cancelled_at.astimezone(zone).date()).days
        found.setdefault(periods.period_of(start, filters.grain), []).append(max(0, days))
    return found


def cancel_reasons(filters: Filters) -> Table:
    found = (bookings_starting(filters).filter(status=BookingStatus.CANCELLED).order_by().values("cancel_reason")
             .annotate(count=Count("id")).order_by("-count", "cancel_reason")[:30])
    rows = [((row["cancel_reason"] or "–")[:120], row["count"]) for row in found]
    return Table((Column("reason", _("Reason"), TEXT), Column("count", _("Cancelled"))), rows)


def sources(filters: Filters) -> Table:
    found = {row.pop("source"): row for row in bookings_starting(filters).order_by().values("source").annotate(
        bookings=Count("id"), stayed=Count("id", filter=Q(status__in=STAYED)),
        cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
        no_show=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
        referred=Count("id", filter=~Q(referral="")))}
    rows = []
    for source, label in BookingSource.choices:
        row = found.get(source)
        if row:
            rows.append((label, row["bookings"], row["stayed"], row["cancelled"], row["no_show"], row["referred"],
                         percent(row["stayed"], row["bookings"])))
    columns = (Column("source", _("Source"), TEXT), Column("bookings", _("Bookings")), Column("stayed", _("Stayed")),
               Column("cancelled", _("Cancelled")), Column("no_show", _("No-shows")),
               Column("referred", _("With a referral")), Column("conversion", _("Stayed, %"), PERCENT))
    return Table(columns, rows)


def seasons(filters: Filters) -> Table:
    """Arrivals of guests who came, month by year: the seasons side by side."""
    found = (narrowed_lines(filters).filter(booking__status__in=STAYED, start_date__gte=filters.start,
                                            start_date__lt=filters.end)
             .annotate(year=ExtractYear("start_date"), month=ExtractMonth("start_date")).order_by()
             .values("year", "month").annotate(guests=Count("patient_id", distinct=True)))
    years = list(range(filters.start.year, filters.last_day.year + 1))
    grid = {(row["year"], row["month"]): row["guests"] for row in found}
    rows = [(periods.month_name(month), *(grid.get((year, month), 0) for year in years)) for month in range(1, 13)]
    columns = (Column("month", _("Month"), TEXT), *(Column(str(year), str(year)) for year in years))
    return Table(columns, rows)


ROOM_TYPES = Report(
    slug="room_types", title=_("Room-type performance"), group=OCCUPANCY, capability="reports.stays",
    description=_("Bookings, nights, revenue, average rate and revenue per available place, cancellations and "
                  "no-shows by room type."),
    read=room_type_performance, chart=Chart("room_type", ("nights",)), filters=("room_type", "tariff", "source"))
CANCELLATIONS = Report(
    slug="cancellations", title=_("Cancellations and no-shows"), group=BOOKINGS, capability="reports.stays",
    description=_("Bookings by arrival: cancelled, no-shows and expired, their rates, and how early guests cancel."),
    read=cancellations, chart=Chart("period", ("cancelled", "no_show")),
    filters=("grain", "room_type", "tariff", "source"))
CANCEL_REASONS = Report(
    slug="cancel_reasons", title=_("Reasons for cancelling"), group=BOOKINGS, capability="reports.stays",
    description=_("The reasons given for cancelled bookings arriving in the period, the most frequent first."),
    read=cancel_reasons, chart=Chart("reason", ("count",)), filters=("room_type", "tariff", "source"))
SOURCES = Report(
    slug="sources", title=_("Booking sources and referrals"), group=BOOKINGS, capability="reports.stays",
    description=_("Bookings by where they came from, how many guests came, and those with a referral."),
    read=sources, chart=Chart("source", ("bookings", "stayed")), filters=("room_type", "tariff"))
SEASONS = Report(
    slug="seasons", title=_("Seasonal trends"), group=OCCUPANCY, capability="reports.stays",
    description=_("Guests arriving per month, one column per year."),
    read=seasons, chart=Chart("month", (), style="line"), filters=("room_type", "tariff", "source"))
