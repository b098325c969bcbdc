"""Money is Decimal in the configured currency; the rounding rule lives here and nowhere else."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

CENT = Decimal("0.01")
MAX_DIGITS = 14


def currency() -> str:
    return settings.HAYAT_CURRENCY


def round_money(amount: Decimal | int | str) -> Decimal:
    """Rounds half up to the cent; floats are refused because they cannot hold money exactly."""
    if isinstance(amount, float):
        raise TypeError("Money must not be a float; pass a Decimal or a string.")
    try:
        return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as error:
        raise ValueError(f"Not an amount of money: {amount!r}") from error


def format_money(amount: Decimal | None, language: str | None = None) -> str:
    """1 250 000.00 UZS in the reader's language: hayat.core.formats writes it (kept here for its callers)."""
    from hayat.core.formats import format_money as written  # formats builds on this module's rounding

    return written(amount, language)


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A non-negative amount; pair it with a CheckConstraint in the model's Meta."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=2, validators=[MinValueValidator(0)], **kwargs
    )
