"""The laboratory's answer to anonymising a patient: result summaries stop naming them (rows and history)."""

import pytest

from hayat.lab.models import LabResult
from hayat.lab.tests.factories import make_result
from hayat.patients import services as patients
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_result_summaries_and_their_history_stop_naming_the_anonymised_patient(doctor, admin_user):
    patient = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    result = make_result(by=doctor, patient=patient, summary="Yusupova Shahnoza: haemoglobin 121 g/l.")

    patients.anonymise(by=admin_user, patient=patient, reason="request 2026/17")

    expected = f"Patient {patient.code} Anonymised: haemoglobin 121 g/l."
    assert LabResult.objects.get(pk=result.pk).summary == expected
    assert set(LabResult.history.filter(id=result.pk).values_list("summary", flat=True)) == {expected}
