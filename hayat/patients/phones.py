"""Phone numbers: parsed, validated and stored in E.164 (+998901234567); shown in international format.

A number written without a country code is read in the hospital's region (settings.HAYAT_PHONE_REGION),
so a receptionist in Tashkent types "90 123 45 67" and one in Manila types "0917 123 4567".
"""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from hayat.core.errors import DomainError

DIGITS = re.compile(r"\D")


def default_region() -> str:
    return (getattr(settings, "HAYAT_PHONE_REGION", "") or "UZ").upper()


def example(region: str | None = None) -> str:
    """A mobile number of the hospital's region as people write it: +998 90 123 45 67, +63 905 123 4567."""
    number = phonenumbers.example_number_for_type(region or default_region(), phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL) if number else "+"


def mask_attributes(region: str | None = None) -> dict[str, str]:
    """How web/masks.js groups the digits typed in a phone field: the region's example number with each digit
    as #, written nationally ("#### ### ####") and internationally ("+## ### ### ####")."""
    number = phonenumbers.example_number_for_type(region or default_region(), phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return {}
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return {"data-mask": "phone", "data-mask-country": str(number.country_code),
            "data-mask-national": re.sub(r"\d", "#", national),
            "data-mask-international": re.sub(r"\d", "#", international)}


def normalise(raw: str, *, field: str = "mobile", region: str | None = None) -> str:
    """The E.164 form of `raw`, or "" when blank; raises DomainError naming the field when invalid."""
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or default_region())
    except phonenumbers.NumberParseException as error:
        raise DomainError(
            _("%(number)s is not a phone number.") % {"number": text}, code="invalid_phone", field=field
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            _("%(number)s is not a valid phone number for %(region)s; add the country code, e.g. %(example)s.")
            % {"number": text, "region": phonenumbers.region_code_for_country_code(number.country_code),
               "example": example()},
            code="invalid_phone", field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """+998 90 123 45 67 for a stored number; what was stored if it cannot be parsed."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def try_normalise(raw: str) -> str:
    """The E.164 form when `raw` is a complete valid number, else "" (for search, never raises)."""
    try:
        return normalise(raw)
    except DomainError:
        return ""


def digits(raw: str) -> str:
    return DIGITS.sub("", raw or "")
