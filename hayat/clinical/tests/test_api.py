"""The episode API: the same services as the pages, so each rule answers the same at this door, with the
refused fields named."""

import pytest
from django.urls import reverse

from hayat.clinical import services
from hayat.clinical.models import BedAssignment, Episode, EpisodeStatus
from hayat.clinical.tests.factories import RECEPTION_FIELDS, checked_in, documented
from hayat.core.models import AccessLogEntry
from hayat.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(clock, hospital, receptionist):
    return checked_in(hospital.patient, receptionist)


def url(name: str, episode=None, **kwargs) -> str:
    if episode is not None:
        kwargs["pk"] = episode.pk
    return reverse(name, kwargs=kwargs)


def test_reception_checks_in_through_the_api(clock, hospital, receptionist, api_as):
    response = api_as(receptionist).post(url("episode-list"), {
        "patient": hospital.patient.pk, **RECEPTION_FIELDS, "insurance_hmo_name": "Uzbek Health"}, format="json")
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "pending" and body["case_number"].startswith("C-2026-")
    assert body["patient"]["code"] == hospital.patient.code and body["insurance_hmo_name"] == "Uzbek Health"
    assert [change["to_status"] for change in body["status_history"]] == ["pending"]


def test_a_receptionist_sending_clinical_fields_gets_403_naming_them(clock, hospital, receptionist, api_as):
    response = api_as(receptionist).post(url("episode-list"), {
        "patient": hospital.patient.pk, **RECEPTION_FIELDS, "chief_complaint": "Chest pain",
        "attending_physician": hospital.cardiologist.pk}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "fields_refused" and set(body["errors"]) == {"chief_complaint", "attending_physician"}
    assert "chief complaint" in body["detail"] and "attending physician" in body["detail"]
    assert not Episode.objects.exists()


def test_documentation_fields_are_refused_by_name_to_other_roles_and_phases(pending, hospital, receptionist, nurse,
                                                                           api_as):
    answer = api_as(receptionist).patch(url("episode-detail", pending), {"chief_complaint": "x", "status": "admitted"},
                                        format="json")
    assert answer.status_code == 403 and set(answer.json()["errors"]) == {"chief_complaint", "status"}
    assert api_as(nurse).patch(url("episode-detail", pending), {"chief_complaint": "x"},
                               format="json").status_code == 403
    documented(pending, hospital.cardiologist)
    late = api_as(hospital.cardiologist).patch(url("episode-detail", pending), {"chief_complaint": "changed"},
                                               format="json")
    assert late.status_code == 403 and list(late.json()["errors"]) == ["chief_complaint"]
    pending.refresh_from_db()
    assert pending.chief_complaint == "Crushing chest pain"


def test_an_empty_change_is_a_clear_400(pending, hospital, api_as):
    response = api_as(hospital.cardiologist).patch(url("episode-detail", pending), {}, format="json")
    assert response.status_code == 400 and "at least one field" in response.json()["detail"]


def test_the_whole_flow_through_the_api(pending, hospital, nurse, api_as, clock):
    doctor, coder = api_as(hospital.cardiologist), api_as(hospital.coder)
    vitals = api_as(nurse).post(url("episode-vitals", pending), {"systolic": 150, "diastolic": 95, "pulse": "104"},
                                format="json")
    assert vitals.status_code == 201 and vitals.json()["systolic"] == 150
    coded = doctor.post(url("episode-diagnoses", pending), {"code": "i214", "rank": "principal"}, format="json")
    assert coded.status_code == 201 and coded.json()["department"]["name"] == "Cardiology"
    suggested = doctor.get(url("episode-suggested-physicians", pending)).json()
    assert [person["full_name"] for person in suggested] == ["Dr. Aziz Cardio", "Dr. Bella Cardio"]
    documented = doctor.patch(url("episode-detail", pending), {
        "chief_complaint": "Chest pain", "admission_type": "inpatient",
        "attending_physician": suggested[0]["id"]}, format="json")
    assert documented.status_code == 200 and documented.json()["attending_physician"]["full_name"] == "Dr. Aziz Cardio"
    assert doctor.post(url("episode-ready-for-coding", pending)).json()["status"] == "ready_for_coding"
    no_bed = coder.post(url("episode-code", pending), {}, format="json")
    assert no_bed.status_code == 400
    assert no_bed.json()["errors"] == {"bed": ["An inpatient needs a bed: choose a free one."]}
    admitted = coder.post(url("episode-code", pending), {"bed": hospital.bed1.pk}, format="json").json()
    assert admitted["status"] == "admitted" and admitted["current_bed"]["bed"] == hospital.bed1.pk
    clock.advance(hours=3)
    moved = api_as(nurse).post(url("episode-transfer", pending), {"bed": hospital.bed2.pk, "note": "Window"},
                               format="json").json()
    assert moved["current_bed"]["bed"] == hospital.bed2.pk and len(moved["bed_assignments"]) == 2
    clock.advance(days=1)
    done = doctor.post(url("episode-discharge", pending), {"disposition": "discharged", "result": "recovered"},
                       format="json")
    assert done.status_code == 200 and done.json()["status"] == "discharged" and done.json()["current_bed"] is None
    assert not BedAssignment.objects.filter(ended_at__isnull=True).exists()


def test_refused_transitions_answer_409_and_change_nothing(pending, hospital, api_as):
    response = api_as(hospital.coder).post(url("episode-code", pending), {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"
    skipped = api_as(hospital.cardiologist).post(url("episode-discharge", pending),
                                                 {"disposition": "discharged", "result": "recovered"}, format="json")
    assert skipped.status_code == 409
    pending.refresh_from_db()
    assert pending.status == EpisodeStatus.PENDING


def test_roles_outside_a_step_get_403(pending, receptionist, nurse, api_as):
    assert api_as(receptionist).post(url("episode-ready-for-coding", pending)).status_code == 403
    assert api_as(nurse).post(url("episode-discharge", pending), {}, format="json").status_code == 403
    assert api_as(None).get(url("episode-list")).status_code in {401, 403}


def test_a_code_is_replaced_and_removed_by_amendment(pending, hospital, api_as):
    doctor = api_as(hospital.cardiologist)
    first = doctor.post(url("episode-diagnoses", pending), {"code": "I21.4", "rank": "principal"},
                        format="json").json()["diagnoses"][0]
    replaced = doctor.post(url("episode-diagnosis", pending, diagnosis_pk=first["id"]), {"code": "I21.3"},
                           format="json").json()
    assert [row["code"] for row in replaced["diagnoses"]] == ["I21.3"]
    removed = doctor.delete(url("episode-diagnosis", pending, diagnosis_pk=replaced["diagnoses"][0]["id"]),
                            {"reason": "Ruled out"}, format="json").json()
    assert removed["diagnoses"] == []
    assert [row["action"] for row in removed["icd_history"]] == ["added", "replaced", "removed"]


def test_the_detail_is_access_logged_and_the_list_filters(pending, hospital, receptionist, nurse, api_as):
    other = checked_in(PatientFactory(), receptionist)
    client = api_as(nurse)
    assert client.get(url("episode-detail", pending)).json()["reason_for_visit"] == RECEPTION_FIELDS["reason_for_visit"]
    assert AccessLogEntry.objects.filter(what="episode (API)", patient_id=pending.patient_id).count() == 1
    found = client.get(url("episode-list"), {"search": other.case_number}).json()
    assert [row["case_number"] for row in found["results"]] == [other.case_number]
    assert client.get(url("episode-list"), {"status": "admitted"}).json()["count"] == 0


@pytest.mark.parametrize("rows", [10, 200])
def test_the_list_api_has_a_constant_query_count(rows, clock, hospital, nurse, api_as,
                                                 django_assert_max_num_queries):
    patients = PatientFactory.create_batch(rows)
    Episode.objects.bulk_create([
        Episode(patient=patient, case_number=f"C-A-{index:05d}", hospital_case_number=f"H-A-{index:05d}",
                registered_at=clock.now(), reason_for_visit="Check-up", department=hospital.cardiology)
        for index, patient in enumerate(patients)])
    with django_assert_max_num_queries(6):
        body = api_as(nurse).get(url("episode-list"), {"page_size": 200}).json()
    assert body["count"] == rows and len(body["results"]) == rows


def test_icd_search_and_one_code(icd_codes, nurse, api_as):
    client = api_as(nurse)
    found = client.get(reverse("icd-code-list"), {"search": "myocardial infarction"}).json()
    assert found and all("myocardial infarction" in row["title"].lower() for row in found)
    assert client.get(reverse("icd-code-detail", kwargs={"code": "i214"})).json()["code"] == "I21.4"
    assert client.get(reverse("icd-code-list"), {"search": ""}).json() == []


def test_icd_mapping_is_kept_by_admin_only(hospital, admin_user, doctor, api_as):
    body = {"first": "j09", "last": "J18", "department": hospital.internal.pk, "note": "Pneumonia and influenza"}
    assert api_as(doctor).post(reverse("icd-mapping-list"), body, format="json").status_code == 403
    created = api_as(admin_user).post(reverse("icd-mapping-list"), body, format="json")
    assert created.status_code == 201 and created.json()["label"] == "J09–J18"
    duplicate = api_as(admin_user).post(reverse("icd-mapping-list"), body, format="json")
    assert duplicate.status_code == 409
    bad = api_as(admin_user).post(reverse("icd-mapping-list"), {**body, "first": "pneumonia"}, format="json")
    assert bad.status_code == 400 and "first" in bad.json()["errors"]
    assert len(api_as(doctor).get(reverse("icd-mapping-list")).json()) == 3
    assert services.selectors.department_for_code("J18.9") == hospital.internal
