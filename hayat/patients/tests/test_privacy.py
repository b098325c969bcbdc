"""Right to be forgotten: anonymise when records must be kept (and scrub history), delete only when nothing
refers to the patient."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.patients import services
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.tests.factories import PatientFactory
from hayat.patients.validation import PatientData

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(receptionist):
    patient = services.register_patient(by=receptionist, data=PatientData(
        first_name="Shahnoza", last_name="Yusupova", birth_date=date(1986, 3, 14), mobile="+998901234567",
        email="sh@example.uz", document_type="passport", document_number="AB1234567", address="Chilonzor 9"))
    services.update_patient(by=receptionist, patient=patient, data=PatientData(
        first_name="Shahnoza", last_name="Yusupova", birth_date=date(1986, 3, 14), mobile="+998901234568"))
    return Patient.objects.get(pk=patient.pk)


def test_anonymise_replaces_identifying_values_and_keeps_the_row(registered, admin_user):
    services.anonymise(by=admin_user, patient=registered, reason="request 2026/17")
    patient = Patient.objects.get(pk=registered.pk)
    assert (patient.first_name, patient.last_name) == ("Anonymised", f"Patient {patient.code}")
    assert (patient.mobile, patient.email, patient.document_number, patient.address) == ("", "", "", "")
    assert patient.birth_date == date(1986, 1, 1) and patient.gender == registered.gender
    assert (patient.is_active, patient.status) == (False, "anonymised")
    assert "yusupova" not in patient.search_text and "998901234567" not in patient.phone_digits


def test_anonymise_scrubs_the_field_history_and_the_audit_values(registered, admin_user):
    services.anonymise(by=admin_user, patient=registered, reason="request 2026/17")
    names = set(Patient.history.filter(id=registered.pk).values_list("last_name", flat=True))
    assert names == {f"Patient {registered.code}"}
    recorded = str(list(AuditEvent.objects.filter(patient_id=registered.pk).values_list("changes", flat=True)))
    assert "998901234567" not in recorded and "Yusupova" not in recorded and "AB1234567" not in recorded


def test_anonymise_also_clears_records_merged_into_the_patient(registered, admin_user):
    pointer = PatientFactory(first_name="Шахноза", last_name="Юсупова", mobile="+998901234567",
                             merged_into=registered, is_active=False)
    DuplicateDecision.objects.create(patient=registered, context="create", reason="Yusupova's twin",
                                     decided_at=registered.created_at)
    services.anonymise(by=admin_user, patient=registered, reason="request")
    pointer.refresh_from_db()
    assert (pointer.last_name, pointer.mobile) == (f"Patient {pointer.code}", "")
    assert DuplicateDecision.objects.get().reason == "(anonymised)"


def test_anonymise_needs_a_reason_and_an_admin(registered, admin_user, receptionist):
    with pytest.raises(PermissionDenied):
        services.anonymise(by=receptionist, patient=registered, reason="x")
    with pytest.raises(DomainError):
        services.anonymise(by=admin_user, patient=registered, reason=" ")


def test_an_anonymised_patient_cannot_be_edited_reactivated_or_anonymised_again(registered, admin_user):
    services.anonymise(by=admin_user, patient=registered, reason="x")
    with pytest.raises(Conflict):
        services.update_patient(by=admin_user, patient=registered, data=PatientData(first_name="A", last_name="B"))
    with pytest.raises(Conflict):
        services.set_active(by=admin_user, patient=registered, active=True)
    with pytest.raises(Conflict):
        services.anonymise(by=admin_user, patient=registered, reason="x")


def test_delete_removes_an_unreferenced_patient_and_its_history(registered, admin_user):
    services.delete_patient(by=admin_user, patient=registered, reason="registered by mistake")
    assert not Patient.objects.filter(pk=registered.pk).exists()
    assert not Patient.history.filter(id=registered.pk).exists()
    event = AuditEvent.objects.get(action="patient.delete")
    assert (event.patient_id, event.changes, event.note) == (registered.pk, {"code": registered.code},
                                                             "registered by mistake")


def test_delete_is_refused_while_records_refer_to_the_patient(registered, admin_user):
    PatientFactory(merged_into=registered, is_active=False)
    with pytest.raises(Conflict) as refused:
        services.delete_patient(by=admin_user, patient=registered)
    assert "Anonymise the patient instead" in refused.value.message
    assert Patient.objects.filter(pk=registered.pk).exists()


def test_only_admins_delete(registered, receptionist):
    with pytest.raises(PermissionDenied):
        services.delete_patient(by=receptionist, patient=registered)


def test_delete_takes_the_deleted_id_out_of_other_patients_decisions(registered, admin_user):
    other = PatientFactory(first_name="Gulnoza", last_name="Karimova")
    kept = PatientFactory()
    decision = DuplicateDecision.objects.create(
        patient=other, context="create", candidate_ids=[registered.pk, kept.pk],
        reason="Not Shahnoza Yusupova, a neighbour", decided_at=registered.created_at)

    services.delete_patient(by=admin_user, patient=registered, reason="registered by mistake")

    decision.refresh_from_db()
    assert decision.candidate_ids == [kept.pk]
    assert "Yusupova" not in decision.reason and "a neighbour" in decision.reason


def test_one_record_is_named_in_the_singular_and_several_in_the_plural(registered, admin_user):
    PatientFactory(merged_into=registered, is_active=False)
    with pytest.raises(Conflict) as refused:
        services.delete_patient(by=admin_user, patient=registered)
    assert "1 × patient" in refused.value.message and "1 × patients" not in refused.value.message
    PatientFactory(merged_into=registered, is_active=False)
    with pytest.raises(Conflict) as refused:
        services.delete_patient(by=admin_user, patient=registered)
    assert "2 × patients" in refused.value.message
