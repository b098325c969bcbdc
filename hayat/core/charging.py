"""Charge policies for time: how many units a bed (or oxygen, a monitor...) costs between two moments.

A policy has a unit (a minute, an hour, 12 hours or a day), a minimum number of units once anything is
charged, grace minutes (a unit that has run only this long is not charged yet) and free first minutes (a
use that ends within them costs nothing; after them the clock counts from the end of the free time).
`charged_units()` is the one function the bill page, the accrual job and the discharge all use.

A transfer does not start the count again: the time already spent in earlier beds of the same stay
(`offset`) is counted first, and each bed is charged the units that began while the patient was in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChargeUnit(models.TextChoices):
    MINUTE = "minute", _("Minute")
    HOUR = "hour", _("Hour")
    HALF_DAY = "12h", _("12 hours")
    DAY = "day", _("Day")


UNIT_LENGTH = {ChargeUnit.MINUTE: timedelta(minutes=1), ChargeUnit.HOUR: timedelta(hours=1),
               ChargeUnit.HALF_DAY: timedelta(hours=12), ChargeUnit.DAY: timedelta(days=1)}
POLICY_FIELDS = ("charge_unit", "minimum_units", "grace_minutes", "free_minutes")
# How a quantity and a price read on a bill: "125 min" at "15 000 / min".
UNIT_SYMBOL = {ChargeUnit.MINUTE: pgettext_lazy("charge unit", "min"),
               ChargeUnit.HOUR: pgettext_lazy("charge unit", "h"),
               ChargeUnit.HALF_DAY: pgettext_lazy("charge unit", "× 12 h"),
               ChargeUnit.DAY: pgettext_lazy("charge unit", "d")}
PER_UNIT = {ChargeUnit.MINUTE: pgettext_lazy("charge unit", "/ min"),
            ChargeUnit.HOUR: pgettext_lazy("charge unit", "/ h"),
            ChargeUnit.HALF_DAY: pgettext_lazy("charge unit", "/ 12 h"),
            ChargeUnit.DAY: pgettext_lazy("charge unit", "/ day")}


@dataclass(frozen=True)
class ChargePolicy:
    unit: str = ChargeUnit.HOUR
    minimum_units: int = 1
    grace_minutes: int = 0
    free_minutes: int = 0

    @property
    def length(self) -> timedelta:
        return UNIT_LENGTH[self.unit]

    @property
    def symbol(self) -> str:
        return str(UNIT_SYMBOL[self.unit])

    @property
    def per_unit(self) -> str:
        return str(PER_UNIT[self.unit])


HOURLY = ChargePolicy()


def checked_policy(*, unit: str, minimum_units: int, grace_minutes: int, free_minutes: int) -> ChargePolicy:
    """A policy as entered on a set-up page, or a DomainError naming the field that is wrong."""
    from hayat.core.errors import DomainError

    if unit not in ChargeUnit.values:
        raise DomainError(_("Choose the unit time is charged in."), field="charge_unit")
    for name, value in (("minimum_units", minimum_units), ("grace_minutes", grace_minutes),
                        ("free_minutes", free_minutes)):
        if value is None or value < 0 or value > 100000:
            raise DomainError(_("Enter a whole number from 0 to 100000."), field=name)
    if timedelta(minutes=grace_minutes) >= UNIT_LENGTH[unit] and grace_minutes:
        raise DomainError(_("The grace must be shorter than the unit."), field="grace_minutes")
    return ChargePolicy(unit=unit, minimum_units=minimum_units, grace_minutes=grace_minutes, free_minutes=free_minutes)


def units_for(policy: ChargePolicy, elapsed: timedelta) -> int:
    """Units owed for `elapsed` of use from its very start: none within the free minutes, then whole units and
    one more once the part of a unit has run past the grace, at least the minimum. Never decreases as time
    goes on (integer arithmetic on timedeltas: no floating-point edge)."""
    free = timedelta(minutes=policy.free_minutes)
    if elapsed <= timedelta(0) or elapsed <= free:
        return 0
    charged = elapsed - free
    whole, part = divmod(charged, policy.length)
    started = whole + (1 if part > timedelta(minutes=policy.grace_minutes) else 0)
    return max(started, policy.minimum_units)


def charged_units(policy: ChargePolicy, elapsed: timedelta, *, offset: timedelta = timedelta(0)) -> int:
    """Units charged for `elapsed` in one bed (or one use) after `offset` already spent earlier in the same stay."""
    if elapsed <= timedelta(0):
        return 0
    return units_for(policy, offset + elapsed) - units_for(policy, offset)


class ChargePolicyFields(models.Model):
    """The fields of a charge policy, for a model that is charged by time (room types, timed services)."""

    charge_unit = models.CharField(_("charged per"), max_length=10, choices=ChargeUnit.choices,
                                   default=ChargeUnit.HOUR)
    minimum_units = models.PositiveSmallIntegerField(_("minimum units"), default=1,
                                                     help_text=_("Charged at least this many units once used."))
    grace_minutes = models.PositiveIntegerField(_("grace minutes"), default=0,
                                                help_text=_("A unit that has run only this long is not charged."))
    free_minutes = models.PositiveIntegerField(_("free minutes"), default=0,
                                               help_text=_("A use ending within these first minutes is free."))

    class Meta:
        abstract = True

    @property
    def charge_policy(self) -> ChargePolicy:
        return ChargePolicy(unit=self.charge_unit, minimum_units=self.minimum_units, grace_minutes=self.grace_minutes,
                            free_minutes=self.free_minutes)

    def set_charge_policy(self, policy: ChargePolicy) -> None:
        self.charge_unit, self.minimum_units = policy.unit, policy.minimum_units
        self.grace_minutes, self.free_minutes = policy.grace_minutes, policy.free_minutes


def policy_constraints(prefix: str) -> list[models.CheckConstraint]:
    """The database's own check of a policy: a known unit, and a grace shorter than the unit."""
    valid = Q()
    for unit, length in UNIT_LENGTH.items():
        valid |= Q(charge_unit=unit, grace_minutes__lt=max(int(length.total_seconds() // 60), 1))
    return [models.CheckConstraint(condition=valid, name=f"{prefix}_charge_policy_valid")]
