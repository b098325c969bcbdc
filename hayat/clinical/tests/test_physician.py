"""The attending physician: suggested from the code's department by load, checked against it."""

import pytest

from hayat.clinical import selectors, services
from hayat.clinical.tests.factories import checked_in, documented
from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_suggestions_are_the_departments_doctors_least_loaded_first_in_one_query(
        hospital, receptionist, django_assert_num_queries):
    for _ in range(2):
        episode = checked_in(PatientFactory(), receptionist)
        services.update_episode(by=hospital.cardiologist, episode=episode,
                                fields={"attending_physician": hospital.cardiologist})
    with django_assert_num_queries(1):
        suggested = selectors.suggested_physicians(hospital.cardiology)
    assert suggested == [hospital.cardiologist2, hospital.cardiologist]
    assert [doctor.load for doctor in suggested] == [0, 2]
    assert hospital.internist not in suggested


def test_finished_episodes_do_not_count_as_load(hospital, receptionist):
    episode = checked_in(PatientFactory(), receptionist)
    documented(episode, hospital.cardiologist2, code="I10", admission_type="outpatient")
    services.complete_coding(by=hospital.coder, episode=episode)
    services.discharge(by=hospital.cardiologist2, episode=episode, disposition="discharged", result="recovered")
    assert [doctor.load for doctor in selectors.suggested_physicians(hospital.cardiology)] == [0, 0]


def test_department_comes_from_the_narrowest_mapping_else_the_fallback(hospital):
    assert selectors.department_for_code("I21.4") == hospital.cardiology
    assert selectors.department_for_code("K35.80") == hospital.surgery
    assert selectors.department_for_code("J18.9") == hospital.internal  # no mapping: HAYAT_FALLBACK_DEPARTMENT=IM


def test_a_doctor_outside_the_department_needs_a_reason(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    with pytest.raises(DomainError) as refused:
        documented(episode, hospital.internist, code="I21.4")
    assert refused.value.field == "physician_override_reason" and "Cardiology" in refused.value.message
    services.update_episode(by=hospital.internist, episode=episode, fields={
        "attending_physician": hospital.internist,
        "physician_override_reason": "Cardiologists on leave; internist on call covers"})
    services.send_to_coding(by=hospital.internist, episode=episode)
    episode.refresh_from_db()
    assert episode.attending_physician == hospital.internist
    assert episode.physician_override_reason.startswith("Cardiologists on leave")
    event = AuditEvent.objects.filter(action="episode.update").order_by("-id").first()
    assert "physician_override_reason" in event.changes


def test_coder_checks_the_match_again_after_a_code_change(hospital, receptionist):
    episode = checked_in(hospital.patient, receptionist)
    documented(episode, hospital.cardiologist, code="I21.4")
    diagnosis = selectors.current_diagnoses(episode).get()
    services.replace_diagnosis(by=hospital.coder, episode=episode, diagnosis=diagnosis, code="K35.80",
                               reason="Notes describe appendicitis; chest pain was referred")
    with pytest.raises(DomainError) as refused:
        services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)
    assert refused.value.field == "physician_override_reason" and "Surgery" in refused.value.message
    services.update_episode(by=hospital.coder, episode=episode, fields={"attending_physician": hospital.surgeon})
    services.complete_coding(by=hospital.coder, episode=episode, bed=hospital.bed1)


def test_only_an_active_doctor_can_attend(hospital, receptionist, nurse):
    episode = checked_in(hospital.patient, receptionist)
    for candidate in (nurse, "999999", "abc"):
        with pytest.raises(DomainError) as refused:
            services.update_episode(by=hospital.cardiologist, episode=episode,
                                    fields={"attending_physician": candidate})
        assert refused.value.field == "attending_physician"
