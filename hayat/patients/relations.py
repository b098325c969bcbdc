"""Every foreign key that points at Patient, found at run time, so apps written later are included.

Merging moves these rows to the survivor; deleting is refused while any of them exists. Historical
tables (django-simple-history) are left alone: they describe the past as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from simple_history.models import HistoricalChanges

from hayat.patients.models import DuplicateDecision, Patient

# The patient's own bookkeeping: deleted with the patient, never a reason to refuse a delete.
OWN_RECORDS = (DuplicateDecision,)


@dataclass(frozen=True)
class PatientRelation:
    model: type[models.Model]
    field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def rows_of(self, patient: Patient) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field: patient.pk})


def patient_relations() -> list[PatientRelation]:
    """(model, field) for each foreign key or one-to-one to Patient, including auto-created M2M tables and keys
    declared with related_name="+"; historical tables aside."""
    found = []
    for relation in Patient._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        if relation.many_to_many:
            continue  # its through table holds the foreign key and is listed on its own
        model = relation.related_model
        if issubclass(model, HistoricalChanges):
            continue
        found.append(PatientRelation(model, relation.field.name))
    return sorted(found, key=lambda relation: relation.label)


def count_references(patient: Patient) -> dict[str, int]:
    """{"lab results": 3, "episode": 1, ...} for every kind of row pointing at this patient, own bookkeeping
    aside; one row is named in the singular ("1 × episode", never "1 × episodes")."""
    counts: dict[type[models.Model], int] = {}
    for relation in patient_relations():
        if relation.model in OWN_RECORDS:
            continue
        count = relation.rows_of(patient).count()
        if count:
            counts[relation.model] = counts.get(relation.model, 0) + count
    return {str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural): count
            for model, count in counts.items()}
