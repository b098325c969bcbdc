"""Registration and editing: codes, normalised values, the duplicate decision, audit and permissions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from hayat.core.codes import UNAMBIGUOUS
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.patients import services
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.services import PossibleDuplicates
from hayat.patients.tests.factories import PatientFactory
from hayat.patients.validation import PatientData

pytestmark = pytest.mark.django_db


def person(**fields) -> PatientData:
    return PatientData(**{"first_name": "Shahnoza", "last_name": "Yusupova", "birth_date": date(1986, 3, 14),
                          "mobile": "90 123 45 67", **fields})


def test_registration_gives_a_five_character_code_and_stores_normalised_values(receptionist):
    patient = services.register_patient(by=receptionist, data=person(email="Sh@Example.UZ"))
    assert len(patient.code) == 5 and set(patient.code) <= set(UNAMBIGUOUS)
    assert (patient.mobile, patient.email) == ("+998901234567", "sh@example.uz")
    assert (patient.created_by, patient.last_name_key, patient.first_name_key) == (receptionist, "yusupova",
                                                                                     "shahnoza")


def test_registration_is_audited_with_field_history(receptionist):
    patient = services.register_patient(by=receptionist, data=person())
    event = AuditEvent.objects.get(action="patient.register")
    assert (event.patient_id, event.actor_id) == (patient.pk, receptionist.pk)
    assert event.changes["mobile"] == [None, "+998901234567"]
    assert patient.history.get().history_user == receptionist


def test_age_is_derived_from_the_birth_date(receptionist, clock):
    patient = services.register_patient(by=receptionist, data=person(birth_date=date(1986, 11, 22)))
    assert patient.age == 39
    clock.advance(days=1)
    assert patient.age == 40


@pytest.mark.parametrize("role_fixture", ["doctor", "nurse", "teller", "coder"])
def test_only_admin_and_reception_register_patients(request, role_fixture):
    with pytest.raises(PermissionDenied):
        services.register_patient(by=request.getfixturevalue(role_fixture), data=person())
    assert not Patient.objects.exists()


def test_bad_values_are_refused_with_the_field_named_and_nothing_saved(receptionist):
    with pytest.raises(DomainError) as refused:
        services.register_patient(by=receptionist, data=person(mobile="12"))
    assert refused.value.field == "mobile"
    assert not Patient.objects.exists()


def test_a_possible_duplicate_stops_registration_and_names_the_candidate(receptionist):
    existing = services.register_patient(by=receptionist, data=person())
    with pytest.raises(PossibleDuplicates) as stopped:
        services.register_patient(by=receptionist, data=person(first_name="Шахноза", last_name="Юсупова",
                                                               mobile=""))
    assert [candidate.patient for candidate in stopped.value.candidates] == [existing]
    assert stopped.value.candidates[0].reasons == ["name_birth_date", "similar_name"]
    assert Patient.objects.count() == 1


def test_create_anyway_needs_a_reason(receptionist):
    services.register_patient(by=receptionist, data=person())
    with pytest.raises(DomainError) as refused:
        services.register_patient(by=receptionist, data=person(first_name="Sevara"), create_anyway=True)
    assert refused.value.field == "reason"


def test_create_anyway_keeps_the_reason_and_the_overridden_candidates(receptionist):
    existing = services.register_patient(by=receptionist, data=person())
    twin = services.register_patient(by=receptionist, data=person(first_name="Sevara"), create_anyway=True,
                                      reason="Twin sister, same family phone")
    decision = DuplicateDecision.objects.get(patient=twin)
    assert (decision.reason, decision.candidate_ids, decision.decided_by) == (
        "Twin sister, same family phone", [existing.pk], receptionist)
    assert decision.context == "create"


def test_edit_saves_changes_and_audits_old_and_new_values(receptionist):
    patient = services.register_patient(by=receptionist, data=person())
    services.update_patient(by=receptionist, patient=patient, data=person(address="Chilonzor 9-12"))
    event = AuditEvent.objects.get(action="patient.update")
    assert event.changes == {"address": ["", "Chilonzor 9-12"]}
    assert patient.history.count() == 2


def test_edit_checks_duplicates_again_when_identity_changes(receptionist):
    services.register_patient(by=receptionist, data=person())
    other = services.register_patient(by=receptionist, data=person(first_name="Bobur", last_name="Karimov",
                                                                   mobile="", birth_date=date(1979, 1, 2)))
    with pytest.raises(PossibleDuplicates):
        services.update_patient(by=receptionist, patient=other, data=person(first_name="Bobur", last_name="Karimov",
                                                                            birth_date=date(1979, 1, 2)))
    services.update_patient(by=receptionist, patient=other, keep_anyway=True, reason="Father's phone",
                            data=person(first_name="Bobur", last_name="Karimov", birth_date=date(1979, 1, 2)))
    assert DuplicateDecision.objects.get(patient=other).context == "edit"


def test_edit_without_identity_change_does_not_ask_again(receptionist):
    services.register_patient(by=receptionist, data=person())
    twin = services.register_patient(by=receptionist, data=person(first_name="Sevara"), create_anyway=True,
                                     reason="twin")
    services.update_patient(by=receptionist, patient=twin, data=person(first_name="Sevara", notes="allergic"))
    assert Patient.objects.get(pk=twin.pk).notes == "allergic"


def test_a_gestational_age_recorded_for_an_infant_stays_through_later_edits(receptionist, clock):
    infant = services.register_patient(by=receptionist, data=person(birth_date=date(2026, 5, 1),
                                                                    gestational_age_weeks=32))
    clock.advance(days=3 * 365)
    services.update_patient(by=receptionist, patient=infant, data=person(birth_date=date(2026, 5, 1),
                                                                         gestational_age_weeks=32, address="Olmazor 3"))
    assert (Patient.objects.get(pk=infant.pk).gestational_age_weeks, Patient.objects.get(pk=infant.pk).address) == (
        32, "Olmazor 3")
    for changed in (person(birth_date=date(2026, 5, 1), gestational_age_weeks=36),
                    person(birth_date=date(2026, 4, 1), gestational_age_weeks=32)):
        with pytest.raises(DomainError) as refused:
            services.update_patient(by=receptionist, patient=infant, data=changed)
        assert refused.value.field == "gestational_age_weeks"


def test_doctor_cannot_edit_demographics(receptionist, doctor):
    patient = services.register_patient(by=receptionist, data=person())
    with pytest.raises(PermissionDenied):
        services.update_patient(by=doctor, patient=patient, data=person(address="x"))


def test_deactivate_and_reactivate_are_audited(receptionist):
    patient = services.register_patient(by=receptionist, data=person())
    services.set_active(by=receptionist, patient=patient, active=False, reason="moved abroad")
    assert not Patient.objects.get(pk=patient.pk).is_active
    services.set_active(by=receptionist, patient=patient, active=True)
    assert list(AuditEvent.objects.filter(action__in=["patient.deactivate", "patient.activate"])
                .order_by("id").values_list("action", "note")) == [("patient.deactivate", "moved abroad"),
                                                                   ("patient.activate", "")]


def test_nurse_cannot_deactivate(nurse):
    with pytest.raises(PermissionDenied):
        services.set_active(by=nurse, patient=PatientFactory(), active=False)


def test_merged_record_cannot_be_edited_or_reactivated(receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    Patient.objects.filter(pk=merged.pk).update(merged_into=survivor, is_active=False)
    with pytest.raises(Conflict):
        services.update_patient(by=receptionist, patient=merged, data=person())
    with pytest.raises(Conflict):
        services.set_active(by=receptionist, patient=merged, active=True)


def test_the_database_refuses_an_unknown_gender(receptionist):
    from django.db import IntegrityError, transaction

    patient = PatientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(gender="robot")


def test_the_database_refuses_an_active_merged_record():
    from django.db import IntegrityError, transaction

    survivor, merged = PatientFactory(), PatientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=merged.pk).update(merged_into=survivor, is_active=True)
