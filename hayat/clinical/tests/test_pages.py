"""The episode pages: list and filters, check-in, the episode page in view and edit mode, vitals, the ICD-10
picker and the phase steps, each for the role that uses it and refused, with a message, for the others."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.clinical import services
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus, Vitals
from hayat.clinical.tests.factories import RECEPTION_FIELDS, checked_in, documented, ward_room
from hayat.core.models import AccessLogEntry
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def pending(clock, hospital, receptionist):
    return checked_in(hospital.patient, receptionist)


@pytest.fixture
def ready(pending, hospital):
    return documented(pending, hospital.cardiologist)


@pytest.fixture
def admitted(ready, hospital):
    return services.complete_coding(by=hospital.coder, episode=ready, bed=hospital.bed1)


# List -------------------------------------------------------------------------------------------------------

def test_the_list_filters_by_status_department_and_physician_and_searches(hospital, receptionist, client_as,
                                                                           ready, doctor):
    other = checked_in(PatientFactory(first_name="Olim", last_name="Qodirov"), receptionist)
    client = client_as(doctor)
    url = reverse("clinical:episode_list")

    def found(**params) -> set[str]:
        page = text(client.get(url, params, **HTMX, HTTP_HX_TARGET="episode-rows"))
        assert "<html" not in page
        return {episode.case_number for episode in (ready, other) if episode.case_number in page}

    assert found() == {ready.case_number, other.case_number}
    assert found(status="pending") == {other.case_number}
    assert found(status="ready_for_coding") == {ready.case_number}
    assert found(department=hospital.cardiology.pk) == {ready.case_number}
    assert found(physician=hospital.cardiologist.pk) == {ready.case_number}
    assert found(q=other.case_number) == {other.case_number}
    assert found(q=ready.hospital_case_number.lower()) == {ready.case_number}
    assert found(q="qodirov") == {other.case_number}
    assert found(q=hospital.patient.code) == {ready.case_number}
    assert found(status="nonsense", department="x") == {ready.case_number, other.case_number}
    full = text(client.get(url))
    assert 'data-shortcut="search"' in full and "delay:300ms" in full and "Ready for coding" in full


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_has_a_constant_query_count(rows, hospital, receptionist, doctor, client_as,
                                             django_assert_max_num_queries):
    patients = PatientFactory.create_batch(rows)
    Episode.objects.bulk_create([
        Episode(patient=patient, case_number=f"C-T-{index:05d}", hospital_case_number=f"H-T-{index:05d}",
                registered_at=hospital.patient.created_at, reason_for_visit="Check-up",
                department=hospital.cardiology, attending_physician=None)
        for index, patient in enumerate(patients)])
    client = client_as(doctor)
    with django_assert_max_num_queries(13):  # with the top-up flag of the inpatients' beds
        page = text(client.get(reverse("clinical:episode_list"), {"department": hospital.cardiology.pk}))
    assert page.count("data-episode=") == min(rows, 25)


# Check-in ---------------------------------------------------------------------------------------------------

def test_reception_checks_a_patient_in(hospital, receptionist, client_as, clock):
    client = client_as(receptionist)
    page = text(client.get(reverse("clinical:episode_create"), {"patient": hospital.patient.pk}))
    assert hospital.patient.full_name in page and "patient-picker" in page and "Reason for visit" in page
    assert "chief_complaint" not in page
    response = client.post(reverse("clinical:episode_create"), {
        "patient": hospital.patient.pk, "reason_for_visit": "Fever for three days",
        "intended_admission_type": "inpatient", "emergency_contact_name": "Karim (son)"})
    episode = Episode.objects.get()
    assert response.status_code == 302 and response["Location"] == episode.get_absolute_url()
    assert episode.status == EpisodeStatus.PENDING and episode.intended_admission_type == "inpatient"
    assert episode.reason_for_visit == "Fever for three days" and episode.emergency_contact_name == "Karim (son)"
    detail = text(client.get(episode.get_absolute_url()))
    assert episode.case_number in detail and episode.hospital_case_number in detail
    assert "Waiting for the doctor" in detail


@pytest.mark.parametrize(("clinical", "named"), [
    ({"chief_complaint": "Fever", "treatment_plan": "Paracetamol"}, "chief complaint, treatment plan and orders"),
    ({"pulse": "88", "disposition": "discharged"}, "disposition, pulse"),  # not on the form: named as the API does
])
def test_a_receptionist_posting_clinical_fields_gets_them_named_and_nothing_is_created(clinical, named, hospital,
                                                                                       receptionist, client_as):
    page = text(client_as(receptionist).post(reverse("clinical:episode_create"), {
        "patient": hospital.patient.pk, "reason_for_visit": "Fever", "intended_admission_type": "undecided",
        **clinical}))
    assert f"you may not set {named}" in page
    assert not Episode.objects.exists()


def test_a_second_open_episode_is_refused_on_the_form(pending, hospital, receptionist, client_as):
    page = text(client_as(receptionist).post(reverse("clinical:episode_create"), {
        "patient": hospital.patient.pk, "reason_for_visit": "Again", "intended_admission_type": "undecided"}))
    assert "already has an open episode" in page and pending.case_number in page
    assert Episode.objects.count() == 1


# The episode page -------------------------------------------------------------------------------------------

def test_the_episode_page_shows_the_record_and_logs_the_access(pending, nurse, client_as):
    page = text(client_as(nurse).get(pending.get_absolute_url()))
    assert pending.case_number in page and pending.patient.full_name in page
    assert RECEPTION_FIELDS["reason_for_visit"] in page
    assert 'data-mode="view"' in page and 'id="edit-record"' not in page
    assert 'id="vitals-form"' in page and 'id="diagnosis-form"' not in page
    entry = AccessLogEntry.objects.get(what="episode")
    assert entry.patient_id == pending.patient_id and entry.actor_id == nurse.pk


def test_the_take_payment_button_shows_for_tellers_only(admitted, teller, doctor, client_as):
    assert "take-payment-for" in text(client_as(teller).get(admitted.get_absolute_url()))
    assert f"?episode={admitted.pk}" in text(client_as(teller).get(admitted.get_absolute_url()))
    assert "take-payment-for" not in text(client_as(doctor).get(admitted.get_absolute_url()))


def test_the_pencil_opens_only_the_fields_the_role_may_write(pending, hospital, receptionist, client_as):
    doctor_card = text(client_as(hospital.cardiologist).get(
        reverse("clinical:episode_edit", args=[pending.pk]), **HTMX))
    assert 'data-mode="edit"' in doctor_card
    assert 'name="chief_complaint"' in doctor_card and 'name="attending_physician"' in doctor_card
    assert 'name="reason_for_visit"' not in doctor_card and RECEPTION_FIELDS["reason_for_visit"] in doctor_card
    reception_card = text(client_as(receptionist).get(reverse("clinical:episode_edit", args=[pending.pk]), **HTMX))
    assert 'name="reason_for_visit"' in reception_card and 'name="chief_complaint"' not in reception_card
    assert AccessLogEntry.objects.filter(what="episode", patient_id=pending.patient_id).count() == 2


def test_the_doctor_documents_in_the_same_card_and_sees_it_in_view_mode(pending, hospital, client_as):
    response = client_as(hospital.cardiologist).post(reverse("clinical:episode_edit", args=[pending.pk]), {
        "chief_complaint": "Crushing chest pain", "present_illness": "Two hours",
        "physical_examination": "BP 150/95", "principal_diagnosis": "", "other_diagnoses": "",
        "treatment_plan": "Aspirin", "admission_type": "inpatient",
        "attending_physician": hospital.cardiologist.pk, "physician_override_reason": ""}, **HTMX)
    card = text(response)
    assert 'data-mode="view"' in card and "Crushing chest pain" in card and hospital.cardiologist.full_name in card
    assert json.loads(response["HX-Trigger"])["toast"]["message"] == "Changes saved."
    pending.refresh_from_db()
    assert pending.chief_complaint == "Crushing chest pain" and pending.admission_type == "inpatient"


def test_a_receptionist_posting_a_clinical_field_to_the_record_gets_it_named(pending, receptionist, client_as):
    card = text(client_as(receptionist).post(reverse("clinical:episode_edit", args=[pending.pk]), {
        "reason_for_visit": "Changed", "intended_admission_type": "inpatient", "chief_complaint": "Sneaked in"},
        **HTMX))
    assert 'data-mode="edit"' in card and "you may not set chief complaint" in card
    pending.refresh_from_db()
    assert pending.reason_for_visit == RECEPTION_FIELDS["reason_for_visit"] and pending.chief_complaint == ""


def test_a_discharge_field_posted_to_the_record_is_named_and_nothing_changes(pending, hospital, client_as):
    card = text(client_as(hospital.cardiologist).post(reverse("clinical:episode_edit", args=[pending.pk]), {
        "chief_complaint": "Chest pain", "result": "recovered"}, **HTMX))
    assert 'data-mode="edit"' in card and "you may not set result on an episode that is pending" in card
    pending.refresh_from_db()
    assert pending.chief_complaint == "" and pending.result == ""


def test_a_physician_outside_the_department_needs_a_reason(pending, hospital, client_as):
    client = client_as(hospital.cardiologist)
    services.add_diagnosis(by=hospital.cardiologist, episode=pending, code="I21.4", rank="principal")
    url = reverse("clinical:episode_edit", args=[pending.pk])
    card = text(client.post(url, {"attending_physician": hospital.surgeon.pk}, **HTMX))
    assert "is not a doctor of Cardiology" in card
    card = text(client.post(url, {"attending_physician": hospital.surgeon.pk,
                                  "physician_override_reason": "Post-operative patient of Dr. Surgeon"}, **HTMX))
    assert 'data-mode="view"' in card and "physician outside the department" in card


def test_the_record_shows_the_suggested_physicians_by_load(pending, hospital, receptionist, client_as):
    busy = checked_in(PatientFactory(), receptionist)
    services.update_episode(by=hospital.cardiologist, episode=busy,
                            fields={"attending_physician": hospital.cardiologist})
    services.add_diagnosis(by=hospital.cardiologist, episode=pending, code="I21.4", rank="principal")
    card = text(client_as(hospital.cardiologist).get(reverse("clinical:episode_edit", args=[pending.pk]), **HTMX))
    suggestions = card[card.index('id="physician-suggestions"'):]
    assert suggestions.index("Dr. Bella Cardio") < suggestions.index("Dr. Aziz Cardio")
    assert f'data-choose-physician="{hospital.cardiologist2.pk}"' in suggestions


# Vitals -----------------------------------------------------------------------------------------------------

def test_a_nurse_records_vitals_and_abnormal_ones_are_flagged(pending, nurse, client_as):
    response = client_as(nurse).post(reverse("clinical:vitals_add", args=[pending.pk]), {
        "systolic": "165", "diastolic": "95", "pulse": "80", "temperature": "36.8"}, **HTMX)
    card = text(response)
    assert "165" in card and card.count("data-abnormal") == 2
    assert json.loads(response["HX-Trigger"])["toast"]["message"] == "Vital signs recorded."
    assert Vitals.objects.get().systolic == 165


def test_an_implausible_reading_is_refused_on_the_form(pending, nurse, client_as):
    card = text(client_as(nurse).post(reverse("clinical:vitals_add", args=[pending.pk]),
                                      {"temperature": "52", "pulse": "80"}, **HTMX))
    assert "Temperature 52" in card and "check the reading" in card
    assert not Vitals.objects.exists()


def test_vitals_are_refused_to_a_nurse_once_the_case_is_with_the_coders(ready, nurse, client_as):
    page = text(client_as(nurse).post(reverse("clinical:vitals_add", args=[ready.pk]), {"pulse": "80"}))
    assert "you may not set vital signs" in page
    assert not Vitals.objects.exists()


# ICD-10 -----------------------------------------------------------------------------------------------------

def test_the_icd_picker_finds_codes_by_code_and_by_words(icd_codes, nurse, client_as):
    client = client_as(nurse)
    by_code = text(client.get(reverse("clinical:icd_search"), {"q": "i214"}, **HTMX))
    assert 'data-icd="I21.4"' in by_code and "myocardial infarction" in by_code
    by_words = text(client.get(reverse("clinical:icd_search"), {"q": "acute append"}, **HTMX))
    assert 'data-icd="K35' in by_words and 'data-icd="I21' not in by_words
    nothing = text(client.get(reverse("clinical:icd_search"), {"q": "zzzzqx"}, **HTMX))
    assert "No ICD-10 code matches" in nothing


def test_coding_with_the_picker_sets_the_department_and_reloads_the_record(pending, hospital, client_as):
    response = client_as(hospital.cardiologist).post(reverse("clinical:diagnosis_add", args=[pending.pk]),
                                                     {"code": "I21.4", "rank": "principal"}, **HTMX)
    card = text(response)
    assert 'data-code="I21.4"' in card and "Principal" in card
    assert set(json.loads(response["HX-Trigger"])) == {"toast", "clinical:coded"}
    pending.refresh_from_db()
    assert pending.department == hospital.cardiology
    record = text(client_as(hospital.cardiologist).get(pending.get_absolute_url(), **HTMX,
                                                       HTTP_HX_TARGET="record-card"))
    assert 'id="record-card"' in record and "Cardiology" in record and "<html" not in record


def test_a_code_change_after_documentation_is_kept_in_the_history(ready, hospital, client_as):
    coder = hospital.coder
    principal = ready.diagnoses.get()
    url = reverse("clinical:diagnosis_amend", args=[ready.pk, principal.pk])
    refused = text(client_as(coder).post(url, {"code": "I21.3"}, **HTMX))
    assert "Give the reason" in refused
    card = text(client_as(coder).post(url, {"code": "I21.3", "reason": "ECG shows STEMI"}, **HTMX))
    assert 'data-code="I21.3"' in card and 'data-code="I21.4"' not in card
    assert "replaced I21.4 by I21.3" in card and "ECG shows STEMI" in card


def test_the_remove_button_removes_the_code_even_with_a_code_typed_in_the_box(ready, hospital, client_as):
    principal = ready.diagnoses.get()
    url = reverse("clinical:diagnosis_amend", args=[ready.pk, principal.pk])
    card = text(client_as(hospital.coder).post(url, {"code": "I21.3", "reason": "Not an infarction",
                                                     "remove": "1"}, **HTMX))
    assert 'data-code="I21.4"' not in card and 'data-code="I21.3"' not in card
    assert "removed I21.4" in card and "replaced" not in card
    assert [row.action for row in ready.diagnoses.order_by("id")] == ["added", "removed"]


def test_the_replace_button_replaces_and_asks_for_the_new_code_when_the_box_is_empty(ready, hospital, client_as):
    principal = ready.diagnoses.get()
    url = reverse("clinical:diagnosis_amend", args=[ready.pk, principal.pk])
    client = client_as(hospital.coder)
    empty = text(client.post(url, {"code": " ", "reason": "ECG shows STEMI"}, **HTMX))
    assert "Type the new code to replace this one, or press Remove." in empty and 'data-code="I21.4"' in empty
    assert ready.diagnoses.count() == 1
    card = text(client.post(url, {"code": "I21.3", "reason": "ECG shows STEMI"}, **HTMX))
    assert 'data-code="I21.3"' in card and "replaced I21.4 by I21.3" in card
    assert [row.action for row in ready.diagnoses.order_by("id")] == ["added", "replaced"]


def test_a_receptionist_cannot_code(pending, receptionist, client_as):
    response = client_as(receptionist).post(reverse("clinical:diagnosis_add", args=[pending.pk]),
                                            {"code": "I21.4", "rank": "principal"})
    assert response.status_code == 403
    assert not pending.diagnoses.exists()


def test_a_coder_is_told_that_codes_wait_for_the_doctor_until_coding(pending, hospital, client_as):
    page = text(client_as(hospital.coder).post(reverse("clinical:diagnosis_add", args=[pending.pk]),
                                               {"code": "I21.4", "rank": "principal"}))
    assert "As Coder you may not set ICD-10 codes on an episode that is" in page
    assert not pending.diagnoses.exists()


# Phases -----------------------------------------------------------------------------------------------------

def test_ready_for_coding_names_what_is_missing(pending, hospital, client_as):
    page = text(client_as(hospital.cardiologist).post(reverse("clinical:send_to_coding", args=[pending.pk])))
    assert "Before coding, complete: chief complaint, a principal ICD-10 code" in page
    pending.refresh_from_db()
    assert pending.status == EpisodeStatus.PENDING


def test_the_coder_admits_into_a_free_bed_chosen_on_the_page(ready, hospital, client_as):
    client = client_as(hospital.coder)
    page = text(client.get(ready.get_absolute_url()))
    assert 'id="complete-coding"' in page and f'value="{hospital.bed1.pk}"' in page
    refused = text(client.post(reverse("clinical:complete_coding", args=[ready.pk]), {"bed": ""}))
    assert "An inpatient needs a bed" in refused
    response = client.post(reverse("clinical:complete_coding", args=[ready.pk]), {"bed": hospital.bed2.pk})
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == EpisodeStatus.ADMITTED
    assert BedAssignment.objects.get(open_episode=ready.pk).bed == hospital.bed2


def test_the_bed_picker_groups_free_beds_by_department_the_episodes_first_at_a_constant_cost(ready, hospital,
                                                                                               client_as):
    surgery_bed = ward_room(hospital.surgery, beds=1, name="A-1").beds.get()
    client = client_as(hospital.coder)
    few_beds = queries_of(client, ready)
    ward_room(hospital.surgery, beds=30, name="A-2")
    assert queries_of(client, ready) == few_beds
    picker = text(client.get(ready.get_absolute_url())).split('id="bed_bed"')[1].split("</select>")[0]
    cardiology, surgery = picker.split('<optgroup label="')[1:]
    assert cardiology.startswith("Cardiology") and surgery.startswith("Surgery")
    assert f'<option value="{hospital.bed1.pk}">' in cardiology and f'<option value="{surgery_bed.pk}">' in surgery
    assert surgery.count("<option ") == 31


def queries_of(client, episode) -> int:
    with CaptureQueriesContext(connection) as captured:
        text(client.get(episode.get_absolute_url()))
    return len(captured.captured_queries)


def test_an_occupied_bed_is_refused_with_the_case_that_holds_it(admitted, hospital, receptionist, client_as):
    other = documented(checked_in(PatientFactory(), receptionist), hospital.cardiologist)
    page = text(client_as(hospital.coder).post(reverse("clinical:complete_coding", args=[other.pk]),
                                               {"bed": hospital.bed1.pk}))
    assert f"is occupied (case {admitted.case_number})" in page
    other.refresh_from_db()
    assert other.status == EpisodeStatus.READY_FOR_CODING


def test_transfer_and_discharge_free_the_beds(admitted, hospital, nurse, client_as, clock):
    clock.advance(hours=5)
    page = text(client_as(nurse).get(admitted.get_absolute_url()))
    assert 'id="transfer"' in page and 'id="discharge"' not in page
    assert client_as(nurse).post(reverse("clinical:transfer", args=[admitted.pk]),
                                 {"bed": hospital.bed2.pk, "note": "Closer to the nurses"}).status_code == 302
    clock.advance(days=2)
    doctor = client_as(hospital.cardiologist)
    refused = text(doctor.post(reverse("clinical:discharge", args=[admitted.pk]), {"disposition": "discharged"}))
    assert "This field is required" in refused
    response = doctor.post(reverse("clinical:discharge", args=[admitted.pk]),
                           {"disposition": "discharged", "result": "improved", "note": "Stable"})
    assert response.status_code == 302
    admitted.refresh_from_db()
    assert admitted.status == EpisodeStatus.DISCHARGED and admitted.discharged_at == clock.now()
    assert not BedAssignment.objects.filter(ended_at__isnull=True).exists()
    page = text(doctor.get(admitted.get_absolute_url()))
    assert "Transferred to another bed" in page and 'data-status-change="discharged"' in page
    assert 'id="discharge"' not in page and "Discharged 23 Nov 2026" in page


def test_a_refused_step_shows_the_reason_and_changes_nothing(pending, hospital, client_as):
    page = text(client_as(hospital.coder).post(reverse("clinical:complete_coding", args=[pending.pk]), {}))
    assert "cannot go from Pending to" in page
    pending.refresh_from_db()
    assert pending.status == EpisodeStatus.PENDING


def test_a_coder_returns_the_case_to_the_doctor(ready, hospital, client_as):
    response = client_as(hospital.coder).post(reverse("clinical:return_to_doctor", args=[ready.pk]),
                                              {"return-reason": "Principal code too vague"})
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.status == EpisodeStatus.PENDING


def test_reception_cancels_a_check_in_made_by_mistake(pending, receptionist, client_as):
    client = client_as(receptionist)
    assert "Give the reason" not in text(client.get(pending.get_absolute_url()))
    refused = text(client.post(reverse("clinical:cancel", args=[pending.pk]), {"cancel-reason": ""}))
    assert "This field is required" in refused
    assert client.post(reverse("clinical:cancel", args=[pending.pk]),
                       {"cancel-reason": "Registered twice"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == EpisodeStatus.CANCELLED


def test_the_episode_page_has_a_constant_query_count(admitted, hospital, nurse, client_as, clock,
                                                     django_assert_max_num_queries):
    client = client_as(hospital.cardiologist)
    with django_assert_max_num_queries(20) as few:
        client.get(admitted.get_absolute_url())
    for hour in range(6):
        clock.advance(hours=1)
        services.record_vitals(by=nurse, episode=admitted, values={"pulse": 70 + hour})
    services.add_diagnosis(by=hospital.cardiologist, episode=admitted, code="I10", reason="Known hypertension")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(admitted.get_absolute_url()))
    assert page.count("data-vitals=") == 6
