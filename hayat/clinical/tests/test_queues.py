"""Work queues on the dashboard per role, and the episodes of a patient on the patient page."""

import pytest
from django.urls import reverse

from hayat.clinical import services
from hayat.clinical.tests.factories import checked_in, documented
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(clock, hospital, receptionist):
    """One episode in each queue: pending, ready for coding and admitted."""
    waiting = checked_in(PatientFactory(first_name="Wali", last_name="Waiting"), receptionist)
    to_code = documented(checked_in(PatientFactory(first_name="Kamola", last_name="Coding"), receptionist),
                         hospital.cardiologist)
    in_bed = documented(checked_in(hospital.patient, receptionist), hospital.cardiologist)
    services.complete_coding(by=hospital.coder, episode=in_bed, bed=hospital.bed1)
    return waiting, to_code, in_bed


def dashboard(client_as, user) -> str:
    response = client_as(user).get(reverse("web:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_doctors_and_nurses_see_the_pending_queue_and_the_inpatients(cases, doctor, nurse, client_as):
    waiting, to_code, in_bed = cases
    for user in (doctor, nurse):
        page = dashboard(client_as, user)
        assert "Waiting for documentation" in page and f'data-queue-episode="{waiting.pk}"' in page
        assert f'data-inpatient="{in_bed.pk}"' in page and "201" in page
        assert f'data-queue-episode="{to_code.pk}"' not in page and "Ready for coding" not in page


def test_coders_and_tellers_see_the_coding_queue(cases, coder, teller, client_as):
    waiting, to_code, in_bed = cases
    for user in (coder, teller):
        page = dashboard(client_as, user)
        assert f'data-queue-episode="{to_code.pk}"' in page
        assert '1</span> <span class="text-body-secondary">episode to code<' in page
        assert f'data-queue-episode="{waiting.pk}"' not in page and "data-inpatient" not in page


def test_reception_sees_no_clinical_queue(cases, receptionist, client_as):
    page = dashboard(client_as, receptionist)
    assert "data-queue-episode" not in page and "data-inpatient" not in page


def test_the_patient_page_lists_every_episode_of_the_patient(clock, hospital, receptionist, client_as,
                                                             django_assert_max_num_queries):
    from hayat.clinical.patient_sections import SECTIONS

    first = checked_in(hospital.patient, receptionist)
    services.cancel_episode(by=receptionist, episode=first, reason="Left before being seen")
    second = checked_in(hospital.patient, receptionist)
    with django_assert_max_num_queries(2):
        context = SECTIONS[0].load(hospital.patient, receptionist)
    assert [episode.case_number for episode in context["episodes"]] == [second.case_number, first.case_number]
    assert context["has_open"] is True
    page = client_as(receptionist).get(hospital.patient.get_absolute_url()).content.decode()
    assert first.case_number in page and second.case_number in page and "Cancelled" in page
    assert 'id="check-in-patient"' not in page


@pytest.fixture
def waiting_room(clock, hospital, receptionist):
    """Four pending episodes, one hour apart: A without a code, B coded for Cardiology, C the cardiologist's own
    patient sent back by the coder, D coded for Surgery."""
    a = checked_in(PatientFactory(), receptionist)
    clock.advance(hours=1)
    b = checked_in(PatientFactory(), receptionist)
    services.add_diagnosis(by=hospital.cardiologist2, episode=b, code="I21.4", rank="principal")
    clock.advance(hours=1)
    c = documented(checked_in(PatientFactory(), receptionist), hospital.cardiologist)
    services.return_to_doctor(by=hospital.coder, episode=c, reason="Add the ECG findings")
    clock.advance(hours=1)
    d = checked_in(PatientFactory(), receptionist)
    services.add_diagnosis(by=hospital.surgeon, episode=d, code="K35.80", rank="principal")
    return a, b, c, d


def test_a_doctor_sees_own_patients_first_then_the_departments_then_the_rest_oldest_first(
        waiting_room, hospital, make_user, django_assert_max_num_queries):
    from hayat.clinical import selectors
    from hayat.core.roles import Role

    a, b, c, d = waiting_room
    nurse = make_user(Role.NURSE, user_id="card-nurse", department=hospital.cardiology)

    def queue_of(user) -> list:
        with django_assert_max_num_queries(1):
            return list(selectors.queue("pending", user=user))

    assert queue_of(hospital.cardiologist) == [c, b, a, d]
    assert queue_of(hospital.surgeon) == [d, a, b, c]
    assert queue_of(nurse) == [b, c, a, d]
    assert queue_of(hospital.coder) == queue_of(None) == [a, b, c, d]


def test_the_dashboard_queue_marks_the_doctors_own_patients_and_orders_them_first(waiting_room, hospital,
                                                                                 client_as):
    a, b, c, d = waiting_room
    page = dashboard(client_as, hospital.cardiologist)
    rows = [page.index(f'data-queue-episode="{episode.pk}"') for episode in (c, b, a, d)]
    assert rows == sorted(rows)
    assert page.count("data-own-patient") == 1


def test_waiting_times_are_counted_on_the_hospital_clock(waiting_room, hospital, client_as, clock):
    clock.advance(hours=2)
    page = dashboard(client_as, hospital.surgeon)
    waited = [part.split("</span>")[0] for part in page.split("data-waiting>")[1:]]
    assert waited == ["2\xa0hours", "5\xa0hours", "4\xa0hours", "3\xa0hours"]
