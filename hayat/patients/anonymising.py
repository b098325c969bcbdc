"""What anonymising a patient must remove outside the patient's own row, and the hook that reaches other apps.

Other apps keep copies of a patient's identifying values: an episode copies the insurance numbers and the
emergency contact, a bill line names the guest, a message to the patient holds the number it went to. Patients
may not import those apps, so each of them offers an optional module `patient_anonymise.py`, called inside
the anonymise transaction after the patient rows were scrubbed:

    AUDIT_KEYS: frozenset[str]  (optional)
        keys of that app's audit `changes` whose values identify the patient (e.g. "insurance_hmo_number");
        they are replaced in the patient's audit events like the patient's own fields

    def scrub_patient(*, forgotten: Forgotten) -> None
        blanks or rewrites that app's copies, and their history rows, for `forgotten.patient_ids`;
        `forgotten.scrub(text)` rewrites free text and `forgotten.scrub_rows(...)` does so for many rows

Other patients' duplicate decisions are scrubbed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import phonenumbers
from django.db.models import Q, QuerySet

from hayat.core.discovery import app_modules
from hayat.patients.models import DuplicateDecision, Patient

HOOK_MODULE = "patient_anonymise"
ANONYMISED = "(anonymised)"
# Shorter values ("Ali", a flat number) would also match inside unrelated words.
SHORTEST_REPLACED = 4
OTHER_IDENTIFYING = ("email", "document_number", "tax_id", "philhealth_number", "hmo_number", "address",
                     "emergency_contact_name")
PHONES = ("mobile", "home_phone", "emergency_contact_phone")


@dataclass(frozen=True)
class Forgotten:
    """The anonymised patient (and the records merged into it), and the identifying texts they held."""

    patient_ids: tuple[int, ...]
    replacements: dict[str, str] = field(default_factory=dict)  # lower-cased text -> what stands in its place

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.replacements:
            return None
        alternatives = sorted(self.replacements, key=len, reverse=True)
        return re.compile("|".join(re.escape(text) for text in alternatives), re.IGNORECASE)

    def scrub(self, text: str) -> str:
        """`text` with every name form and identifying value of the patients replaced."""
        pattern = self.pattern
        if not text or pattern is None:
            return text
        return pattern.sub(lambda match: self.replacements[match.group(0).lower()], text)

    def scrub_data(self, value: Any, keys: frozenset[str]) -> Any:
        """Stored JSON with the values of `keys` replaced and every text in it scrubbed."""
        if isinstance(value, dict):
            return {key: ANONYMISED if key in keys else self.scrub_data(item, keys) for key, item in value.items()}
        if isinstance(value, list):
            return [self.scrub_data(item, keys) for item in value]
        return self.scrub(value) if isinstance(value, str) else value

    def scrub_rows(self, queryset: QuerySet, fields: Iterable[str]) -> int:
        """Rewrites the text `fields` of every row of `queryset` (history rows too) that names the patients."""
        fields = list(fields)
        changed = []
        for row in queryset.only("pk", *fields):
            before = [getattr(row, name) for name in fields]
            for name, value in zip(fields, before, strict=True):
                setattr(row, name, self.scrub(value))
            if [getattr(row, name) for name in fields] != before:
                changed.append(row)
        queryset.model._base_manager.bulk_update(changed, fields, batch_size=500)
        return len(changed)


def forgotten_of(records: list[Patient]) -> Forgotten:
    """Read before the records are scrubbed: each name form becomes the record's anonymised name, any
    other identifying value becomes "(anonymised)"."""
    replacements: dict[str, str] = {}
    for record in records:
        new_name = f"Patient {record.code} Anonymised"  # the full name scrub_patient gives the record
        for form in name_forms(record):
            replacements[form.lower()] = new_name
        values = [getattr(record, name) for name in OTHER_IDENTIFYING]
        values += [shown for name in PHONES for shown in phone_forms(getattr(record, name))]
        for value in values:
            replacements.setdefault(value.lower(), ANONYMISED)
    return Forgotten(patient_ids=tuple(record.pk for record in records),
                     replacements={text: new for text, new in replacements.items()
                                   if len(text.strip()) >= SHORTEST_REPLACED})


def name_forms(record: Patient) -> list[str]:
    last, first, middle = record.last_name, record.first_name, record.middle_name
    forms = [f"{last} {first}", f"{first} {last}"]
    if middle:
        forms += [f"{last} {first} {middle}", f"{first} {middle} {last}", f"{first} {middle}"]
    return forms


def phone_forms(e164: str) -> list[str]:
    """A stored number as it may have been written elsewhere: +998901234567, 998901234567, +998 90 123 45 67,
    90 123 45 67."""
    if not e164:
        return []
    forms = [e164, e164.lstrip("+")]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    for style in (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL):
        forms.append(phonenumbers.format_number(number, style))
    return forms


def hooks() -> list:
    return list(app_modules(HOOK_MODULE))


def audit_keys() -> frozenset[str]:
    """Keys of any app's audit `changes` whose values identify the patient."""
    return frozenset().union(*(getattr(module, "AUDIT_KEYS", frozenset()) for module in hooks()))


def scrub_other_apps(forgotten: Forgotten) -> None:
    for module in hooks():
        module.scrub_patient(forgotten=forgotten)


def scrub_decisions_naming(forgotten: Forgotten, *, drop_ids: bool = False) -> None:
    """Other patients' duplicate decisions that list these patients: the reason no longer names them, and
    (when the records are deleted) their ids leave the candidate list."""
    ids = set(forgotten.patient_ids)
    changed = []
    for decision in DuplicateDecision.objects.exclude(patient_id__in=ids).filter(candidates_any(ids)):
        if not ids & set(decision.candidate_ids):
            continue  # a substring match of the JSON text, not one of the ids
        decision.reason = forgotten.scrub(decision.reason)
        if drop_ids:
            decision.candidate_ids = [pk for pk in decision.candidate_ids if pk not in ids]
        changed.append(decision)
    DuplicateDecision.objects.bulk_update(changed, ["reason", "candidate_ids"])


def candidates_any(ids: set[int]):
    """A coarse, portable pre-selection of decisions whose candidate list may hold one of `ids` (JSON lookups
    such as `contains` are not supported on every engine); the caller checks each row."""
    condition = Q(pk__in=[])
    for pk in ids:
        condition |= Q(candidate_ids__icontains=str(pk))
    return condition
