"""Who may write which part of an episode in which phase: ONE allow-list, role × phase → fields.

Anything not listed is refused. Services call `check_fields()` with the names the request carried;
a refused name is never dropped silently: the error names every refused field (the API answers 403
with them, forms show them).

Who may put a patient into a bed is the policy's (hayat.core.policy): the bed entries of the table are
derived from its bed capabilities, so the two can never disagree about a role.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hayat.clinical.models import Episode, EpisodeStatus
from hayat.core import policy
from hayat.core.errors import FieldsRefused
from hayat.core.roles import Role

# The phase of a new episode, before it has a status.
REGISTRATION = "registration"

RECEPTION = frozenset({
    "reason_for_visit", "intended_admission_type", "insurance_philhealth_number", "insurance_hmo_name",
    "insurance_hmo_number", "emergency_contact_name", "emergency_contact_phone",
})
DOCUMENTATION = frozenset({
    "chief_complaint", "present_illness", "physical_examination", "principal_diagnosis", "other_diagnoses",
    "treatment_plan", "attending_physician", "physician_override_reason", "admission_type",
})
# Rows rather than fields of the episode, written by their own use cases but governed by the same table.
ICD_CODES = "icd_codes"
VITALS = "vitals"
BED = "bed"
DISCHARGE = frozenset({"disposition", "result", "discharged_at", "discharge_note"})
PHYSICIAN = frozenset({"attending_physician", "physician_override_reason"})
# While the patient is in care the doctor keeps the plan, the diagnoses and the physician current.
IN_CARE = frozenset({"treatment_plan", "other_diagnoses", "principal_diagnosis", ICD_CODES, VITALS}) | PHYSICIAN

S = EpisodeStatus
# The phases in which a bed is chosen, and the capabilities that choose it there: the coding step admits
# into a bed; an admitted patient gets a first bed or is transferred.
BED_CAPABILITIES = {
    S.READY_FOR_CODING: ("episodes.assign_bed",),
    S.ADMITTED: ("episodes.assign_bed", "episodes.transfer"),
}


def with_beds(table: dict[tuple[str, str], frozenset[str]]) -> dict[tuple[str, str], frozenset[str]]:
    """Adds BED to the phase entry of every role the policy lets choose a bed in that phase."""
    table = dict(table)
    for phase, capabilities in BED_CAPABILITIES.items():
        for role in frozenset().union(*(policy.roles_for(capability) for capability in capabilities)):
            table[(role, phase)] = table.get((role, phase), frozenset()) | {BED}
    return table


FIELD_ACCESS: dict[tuple[str, str], frozenset[str]] = with_beds({
    (Role.RECEPTIONIST, REGISTRATION): RECEPTION,
    (Role.RECEPTIONIST, S.PENDING): RECEPTION,
    (Role.DOCTOR, S.PENDING): DOCUMENTATION | {ICD_CODES, VITALS},
    (Role.NURSE, S.PENDING): frozenset({VITALS}),
    (Role.CODER, S.READY_FOR_CODING): PHYSICIAN | {ICD_CODES},
    (Role.TELLER, S.READY_FOR_CODING): PHYSICIAN | {ICD_CODES},
    (Role.DOCTOR, S.ADMITTED): IN_CARE | DISCHARGE,
    (Role.NURSE, S.ADMITTED): frozenset({VITALS}),
    (Role.DOCTOR, S.OUTPATIENT): IN_CARE | DISCHARGE,
    (Role.NURSE, S.OUTPATIENT): frozenset({VITALS}),
})

LABELS = {
    ICD_CODES: gettext_lazy("ICD-10 codes"),
    VITALS: gettext_lazy("vital signs"),
    BED: gettext_lazy("bed"),
}


def allowed_fields(role: str, phase: str) -> frozenset[str]:
    return FIELD_ACCESS.get((role, phase), frozenset())


def phase_of(episode: Episode | None) -> str:
    return REGISTRATION if episode is None or episode.pk is None else episode.status


def label_of(name: str) -> str:
    if name in LABELS:
        return str(LABELS[name])
    try:
        return str(Episode._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - an unknown name is shown as sent
        return name


def check_fields(user, episode: Episode | None, names: Iterable[str]) -> None:
    """Raises FieldsRefused naming every field in `names` that the user's role may not write now."""
    phase = phase_of(episode)
    refused = sorted(set(names) - allowed_fields(getattr(user, "role", ""), phase))
    if refused:
        phase_label = _("check-in") if phase == REGISTRATION else EpisodeStatus(phase).label
        raise FieldsRefused(
            _("As %(role)s you may not set %(fields)s on an episode that is %(phase)s.") % {
                "role": Role(user.role).label if user.role in Role.values else user.role,
                "fields": ", ".join(label_of(name) for name in refused),
                "phase": str(phase_label).lower(),
            },
            fields=refused,
        )


def may_write(user, episode: Episode | None, name: str) -> bool:
    return name in allowed_fields(getattr(user, "role", ""), phase_of(episode))
