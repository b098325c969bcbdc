"""Bed-time arithmetic: started billing periods between two moments, and what they cost.

One period is `HAYAT_BED_TIME_INTERVAL_MINUTES` long (60 in a hospital, 1 in a demo) and each started
period is charged the assignment's hourly rate. Pure functions: the job, the live bill page and the
discharge all derive the same figure from the same facts (assignment start, end, rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from hayat.core.money import round_money


def period_minutes() -> int:
    minutes = int(settings.HAYAT_BED_TIME_INTERVAL_MINUTES)
    if minutes < 1:
        raise ValueError("HAYAT_BED_TIME_INTERVAL_MINUTES must be at least 1")
    return minutes


def period() -> timedelta:
    return timedelta(minutes=period_minutes())


def started_periods(start: datetime, end: datetime, *, length: timedelta | None = None) -> int:
    """How many periods have begun from `start` up to `end`: 0 before or at the start, then 1, 2, ...

    A period that has begun counts whole, the last one included (a discharge ten minutes into an hour
    bills that hour). Integer arithmetic on timedeltas, so there is no floating-point edge.
    """
    length = length or period()
    if end <= start:
        return 0
    return -(-(end - start) // length)


def charge(periods: int, rate: Decimal) -> Decimal:
    return round_money(Decimal(periods) * rate)


@dataclass(frozen=True)
class BedTime:
    """What one bed assignment owes at a moment: the figures of its bill line."""

    periods: int
    rate: Decimal
    final: bool

    @property
    def quantity(self) -> Decimal:
        return Decimal(self.periods)

    @property
    def amount(self) -> Decimal:
        return charge(self.periods, self.rate)


def bed_time(*, started_at: datetime, ended_at: datetime | None, rate: Decimal, at: datetime) -> BedTime:
    """The charge of an assignment as of `at`: up to its end when it has ended, else up to `at`."""
    until = ended_at if ended_at is not None else at
    return BedTime(periods=started_periods(started_at, until), rate=rate, final=ended_at is not None)
