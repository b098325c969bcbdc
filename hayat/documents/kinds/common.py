"""Pieces several documents print the same way: who the patient is, quantities in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.translation import gettext as _

from hayat.core.formats import format_date, reader_language
from hayat.patients.models import Patient


def quantity(value: Decimal | int) -> str:
    """2, 1.5 / 1,5: no trailing zeros, the reader's decimal mark."""
    return format_decimal(Decimal(value).normalize(), locale=reader_language())


def patient_rows(patient: Patient) -> list[tuple[str, str]]:
    born = format_date(patient.birth_date)
    if born and patient.age is not None:
        age = _("%(age)s y.") % {"age": patient.age}
        born = f"{born} ({age})"
    return [
        (_("Patient"), patient.full_name),
        (_("Patient code"), patient.code),
        (_("Date of birth"), born),
        (_("Gender"), patient.get_gender_display()),
        (_("Mobile phone"), patient.mobile),
    ]


def doctor_name(user) -> str:
    return user.full_name if user is not None else ""
