"""What clinical scrubs when a patient is anonymised (see hayat.patients.anonymising).

An episode keeps a copy of the patient's insurance and emergency contact taken at check-in; the copy, in the
episode and in every history row of it, is blanked like the patient's own fields. The clinical notes stay
(they are the medical record) with any name or number of the patient in them rewritten.
"""

from __future__ import annotations

from hayat.clinical.models import Episode
from hayat.clinical.services import SNAPSHOT_FROM_PATIENT
from hayat.patients.anonymising import Forgotten

AUDIT_KEYS = frozenset(SNAPSHOT_FROM_PATIENT)
NOTES = ("reason_for_visit", "chief_complaint", "present_illness", "physical_examination", "principal_diagnosis",
         "other_diagnoses", "treatment_plan", "physician_override_reason", "discharge_note")


def scrub_patient(*, forgotten: Forgotten) -> None:
    ids = list(Episode.objects.filter(patient_id__in=forgotten.patient_ids).values_list("pk", flat=True))
    blank = dict.fromkeys(SNAPSHOT_FROM_PATIENT, "")
    for rows in (Episode.objects.filter(pk__in=ids), Episode.history.filter(id__in=ids)):
        rows.update(**blank)
        forgotten.scrub_rows(rows, NOTES)
