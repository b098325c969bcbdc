"""Factories for lab tests. Patients are made here directly, so these tests need nothing but the model."""

from __future__ import annotations

from datetime import date

import factory

from hayat.core import clock
from hayat.core.codes import insert_with_unique_code
from hayat.lab import services
from hayat.lab.models import LabResult, LabTestType
from hayat.patients.models import Patient


class LabTestTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabTestType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name = factory.Sequence(lambda n: f"Test type {n}")


def make_patient(first_name: str = "Aziz", last_name: str = "Karimov", birth_date: date | None = date(1980, 5, 1),
                 **fields) -> Patient:
    patient = Patient(first_name=first_name, last_name=last_name, birth_date=birth_date, **fields)
    insert_with_unique_code(patient, "code", 5)
    return patient


def make_result(*, by, patient: Patient | None = None, test_type: LabTestType | None = None,
                summary: str = "Within normal limits.", group: services.GroupData | None = None,
                performed_at=None) -> LabResult:
    """A result made through the service, as a user would make it."""
    return services.create_result(
        by=by, patient=patient or make_patient(), group=group,
        data=services.ResultData(test_type=test_type or LabTestTypeFactory(), summary=summary, performed_by=by,
                                 performed_at=performed_at or clock.now()),
    )
