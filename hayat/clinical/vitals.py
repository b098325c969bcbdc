"""Vital signs: the plausible range of each measurement (outside it the reading is refused as a typing or
device error) and the usual adult range (outside it the reading is kept and shown as abnormal).

The plausible ranges are also CHECK constraints on the Vitals table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.core.errors import DomainError


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    unit: str
    low: Decimal
    high: Decimal
    normal_low: Decimal | None
    normal_high: Decimal | None
    decimals: int = 0


def measure(name, label, unit, low, high, normal_low=None, normal_high=None, decimals=0) -> Measure:
    as_decimal = lambda value: None if value is None else Decimal(str(value))  # noqa: E731
    return Measure(name, label, unit, as_decimal(low), as_decimal(high), as_decimal(normal_low),
                   as_decimal(normal_high), decimals)


MEASURES = {
    m.name: m for m in (
        measure("systolic", gettext_lazy("BP systolic"), "mmHg", 40, 300, 90, 139),
        measure("diastolic", gettext_lazy("BP diastolic"), "mmHg", 20, 200, 60, 89),
        measure("temperature", gettext_lazy("Temperature"), "°C", 25, 45, "36.0", "37.5", decimals=1),
        measure("pulse", gettext_lazy("Pulse"), "/min", 20, 300, 60, 100),
        measure("respiration", gettext_lazy("Respiration"), "/min", 4, 80, 12, 20),
        measure("oxygen_saturation", gettext_lazy("SpO₂"), "%", 50, 100, 95, 100),
        measure("height_cm", gettext_lazy("Height"), "cm", 20, 260, decimals=1),
        measure("weight_kg", gettext_lazy("Weight"), "kg", "0.3", 400, decimals=1),
    )
}


def clean_vitals(values: dict) -> dict:
    """Returns the readings as numbers of the right kind, or raises a DomainError naming the first reading
    that is not a number, has too many decimals or lies outside its plausible range."""
    cleaned: dict = {}
    for name, raw in values.items():
        spec = MEASURES.get(name)
        if spec is None:
            raise DomainError(_("%(name)s is not a vital sign.") % {"name": name}, field=name)
        if raw in (None, ""):
            continue
        try:
            number = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation as error:
            raise DomainError(_("%(label)s must be a number.") % {"label": spec.label}, field=name) from error
        if not number.is_finite():
            raise DomainError(_("%(label)s must be a number.") % {"label": spec.label}, field=name)
        if number != number.quantize(Decimal(1).scaleb(-spec.decimals)):
            raise DomainError(_("%(label)s takes at most %(decimals)s decimal place(s).")
                              % {"label": spec.label, "decimals": spec.decimals}, field=name)
        if not spec.low <= number <= spec.high:
            raise DomainError(
                _("%(label)s %(value)s %(unit)s is outside %(low)s–%(high)s %(unit)s; check the reading.")
                % {"label": spec.label, "value": number, "unit": spec.unit, "low": spec.low, "high": spec.high},
                field=name)
        cleaned[name] = number if spec.decimals else int(number)
    if not cleaned:
        raise DomainError(_("Enter at least one reading."), code="empty")
    systolic, diastolic = cleaned.get("systolic"), cleaned.get("diastolic")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise DomainError(_("The systolic pressure must be higher than the diastolic."), field="diastolic")
    return cleaned


def abnormal(name: str, value) -> bool:
    """True when a kept reading lies outside the usual adult range."""
    spec = MEASURES[name]
    if value is None or spec.normal_low is None:
        return False
    return not spec.normal_low <= Decimal(str(value)) <= spec.normal_high
