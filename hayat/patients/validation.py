"""What a patient record may hold: each rule normalises one value or raises a DomainError naming the field.

Forms and API serializers call the same functions for field-by-field messages, and the services call
`clean()` again, so no door can store a value these rules refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from phonenumbers.geodata.locale import LOCALE_DATA

from hayat.core import clock
from hayat.core.errors import DomainError
from hayat.patients import phones
from hayat.patients.models import (
    GESTATIONAL_WEEKS_MAX,
    GESTATIONAL_WEEKS_MIN,
    CivilStatus,
    District,
    DocumentType,
    Gender,
    Region,
    age_on,
)
from hayat.patients.names import DOCUMENT_KEEP

OLDEST_AGE = 130
GESTATIONAL_AGE_UNTIL_YEARS = 2
SPACES = re.compile(r"\s+")
LETTER = re.compile(r"[^\W\d_]")
NAME_FORBIDDEN = re.compile(r"[\d_@#$%^&*=+<>{}\[\]|\\/;:!?\"]")
PHILHEALTH_DIGITS = 12


@dataclass
class PatientData:
    """Everything a registration or an edit may set on a patient (a quick registration leaves most blank)."""

    first_name: str
    last_name: str
    middle_name: str = ""
    birth_date: date | None = None
    gender: str = Gender.UNKNOWN
    gestational_age_weeks: int | None = None
    mobile: str = ""
    home_phone: str = ""
    email: str = ""
    address: str = ""
    region: Region | None = None
    district: District | None = None
    country: str = ""
    nationality: str = ""
    birth_place: str = ""
    civil_status: str = ""
    occupation: str = ""
    religion: str = ""
    document_type: str = ""
    document_number: str = ""
    tax_id: str = ""
    philhealth_number: str = ""
    hmo_name: str = ""
    hmo_number: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    notes: str = ""

    @classmethod
    def field_names(cls) -> list[str]:
        return [field.name for field in fields(cls)]

    @classmethod
    def from_patient(cls, patient) -> PatientData:
        return cls(**{name: getattr(patient, name) for name in cls.field_names()})


def clean(data: PatientData, recorded: PatientData | None = None) -> PatientData:
    """The normalised copy of `data`; raises a DomainError (naming the field) for the first value that breaks a rule."""
    cleaned, errors = check(data, recorded)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    return cleaned


def check(data: PatientData, recorded: PatientData | None = None) -> tuple[PatientData, dict[str, str]]:
    """Runs every rule: the normalised copy of `data` and {field: message} for each value refused.

    `recorded` is the patient as stored, for an edit: a gestational age recorded while the patient was an
    infant stays valid, with the same birth date, after the second birthday.
    """
    cleaned = replace(data)
    errors: dict[str, str] = {}

    def apply(target: str, rule, *args, **kwargs) -> None:
        try:
            setattr(cleaned, target, rule(*args, **kwargs))
        except DomainError as error:
            errors.setdefault(error.field or target, error.message)

    apply("first_name", person_name, data.first_name, field="first_name", required=True)
    apply("last_name", person_name, data.last_name, field="last_name", required=True)
    apply("middle_name", person_name, data.middle_name, field="middle_name")
    apply("birth_date", birth_date, data.birth_date)
    apply("gender", choice, data.gender or Gender.UNKNOWN, Gender, field="gender")
    for name in ("mobile", "home_phone", "emergency_contact_phone"):
        apply(name, phones.normalise, getattr(data, name), field=name)
    apply("email", email, data.email)
    apply("civil_status", choice, data.civil_status, CivilStatus, field="civil_status", blank=True)
    apply("document_type", choice, data.document_type, DocumentType, field="document_type", blank=True)
    for name in ("document_number", "tax_id", "hmo_number"):
        apply(name, document_number, getattr(data, name), field=name)
    apply("philhealth_number", philhealth_number, data.philhealth_number)
    apply("country", country, data.country)
    for name in ("address", "nationality", "birth_place", "occupation", "religion", "hmo_name",
                 "emergency_contact_name"):
        apply(name, text, getattr(data, name))
    cleaned.notes = (data.notes or "").strip()
    if "birth_date" not in errors:
        kept = recorded is not None and (recorded.gestational_age_weeks, recorded.birth_date) == (
            data.gestational_age_weeks, cleaned.birth_date)
        apply("gestational_age_weeks", gestational_age, data.gestational_age_weeks, cleaned.birth_date,
              recorded_as_infant=kept)
    if not {"document_type", "document_number"} & errors.keys():
        apply("document_type", check_document_pair, cleaned)
    if not {"region", "district", "country"} & errors.keys():
        apply("region", place, cleaned)
    return cleaned, errors


def text(value: str | None) -> str:
    return SPACES.sub(" ", (value or "").strip())


def person_name(value: str | None, *, field: str, required: bool = False) -> str:
    name = text(value)
    if not name:
        if required:
            raise DomainError(_("This name is required."), code="required", field=field)
        return ""
    if NAME_FORBIDDEN.search(name) or not LETTER.search(name):
        raise DomainError(_("A name holds letters, spaces, hyphens and apostrophes only."), field=field)
    if len(name) > 80:
        raise DomainError(_("A name can be at most 80 characters long."), field=field)
    return name


def birth_date(value: date | None) -> date | None:
    if value is None:
        return None
    today = clock.today()
    if value > today:
        raise DomainError(_("The date of birth cannot be in the future."), field="birth_date")
    if age_on(value, today) > OLDEST_AGE:
        raise DomainError(_("The date of birth is more than %(years)s years ago; please check it.")
                          % {"years": OLDEST_AGE}, field="birth_date")
    return value


def gestational_age(weeks: int | None, born: date | None, *, recorded_as_infant: bool = False) -> int | None:
    if weeks in (None, ""):
        return None
    if born is None or (age_on(born, clock.today()) >= GESTATIONAL_AGE_UNTIL_YEARS and not recorded_as_infant):
        raise DomainError(_("Gestational age at birth is recorded only for infants under two years."),
                          field="gestational_age_weeks")
    if not GESTATIONAL_WEEKS_MIN <= int(weeks) <= GESTATIONAL_WEEKS_MAX:
        raise DomainError(_("Gestational age must be between %(low)s and %(high)s weeks.")
                          % {"low": GESTATIONAL_WEEKS_MIN, "high": GESTATIONAL_WEEKS_MAX},
                          field="gestational_age_weeks")
    return int(weeks)


def choice(value: str, choices, *, field: str, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices.values:
        raise DomainError(_("%(value)s is not one of the choices.") % {"value": value}, field=field)
    return value


def email(value: str | None) -> str:
    address = (value or "").strip().lower()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError as error:
        raise DomainError(_("Enter an email address like name@example.com."), field="email") from error
    return address


def document_number(value: str | None, *, field: str = "document_number") -> str:
    """Upper case letters (Latin or Cyrillic) and digits only, as typed: "aa 123-45 67" is "AA1234567"."""
    number = DOCUMENT_KEEP.sub("", (value or "").upper())
    if value and value.strip() and not number:
        raise DomainError(_("A document number needs letters or digits."), field=field)
    if len(number) > 40:
        raise DomainError(_("A document number can be at most 40 characters long."), field=field)
    return number


def philhealth_number(value: str | None) -> str:
    number = phones.digits(value or "")
    if not (value or "").strip():
        return ""
    if len(number) != PHILHEALTH_DIGITS:
        raise DomainError(_("A PhilHealth number has 12 digits (e.g. 12-345678901-2)."), field="philhealth_number")
    return number


def check_document_pair(data: PatientData) -> str:
    if data.document_number and not data.document_type:
        raise DomainError(_("Choose the type of the identity document."), field="document_type")
    if data.document_type and not data.document_number:
        raise DomainError(_("Enter the number of the identity document."), field="document_number")
    return data.document_type


def country(value: str | None) -> str:
    code = (value or "").strip().upper()
    if code and code not in phonenumbers.SUPPORTED_REGIONS:
        raise DomainError(_("%(code)s is not a country code.") % {"code": code}, field="country")
    return code


def place(data: PatientData) -> Region | None:
    """Region and district must agree, and both with the country: a district implies its region."""
    if data.district is not None:
        if data.region is None:
            data.region = data.district.region
        elif data.district.region_id != data.region.pk:
            raise DomainError(_("%(district)s is not in %(region)s.")
                              % {"district": data.district, "region": data.region}, field="district")
    if data.region is not None:
        if not data.country:
            data.country = data.region.country
        elif data.country != data.region.country:
            raise DomainError(_("%(region)s is not in the chosen country.") % {"region": data.region},
                              field="region")
    return data.region


def country_name(code: str, language: str | None = None) -> str:
    names = LOCALE_DATA.get(code)
    if not names:
        return code
    language = (language or get_language() or "en").split("-")[0]
    name = names.get(language) or names.get("aa", code)
    while name.startswith("*"):
        name = names.get(name[1:], code)
    return name


def country_choices() -> list[tuple[str, str]]:
    """(code, name) in the current language, the hospital's own countries first."""
    first = [code for code in (phones.default_region(), "UZ", "PH") if code in LOCALE_DATA]
    first = list(dict.fromkeys(first))
    rest = sorted((code for code in phonenumbers.SUPPORTED_REGIONS if code not in first and code in LOCALE_DATA),
                  key=lambda code: country_name(code))
    return [(code, country_name(code)) for code in first + rest]
