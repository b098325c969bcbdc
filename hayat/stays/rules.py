"""Configurable booking rules (settings HAYAT_BOOKING_*), checked by every use case that sets dates."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.core import clock
from hayat.facilities.availability import MAX_DAYS as LONGEST_RANGE
from hayat.stays.errors import BookingRuleBroken, day


def max_nights() -> int:
    """The longest stay, never more than the availability matrix can show (one year)."""
    return max(1, min(settings.HAYAT_BOOKING_MAX_NIGHTS, LONGEST_RANGE))


def max_days_ahead() -> int:
    """How many days from today a booking may start at the latest."""
    return max(0, settings.HAYAT_BOOKING_MAX_DAYS_AHEAD)


def past_start_allowed() -> bool:
    return settings.HAYAT_BOOKING_ALLOW_PAST_START


def check_arrival(start: date | None, *, kept_start: date | None = None) -> date:
    """Refuses a missing arrival, one before today (unless allowed) or beyond the booking horizon.

    `kept_start` is the start a booking already has: keeping it is never "a new start" in the past or too far
    ahead. Callers check the arrival before any date arithmetic, so a date near year 9999 never overflows.
    """
    if start is None:
        raise BookingRuleBroken(_("Enter the arrival date."), field="start_date")
    if start == kept_start:
        return start
    today = clock.today()
    if start < today and not past_start_allowed():
        raise BookingRuleBroken(
            _("The arrival %(start)s is in the past; the earliest possible arrival is today, %(today)s.")
            % {"start": day(start), "today": day(today)},
            field="start_date",
        )
    if (start - today).days > max_days_ahead():
        raise BookingRuleBroken(
            ngettext("Bookings open at most %(days)d day ahead; the latest possible arrival is %(latest)s.",
                     "Bookings open at most %(days)d days ahead; the latest possible arrival is %(latest)s.",
                     max_days_ahead())
            % {"days": max_days_ahead(), "latest": day(today + timedelta(days=max_days_ahead()))},
            field="start_date",
        )
    return start


def check_dates(start: date | None, end: date | None, *, kept_start: date | None = None) -> None:
    """Refuses missing or reversed dates, an arrival against `check_arrival`, too long a stay."""
    check_arrival(start, kept_start=kept_start)
    if end is None:
        raise BookingRuleBroken(_("Enter the departure date."), field="end_date")
    if end <= start:
        raise BookingRuleBroken(_("The departure must be at least one day after the arrival."), field="end_date")
    nights = (end - start).days
    if nights > max_nights():
        raise BookingRuleBroken(
            ngettext("A booking can last at most %(max)d night; this one has %(nights)d.",
                     "A booking can last at most %(max)d nights; this one has %(nights)d.", max_nights())
            % {"max": max_nights(), "nights": nights},
            field="end_date",
        )


def check_booking_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warns at start-up about limits the pages cannot honour, instead of failing on the first long stay."""
    warnings = []
    if settings.HAYAT_BOOKING_MAX_NIGHTS > LONGEST_RANGE:
        warnings.append(checks.Warning(
            f"HAYAT_BOOKING_MAX_NIGHTS is {settings.HAYAT_BOOKING_MAX_NIGHTS}; stays are limited to "
            f"{LONGEST_RANGE} nights, the longest range the availability matrix shows.",
            hint=f"Set HAYAT_BOOKING_MAX_NIGHTS to {LONGEST_RANGE} or less.", id="stays.W001"))
    if settings.HAYAT_BOOKING_MAX_NIGHTS < 1:
        warnings.append(checks.Warning("HAYAT_BOOKING_MAX_NIGHTS is below 1; stays are limited to 1 night.",
                                       hint="Set HAYAT_BOOKING_MAX_NIGHTS to 1 or more.", id="stays.W002"))
    return warnings
