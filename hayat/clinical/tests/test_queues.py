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
        assert f'data-queue-episode="{to_code.pk}"' in page and "episodes to code" in page
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
