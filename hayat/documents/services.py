"""Writes of the documents app: the letterhead, and a patient's language for documents."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from hayat.core import audit, clock, policy
from hayat.core.uploads import CleanImage
from hayat.documents.models import DocumentLanguage, Letterhead
from hayat.patients.models import Patient

TEXT_FIELDS = ("name_en", "name_ru", "name_uz", "address", "phone", "email", "tax_id", "footer", "signature_lines",
               "house_rules", "meal_times", "tax_name", "tax_rate")


@transaction.atomic
def update_letterhead(*, by, values: dict, logo: CleanImage | None = None, remove_logo: bool = False) -> Letterhead:
    """Sets the letterhead every document prints on. `logo` is a picture already checked and re-encoded."""
    policy.ensure(by, "documents.letterhead")
    letterhead = Letterhead.objects.select_for_update().first() or Letterhead()
    changes = {name: [str(getattr(letterhead, name)), str(values[name])] for name in TEXT_FIELDS
               if name in values and str(getattr(letterhead, name)) != str(values[name])}
    for name in TEXT_FIELDS:
        if name in values:
            setattr(letterhead, name, values[name])
    if remove_logo or logo is not None:
        changes["logo"] = [letterhead.logo.name, ""]
        letterhead.logo = ""
    if logo is not None:
        letterhead.logo.save(f"letterhead/logo.{logo.type.extension}", ContentFile(logo.content), save=False)
        changes["logo"][1] = letterhead.logo.name
    letterhead.updated_at, letterhead.updated_by = clock.now(), by
    letterhead.save()
    audit.record("documents.letterhead", by=by, obj=letterhead, changes=changes)
    return letterhead


@transaction.atomic
def set_patient_language(*, by, patient: Patient, language: str) -> None:
    """The language the patient's documents print in; empty: the reader's language."""
    policy.ensure(by, "patients.edit")
    previous = DocumentLanguage.objects.filter(patient=patient).values_list("language", flat=True).first() or ""
    if language:
        DocumentLanguage.objects.update_or_create(patient=patient, defaults={"language": language})
    else:
        DocumentLanguage.objects.filter(patient=patient).delete()
    audit.record("documents.patient_language", by=by, obj=patient, patient_id=patient.pk,
                 changes={"language": [previous, language]})
