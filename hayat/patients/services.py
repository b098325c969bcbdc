"""Every change to a patient's identity: one use case per function, one transaction, audited.

Merging lives in `hayat.patients.merging`; this module registers, edits, (de)activates, anonymises
and deletes.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hayat.core import audit, clock, policy
from hayat.core.codes import insert_with_unique_code
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.patients import anonymising, duplicates, validation
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.relations import count_references
from hayat.patients.validation import PatientData

RECORDED_FIELDS = tuple(PatientData.field_names()) + ("is_active",)
IDENTITY_FIELDS = ("first_name", "middle_name", "last_name", "birth_date", "mobile", "home_phone",
                   "document_type", "document_number")
ANONYMISED = anonymising.ANONYMISED


class PossibleDuplicates(Conflict):
    """The person may already be registered; the user chooses an existing patient or confirms with a reason."""

    code = "possible_duplicates"

    def __init__(self, candidates: list[duplicates.Candidate]):
        super().__init__(ngettext(
            "This may be a patient who is already registered: open them, or confirm with a reason.",
            "These may be patients who are already registered: open one, or confirm with a reason.",
            len(candidates)))
        self.candidates = candidates


@transaction.atomic
def register_patient(*, by: Any, data: PatientData, create_anyway: bool = False, reason: str = "") -> Patient:
    """Creates a patient with a fresh code, after the duplicate check.

    When possible duplicates exist the call raises PossibleDuplicates, unless `create_anyway` is set with
    a reason; that decision is kept with the candidates it overrode.
    """
    policy.ensure(by, "patients.register")
    data = validation.clean(data)
    candidates = duplicates.find(data)
    if candidates:
        check_override(candidates, create_anyway, reason)
    patient = Patient(**vars(data), created_by=by if by and by.pk else None, updated_by=by if by and by.pk else None)
    patient._history_user = by
    insert_with_unique_code(patient, "code")
    if candidates:
        keep_decision(patient, candidates, reason, DuplicateDecision.Context.CREATE, by)
    audit.record("patient.register", by=by, obj=patient, patient_id=patient.pk,
                 changes={name: [None, value] for name, value in audit.snapshot(patient, RECORDED_FIELDS).items()
                          if value not in ("", None)},
                 note=reason.strip() if candidates else "")
    return patient


@transaction.atomic
def update_patient(*, by: Any, patient: Patient, data: PatientData, keep_anyway: bool = False,
                   reason: str = "") -> Patient:
    """Saves new demographics. A change of name, birth date, phone or document runs the duplicate check again."""
    policy.ensure(by, "patients.edit")
    patient = lock(patient)
    refuse_if_closed(patient)
    data = validation.clean(data, recorded=PatientData.from_patient(patient))
    before = audit.snapshot(patient, RECORDED_FIELDS)
    identity_changed = any(getattr(data, name) != getattr(patient, name) for name in IDENTITY_FIELDS)
    candidates = duplicates.find(data, exclude=patient) if identity_changed else []
    if candidates:
        check_override(candidates, keep_anyway, reason)
    for name, value in vars(data).items():
        setattr(patient, name, value)
    patient.updated_by = by
    patient._history_user = by
    patient.save()
    if candidates:
        keep_decision(patient, candidates, reason, DuplicateDecision.Context.EDIT, by)
    changes = audit.changes_between(before, audit.snapshot(patient, RECORDED_FIELDS))
    if changes:
        audit.record("patient.update", by=by, obj=patient, patient_id=patient.pk, changes=changes)
    return patient


@transaction.atomic
def set_active(*, by: Any, patient: Patient, active: bool, reason: str = "") -> Patient:
    """Deactivated patients stay findable and keep every record, but new work is not started for them."""
    policy.ensure(by, "patients.deactivate")
    patient = lock(patient)
    if active and patient.is_merged:
        raise Conflict(_("This record was merged into %(survivor)s; undo the merge to use it again.")
                       % {"survivor": patient.merged_into})
    if active and patient.is_anonymised:
        raise Conflict(_("An anonymised patient cannot be reactivated."))
    if patient.is_active != active:
        patient.is_active = active
        patient.updated_by = by
        patient._history_user = by
        patient.save(update_fields=["is_active", "updated_by", "updated_at"])
        audit.record("patient.activate" if active else "patient.deactivate", by=by, obj=patient,
                     patient_id=patient.pk, changes={"is_active": [not active, active]}, note=reason.strip())
    return patient


@transaction.atomic
def anonymise(*, by: Any, patient: Patient, reason: str) -> Patient:
    """The right to be forgotten where records must be kept: identifying values are replaced, the row stays.

    Stays, episodes, bills and lab results keep pointing at the same row, so they stay consistent; the
    field history and the values in this patient's audit entries are scrubbed, the access log (ids only)
    is kept. Records merged into this patient are anonymised with it. Copies kept by other apps (an
    episode's insurance numbers, a bill line naming the guest, the outbox, ...) are scrubbed by their
    `patient_anonymise` hooks (see hayat.patients.anonymising), other patients' duplicate decisions here.
    """
    policy.ensure(by, "patients.anonymise")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for anonymising (e.g. the request reference)."), field="reason")
    patient = lock(patient)
    if patient.is_anonymised:
        raise Conflict(_("This patient is already anonymised."))
    now = clock.now()
    pointers = list(Patient.objects.select_for_update().filter(merged_into=patient).order_by("pk"))
    forgotten = anonymising.forgotten_of([patient, *pointers])
    for record in [patient, *pointers]:
        scrub_patient(record, by=by, at=now)
    anonymising.scrub_other_apps(forgotten)
    anonymising.scrub_decisions_naming(forgotten)
    scrub_audit_trail(forgotten)
    audit.record("patient.anonymise", by=by, obj=patient, patient_id=patient.pk, note=reason.strip(),
                 changes={"also_anonymised": [pointer.pk for pointer in pointers]})
    return patient


def scrub_patient(patient: Patient, *, by: Any, at) -> None:
    patient.history.all().delete()
    birth_year = patient.birth_date.replace(month=1, day=1) if patient.birth_date else None
    blank = {name: "" for name in PatientData.field_names()
             if isinstance(getattr(patient, name), str) and name not in {"gender", "country"}}
    for name, value in blank.items():
        setattr(patient, name, value)
    # Stored data, not UI text: the same in every language the record is later shown in.
    patient.first_name = "Anonymised"
    patient.last_name = f"Patient {patient.code}"
    patient.birth_date = birth_year
    patient.gestational_age_weeks = None
    patient.district = None
    patient.is_active = False
    patient.anonymised_at = at
    patient.updated_by = by
    patient._history_user = by
    patient.save()
    patient.duplicate_decisions.update(reason=ANONYMISED, candidate_ids=[])


def scrub_audit_trail(forgotten: anonymising.Forgotten) -> None:
    """In these patients' audit entries: the values of identifying fields (of patients and of the apps that
    copy them) are replaced, any other text that names them is rewritten, and notes are removed."""
    identifying = (frozenset(PatientData.field_names()) - {"gender", "country", "region"}) | anonymising.audit_keys()
    changed = []
    for event in AuditEvent.objects.filter(patient_id__in=forgotten.patient_ids).only("pk", "changes", "note"):
        scrubbed, note = forgotten.scrub_data(event.changes, identifying), ANONYMISED if event.note else ""
        if (scrubbed, note) != (event.changes, event.note):
            event.changes, event.note = scrubbed, note
            changed.append(event)
    audit.rewrite_details(changed)


@transaction.atomic
def delete_patient(*, by: Any, patient: Patient, reason: str = "") -> None:
    """Deletes a patient nothing refers to (a registration made by mistake), with its field history.

    When any stay, episode, bill, result or merged record refers to the patient, the answer is a
    DomainError naming them: anonymise instead.
    """
    policy.ensure(by, "patients.delete")
    patient = lock(patient)
    references = count_references(patient)
    if references:
        listed = ", ".join(f"{count} × {label}" for label, count in references.items())
        raise Conflict(_("%(patient)s cannot be deleted because other records refer to them (%(records)s). "
                         "Anonymise the patient instead.") % {"patient": patient, "records": listed},
                       code="patient_referenced")
    pk, code = patient.pk, patient.code
    forgotten = anonymising.forgotten_of([patient])
    patient.history.all().delete()
    try:
        with transaction.atomic():
            patient.delete()
    except ProtectedError as error:
        raise Conflict(_("%(patient)s cannot be deleted because other records refer to them. "
                         "Anonymise the patient instead.") % {"patient": code}, code="patient_referenced") from error
    Patient.history.filter(id=pk).delete()
    anonymising.scrub_decisions_naming(forgotten, drop_ids=True)
    scrub_audit_trail(forgotten)
    audit.record("patient.delete", by=by, patient_id=pk, changes={"code": code}, note=(reason or "").strip())


def lock(patient: Patient) -> Patient:
    return Patient.objects.select_for_update().get(pk=patient.pk)


def refuse_if_closed(patient: Patient) -> None:
    if patient.is_merged:
        raise Conflict(_("This record was merged into %(survivor)s; edit that patient instead.")
                       % {"survivor": patient.merged_into}, code="patient_merged")
    if patient.is_anonymised:
        raise Conflict(_("An anonymised patient cannot be edited."), code="patient_anonymised")


def check_override(candidates: list[duplicates.Candidate], confirmed: bool, reason: str) -> None:
    if not confirmed:
        raise PossibleDuplicates(candidates)
    if not (reason or "").strip():
        raise DomainError(_("Say why this is a different person (e.g. twins, same phone in one family)."),
                          code="reason_required", field="reason")


def keep_decision(patient: Patient, candidates, reason: str, context: str, by: Any) -> None:
    DuplicateDecision.objects.create(
        patient=patient, context=context, candidate_ids=[candidate.patient.pk for candidate in candidates],
        reason=reason.strip(), decided_at=clock.now(), decided_by=by if getattr(by, "pk", None) else None,
    )
