"""What the laboratory scrubs when a patient is anonymised (see hayat.patients.anonymising).

A result's summary and its attachment groups' descriptions are typed by people and may name the patient;
the patient's names and numbers in them (and in the results' history rows) are rewritten. The files stay.
"""

from __future__ import annotations

from hayat.lab.models import AttachmentGroup, LabResult
from hayat.patients.anonymising import Forgotten


def scrub_patient(*, forgotten: Forgotten) -> None:
    results = list(LabResult.objects.filter(patient_id__in=forgotten.patient_ids).values_list("pk", flat=True))
    forgotten.scrub_rows(LabResult.objects.filter(pk__in=results), ["summary"])
    forgotten.scrub_rows(LabResult.history.filter(id__in=results), ["summary"])
    forgotten.scrub_rows(AttachmentGroup.objects.filter(result_id__in=results), ["description"])
