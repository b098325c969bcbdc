"""The patients REST API: same rules as the pages, duplicates as 409 with candidates, access logged."""

from datetime import date

import pytest

from hayat.core.models import AccessLogEntry
from hayat.core.roles import Role
from hayat.patients.models import Patient
from hayat.patients.tests.factories import DistrictFactory, PatientFactory

pytestmark = pytest.mark.django_db

BODY = {"last_name": "Yusupova", "first_name": "Shahnoza", "birth_date": "1986-03-14", "gender": "female",
        "mobile": "90 123 45 67"}


@pytest.fixture
def desk(api_as, receptionist):
    return api_as(receptionist)


def test_create_returns_the_patient_with_normalised_values(desk):
    response = desk.post("/api/patients/", BODY, format="json")
    assert response.status_code == 201
    assert (response.json()["mobile"], len(response.json()["code"])) == ("+998901234567", 5)


def test_create_reports_every_bad_field(desk):
    response = desk.post("/api/patients/", {**BODY, "mobile": "12", "email": "x", "birth_date": "2999-01-01"},
                         format="json")
    assert response.status_code == 400
    assert {"mobile", "email", "birth_date"} <= response.json()["errors"].keys()


def test_a_possible_duplicate_answers_409_with_candidates(desk):
    existing = PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    response = desk.post("/api/patients/", BODY, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "possible_duplicates"
    assert body["candidates"][0]["patient"]["id"] == existing.pk
    assert body["candidates"][0]["reasons"] == ["name_birth_date", "similar_name"]


def test_create_anyway_needs_a_reason_then_registers(desk):
    PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    refused = desk.post("/api/patients/", {**BODY, "create_anyway": True}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    created = desk.post("/api/patients/", {**BODY, "create_anyway": True, "reason": "Twin"}, format="json")
    assert created.status_code == 201


def test_retrieve_writes_the_access_log(api_as, nurse):
    patient = PatientFactory()
    response = api_as(nurse).get(f"/api/patients/{patient.pk}/")
    assert response.status_code == 200 and response.json()["code"] == patient.code
    assert AccessLogEntry.objects.get().what == "patient API record"


def test_patch_changes_only_the_fields_sent(desk):
    patient = PatientFactory(mobile="+998901234567")
    response = desk.patch(f"/api/patients/{patient.pk}/", {"address": "Chilonzor 9"}, format="json")
    assert response.status_code == 200
    patient.refresh_from_db()
    assert (patient.address, patient.mobile) == ("Chilonzor 9", "+998901234567")


def test_updates_keep_the_gestational_age_of_a_child_registered_as_an_infant(desk, clock):
    patient = PatientFactory(birth_date=date(2026, 5, 1), gestational_age_weeks=32)
    clock.advance(days=3 * 365)
    assert desk.patch(f"/api/patients/{patient.pk}/", {"address": "Chilonzor 9"}, format="json").status_code == 200
    whole = {**BODY, "birth_date": "2026-05-01", "gestational_age_weeks": 32}
    assert desk.put(f"/api/patients/{patient.pk}/", whole, format="json").status_code == 200
    refused = desk.patch(f"/api/patients/{patient.pk}/", {"gestational_age_weeks": 30}, format="json")
    assert refused.status_code == 400 and "gestational_age_weeks" in refused.json()["errors"]


def test_list_searches_and_filters(api_as, doctor):
    district = DistrictFactory()
    patient = PatientFactory(first_name="Bobur", last_name="Karimov", region=district.region, district=district)
    PatientFactory(first_name="Malika", last_name="Nazarova")
    api = api_as(doctor)
    assert [row["id"] for row in api.get("/api/patients/", {"q": "карим"}).json()["results"]] == [patient.pk]
    assert [row["id"] for row in api.get("/api/patients/", {"district": district.pk}).json()["results"]] == [
        patient.pk]


def test_list_refuses_bad_filters_with_a_message(api_as, doctor):
    response = api_as(doctor).get("/api/patients/", {"age_min": "old", "status": "weird"})
    assert response.status_code == 400 and {"age_min", "status"} <= response.json()["errors"].keys()


def test_duplicates_endpoint_checks_without_registering(desk):
    existing = PatientFactory(mobile="+998901234567")
    response = desk.post("/api/patients/duplicates/", BODY, format="json")
    assert [row["patient"]["id"] for row in response.json()["candidates"]] == [existing.pk]
    assert Patient.objects.count() == 1
    excluded = desk.post(f"/api/patients/duplicates/?exclude={existing.pk}", BODY, format="json")
    assert excluded.json()["candidates"] == []


def test_deactivate_and_reactivate(desk):
    patient = PatientFactory()
    assert desk.post(f"/api/patients/{patient.pk}/deactivate/", {"reason": "moved"}).json()["is_active"] is False
    assert desk.post(f"/api/patients/{patient.pk}/reactivate/").json()["is_active"] is True


def test_merge_and_unmerge(desk):
    survivor, merged = PatientFactory(), PatientFactory()
    response = desk.post(f"/api/patients/{survivor.pk}/merge/", {"merged": merged.pk, "reason": "same"})
    assert response.status_code == 200
    assert Patient.objects.get(pk=merged.pk).merged_into_id == survivor.pk
    assert desk.post(f"/api/patients/{merged.pk}/unmerge/").json()["status"] == "active"


def test_merge_into_itself_is_a_clear_400(desk):
    patient = PatientFactory()
    response = desk.post(f"/api/patients/{patient.pk}/merge/", {"merged": patient.pk})
    assert response.status_code == 400 and response.json()["code"] == "same_patient"


def test_anonymise_and_delete_are_for_admins(api_as, receptionist, admin_user):
    patient = PatientFactory()
    assert api_as(receptionist).post(f"/api/patients/{patient.pk}/anonymise/", {"reason": "x"}).status_code == 403
    assert api_as(receptionist).delete(f"/api/patients/{patient.pk}/").status_code == 403
    assert api_as(admin_user).post(f"/api/patients/{patient.pk}/anonymise/", {"reason": "x"}).status_code == 200


def test_delete_of_a_referenced_patient_is_a_409(api_as, admin_user):
    survivor = PatientFactory()
    PatientFactory(merged_into=survivor, is_active=False)
    response = api_as(admin_user).delete(f"/api/patients/{survivor.pk}/")
    assert response.status_code == 409 and response.json()["code"] == "patient_referenced"


def test_doctor_cannot_register(api_as, doctor):
    assert api_as(doctor).post("/api/patients/", BODY, format="json").status_code == 403


def test_regions_and_districts_for_the_cascade(api_as, make_user):
    district = DistrictFactory()
    api = api_as(make_user(Role.TELLER))
    assert [row["id"] for row in api.get("/api/regions/", {"country": "uz"}).json()["results"]] == [
        district.region.pk]
    assert [row["id"] for row in api.get("/api/districts/", {"region": district.region.pk}).json()["results"]] == [
        district.pk]
    assert api.get("/api/districts/").json()["results"] == []


def test_audit_trail_endpoint(api_as, admin_user):
    patient = PatientFactory()
    api = api_as(admin_user)
    api.get(f"/api/patients/{patient.pk}/")
    kinds = {entry["kind"] for entry in api.get(f"/api/patients/{patient.pk}/audit/").json()["entries"]}
    assert "access" in kinds


@pytest.mark.parametrize("call", [
    lambda api, pk: api.patch(f"/api/patients/{pk}/", {"email": "new@example.uz"}, format="json"),
    lambda api, pk: api.put(f"/api/patients/{pk}/", {"last_name": "Karimova", "first_name": "Aziza"}, format="json"),
    lambda api, pk: api.post(f"/api/patients/{pk}/deactivate/", {"reason": "moved away"}, format="json"),
    lambda api, pk: api.post(f"/api/patients/{pk}/reactivate/", {}, format="json"),
], ids=["patch", "put", "deactivate", "reactivate"])
def test_every_answer_that_carries_the_full_record_is_logged_as_a_read(desk, receptionist, call):
    patient = PatientFactory(first_name="Aziza", last_name="Karimova")
    response = call(desk, patient.pk)
    assert response.status_code == 200 and response.json()["code"] == patient.code
    entry = AccessLogEntry.objects.get()
    assert (entry.patient_id, entry.what, entry.actor_id) == (patient.pk, "patient API record", receptionist.pk)


def test_merge_and_unmerge_answers_are_logged_as_reads_of_the_record_returned(desk):
    survivor, merged = PatientFactory(), PatientFactory()
    desk.post(f"/api/patients/{survivor.pk}/merge/", {"merged": merged.pk}, format="json")
    desk.post(f"/api/patients/{merged.pk}/unmerge/", {}, format="json")
    assert list(AccessLogEntry.objects.order_by("pk").values_list("patient_id", flat=True)) == [survivor.pk, merged.pk]


def test_a_real_update_writes_an_audit_event_and_a_no_op_update_writes_none(desk):
    from hayat.core.models import AuditEvent

    patient = PatientFactory(first_name="Aziza", last_name="Karimova", email="")
    desk.patch(f"/api/patients/{patient.pk}/", {"email": "Aziza@Example.uz"}, format="json")
    desk.patch(f"/api/patients/{patient.pk}/", {"email": "aziza@example.uz"}, format="json")
    event = AuditEvent.objects.get(action="patient.update")
    assert (event.patient_id, event.changes) == (patient.pk, {"email": ["", "aziza@example.uz"]})
