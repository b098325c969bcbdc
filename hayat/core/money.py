"""Money is Decimal in the configured currency; the rounding rule lives here and nowhere else."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

CENT = Decimal("0.01")
MAX_DIGITS = 14
THIN_SPACE = "\u202f"
GROUP_SEPARATORS = re.compile("[ \u00a0\u202f]")
# What a person may type as a number: ASCII digits, at most one decimal point, spaces between digit groups.
# Python's Decimal() would also take Arabic-Indic or full-width digits and underscores ("١٠٠", "１００", "1_000").
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


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
def decimal_text(value: str) -> str:
    """The typed number without its group spaces; ValueError unless it is plain ASCII digits and one point."""
    text = GROUP_SEPARATORS.sub("", value.strip())
    if not DECIMAL_TEXT.fullmatch(text):
        raise ValueError(f"Not a plainly written number: {value!r}")
    return text


def install() -> None:
    """Every decimal typed into a form or an API field follows `decimal_text` before Django or DRF reads it."""
    from django import forms
    from rest_framework import serializers

    form_to_python, api_to_internal = forms.DecimalField.to_python, serializers.DecimalField.to_internal_value

    def strict_to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = decimal_text(value)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return form_to_python(self, value)

    def strict_to_internal_value(self, data):
        if isinstance(data, str) and data.strip():
            try:
                data = decimal_text(data)
            except ValueError:
                self.fail("invalid")
        return api_to_internal(self, data)

    forms.DecimalField.to_python = strict_to_python
    serializers.DecimalField.to_internal_value = strict_to_internal_value




def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """A non-negative amount; pair it with a CheckConstraint in the model's Meta."""
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=2, validators=[MinValueValidator(0)], **kwargs
    )
