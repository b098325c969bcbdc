"""Reading ids, counts and dates that people or programs type into query strings and forms, never raising.

Python's `str.isdigit()` accepts "²" and "٣", `int()` accepts numbers no database column holds, and date
arithmetic near year 1 or 9999 overflows: each of those used to end in a server error. Every place that
reads an id or a date from a request goes through here (or through the form fields below) instead.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_ID = 2**63 - 1  # the largest key a BigAutoField holds on SQLite, PostgreSQL and MariaDB
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def id_from(value: Any) -> int | None:
    """A positive database key written in ASCII digits, or None for anything else."""
    text = str(value if value is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in a URL: ASCII digits naming a key a database column can hold; any other number matches no
    route (404) instead of overflowing the database driver."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = id_from(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def count_from(value: Any, *, default: int, minimum: int = 0, maximum: int) -> int:
    """A whole number kept between minimum and maximum; the default when the text is not a number."""
    text = str(value if value is not None else "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return default
    return max(minimum, min(int(text), maximum))


def date_from(value: Any) -> date | None:
    """An ISO date (YYYY-MM-DD) between 1900 and 2199, or None."""
    if isinstance(value, date):
        return value if EARLIEST_DATE <= value <= LATEST_DATE else None
    try:
        parsed = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return parsed if EARLIEST_DATE <= parsed <= LATEST_DATE else None


def out_of_calendar() -> str:
    return (_("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})


class IdField(forms.IntegerField):
    """A key typed or posted by hand: ASCII digits within what a database column holds."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = id_from(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class SaneDateField(forms.DateField):
    """A date between 1900 and 2199, so that date arithmetic on it can never overflow."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is not None and not EARLIEST_DATE <= parsed <= LATEST_DATE:
            raise forms.ValidationError(out_of_calendar(), code="out_of_range")
        return parsed


class SaneDateSerializerField(serializers.DateField):
    """The API's counterpart of SaneDateField."""

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            raise serializers.ValidationError(out_of_calendar(), code="out_of_range")
        return parsed


class SaneDateTimeSerializerField(serializers.DateTimeField):
    """A moment whose day lies between 1900 and 2199, checked before the time zone is applied: near year 1 or
    9999 that conversion overflows."""

    def enforce_timezone(self, value):
        if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
            raise serializers.ValidationError(out_of_calendar(), code="out_of_range")
        return super().enforce_timezone(value)


class KeyChoicesField(forms.ModelMultipleChoiceField):
    """A multiple choice of records whose posted keys are checked first: a key beyond what a column holds would
    overflow the database driver in the `pk__in` query."""

    def clean(self, value):
        for key in value if isinstance(value, (list, tuple)) else ():
            if id_from(key) is None:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": key})
        return super().clean(value)
