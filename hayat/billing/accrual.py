"""Bed-time figures: what one bed assignment owes at a moment, by its room type's charge policy.

The units come from `hayat.core.charging.charged_units()`, the one function the live bill page, the accrual
job and the discharge share, so each derives the same figure from the same facts (assignment start and end,
rate, policy, time already spent in earlier beds of the episode). How often the worker writes those figures
down is a separate setting, `HAYAT_BED_TIME_INTERVAL_MINUTES`, that changes no price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings

from hayat.core.charging import HOURLY, ChargePolicy, charged_units
from hayat.core.money import round_money


def interval_minutes() -> int:
    """How often the accrual job runs (HAYAT_BED_TIME_INTERVAL_MINUTES); it decides no unit and no price."""
    minutes = int(settings.HAYAT_BED_TIME_INTERVAL_MINUTES)
    if minutes < 1:
        raise ValueError("HAYAT_BED_TIME_INTERVAL_MINUTES must be at least 1")
    return minutes


def interval() -> timedelta:
    return timedelta(minutes=interval_minutes())


def charge(units: int, rate: Decimal) -> Decimal:
    return round_money(Decimal(units) * rate)


@dataclass(frozen=True)
class BedTime:
    """What one bed assignment owes at a moment: the figures of its bill line."""

    units: int
    rate: Decimal
    final: bool
    policy: ChargePolicy = HOURLY

    @property
    def quantity(self) -> Decimal:
        return Decimal(self.units)

    @property
    def amount(self) -> Decimal:
        return charge(self.units, self.rate)


def bed_time(*, started_at: datetime, ended_at: datetime | None, rate: Decimal, at: datetime,
             policy: ChargePolicy = HOURLY, offset: timedelta = timedelta(0)) -> BedTime:
    """The charge of an assignment as of `at`: up to its end when it has ended, else up to `at`; `offset` is the
    time the patient already spent in earlier beds of the episode (a transfer does not restart the count)."""
    until = ended_at if ended_at is not None else at
    units = charged_units(policy, until - started_at, offset=offset)
    return BedTime(units=units, rate=rate, final=ended_at is not None, policy=policy)
