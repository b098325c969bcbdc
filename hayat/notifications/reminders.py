"""The messages that fall due with time, found by a periodic job: the reminder before arrival, the reservation
about to expire, the payment reminder and the follow-up after a stay or a hospital discharge.

Each run looks at a window of occasions (so a run missed while the worker was down is caught up) and queues by
event key, so finding an occasion again queues nothing new. Timings are Admin's (`KindSetting.timing`).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q

from hayat.billing.models import Bill, BillStatus
from hayat.billing.selectors import OWING
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.core import clock
from hayat.notifications import events, texts
from hayat.notifications.models import Kind
from hayat.stays.models import Booking, BookingStatus

# How far back a run looks for stays that ended: reminders for older ones are not sent late.
CATCH_UP_DAYS = 7
LEFT = (BookingStatus.COMPLETED, BookingStatus.DISCHARGED)


def find_due() -> dict[str, int]:
    """Queues every timed message due now; returns how many were found per kind (new or queued before)."""
    finders = {Kind.ARRIVAL_REMINDER: arrivals, Kind.RESERVATION_EXPIRING: expiring,
               Kind.PAYMENT_REMINDER: payments_due, Kind.FOLLOW_UP: follow_ups}
    return {kind: finder(texts.timing(kind)) for kind, finder in finders.items() if texts.is_enabled(kind)}


def each_in_own_transaction(rows, queue_one) -> int:
    found = 0
    for row in rows:
        with transaction.atomic():
            found += queue_one(row)
    return found


def arrivals(days: int) -> int:
    today = clock.today()
    bookings = Booking.objects.filter(status=BookingStatus.CONFIRMED, start_date__gt=today,
                                      start_date__lte=today + timedelta(days=max(days, 1)))
    return each_in_own_transaction(bookings.order_by("pk"), events.arrival_reminder)


def expiring(hours: int) -> int:
    now = clock.now()
    bookings = Booking.objects.filter(status=BookingStatus.RESERVATION, deposit_recorded_at__isnull=True,
                                      hold_until__gt=now, hold_until__lte=now + timedelta(hours=hours))
    return each_in_own_transaction(bookings.order_by("pk"), events.reservation_expiring)


def left_between(days: int) -> tuple:
    latest = clock.today() - timedelta(days=days)
    return latest - timedelta(days=CATCH_UP_DAYS), latest


def payments_due(days: int) -> int:
    """Bills a patient pays (no organisation) with a balance due, of stays that ended or hospital discharges at
    least `days` ago."""
    earliest, latest = left_between(days)
    ended = (Q(booking__status__in=LEFT, booking__end_date__gte=earliest, booking__end_date__lte=latest)
             | Q(episode__status=EpisodeStatus.DISCHARGED, episode__discharged_at__date__gte=earliest,
                 episode__discharged_at__date__lte=latest))
    bills = (Bill.objects.filter(OWING, ended, organisation__isnull=True).exclude(status=BillStatus.VOID)
             .select_related("patient").order_by("pk"))
    return each_in_own_transaction(bills, events.payment_reminder)


def follow_ups(days: int) -> int:
    earliest, latest = left_between(days)
    bookings = Booking.objects.filter(status__in=LEFT, end_date__gte=earliest, end_date__lte=latest).order_by("pk")
    episodes = (Episode.objects.filter(status=EpisodeStatus.DISCHARGED, discharged_at__date__gte=earliest,
                                       discharged_at__date__lte=latest).select_related("patient").order_by("pk"))
    return (each_in_own_transaction(bookings, events.booking_follow_up)
            + each_in_own_transaction(episodes, events.episode_follow_up))
