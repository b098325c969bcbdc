"""Configurable booking rules (settings HAYAT_BOOKING_*), checked by every use case that sets dates."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.core import clock
from hayat.stays.errors import BookingRuleBroken, day


def max_nights() -> int:
    return settings.HAYAT_BOOKING_MAX_NIGHTS


def past_start_allowed() -> bool:
    return settings.HAYAT_BOOKING_ALLOW_PAST_START


def check_dates(start: date | None, end: date | None, *, kept_start: date | None = None) -> None:
    """Refuses missing or reversed dates, a start before today (unless allowed or unchanged), too long a stay.

    `kept_start` is the start a booking already has: keeping it is never "a new start in the past".
    """
    if start is None:
        raise BookingRuleBroken(_("Enter the arrival date."), field="start_date")
    if end is None:
        raise BookingRuleBroken(_("Enter the departure date."), field="end_date")
    if end <= start:
        raise BookingRuleBroken(_("The departure must be at least one day after the arrival."), field="end_date")
    today = clock.today()
    if start < today and start != kept_start and not past_start_allowed():
        raise BookingRuleBroken(
            _("The arrival %(start)s is in the past; the earliest possible arrival is today, %(today)s.")
            % {"start": day(start), "today": day(today)},
            field="start_date",
        )
    nights = (end - start).days
    if nights > max_nights():
        raise BookingRuleBroken(
            ngettext("A booking can last at most %(max)d night; this one has %(nights)d.",
                     "A booking can last at most %(max)d nights; this one has %(nights)d.", max_nights())
            % {"max": max_nights(), "nights": nights},
            field="end_date",
        )
