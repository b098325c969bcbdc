"""Scheduled jobs of stays: reservations whose hold ran out without a deposit expire and free their rooms.

Safe on any number of workers: each reservation is expired in its own transaction after re-reading it
under its row lock, so a second worker finds it expired already and leaves it alone.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils.translation import gettext as _

from hayat.core import clock
from hayat.core.transactions import retrying_atomic
from hayat.stays import lifecycle
from hayat.stays.models import Booking, BookingStatus

JOBS = ("expire_reservations",)

log = logging.getLogger(__name__)


def due(at: datetime):
    return Booking.objects.filter(status=BookingStatus.RESERVATION, deposit_recorded_at__isnull=True,
                                  hold_until__lte=at)


def expire_reservations(at: datetime | None = None) -> str:
    """Expires every reservation due at `at` (now by default); returns a summary for the job log."""
    at = at or clock.now()
    expired = sum(expire_one(pk, at=at) for pk in due(at).order_by("pk").values_list("pk", flat=True))
    summary = f"{expired} reservations expired"
    log.info("expire_reservations: %s", summary)
    return summary


@retrying_atomic
def expire_one(pk: int, *, at: datetime) -> int:
    booking = due(at).select_for_update().filter(pk=pk).first()
    if booking is None:
        return 0
    lifecycle.transition(booking, to=BookingStatus.EXPIRED, by=None,
                         reason=_("The hold ran out without a deposit."))
    return 1
