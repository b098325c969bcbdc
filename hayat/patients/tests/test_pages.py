"""The patient pages: registration with the duplicate decision, quick registration for pickers, the patient
page and its access log, edit, merge, and bad input that gets messages instead of errors."""

import json
from datetime import date

import pytest

from hayat.core import audit
from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.core.roles import Role
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.tests.factories import DistrictFactory, PatientFactory

pytestmark = pytest.mark.django_db

FORM = {"last_name": "Yusupova", "first_name": "Shahnoza", "middle_name": "", "birth_date": "1986-03-14",
        "gender": "female", "mobile": "90 123 45 67"}


@pytest.fixture
def desk(client_as, receptionist):
    return client_as(receptionist)


def test_registration_redirects_to_the_new_patient_page(desk):
    response = desk.post("/patients/new/", FORM)
    patient = Patient.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/patients/{patient.pk}/"
    assert patient.mobile == "+998901234567"


def test_bad_input_is_shown_next_to_each_field(desk):
    response = desk.post("/patients/new/", {**FORM, "birth_date": "2999-01-01", "mobile": "12", "email": "x"})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"birth_date", "mobile", "email"} <= form.errors.keys()
    assert not Patient.objects.exists()


def test_an_unparseable_date_is_a_field_error_not_a_crash(desk):
    response = desk.post("/patients/new/", {**FORM, "birth_date": "14.03.86x", "gestational_age_weeks": "abc"})
    assert response.status_code == 200 and "birth_date" in response.context["form"].errors


def test_a_possible_duplicate_shows_candidates_and_asks_for_a_decision(desk):
    existing = PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    response = desk.post("/patients/new/", FORM)
    assert response.status_code == 200
    assert [candidate.patient for candidate in response.context["candidates"]] == [existing]
    assert b"duplicate-decision" in response.content and b"Use existing" in response.content


def test_save_anyway_without_a_reason_asks_for_it_and_keeps_the_candidates(desk):
    PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    response = desk.post("/patients/new/", {**FORM, "confirm_new": "on"})
    assert "reason" in response.context["form"].errors and response.context["candidates"]


def test_save_anyway_with_a_reason_registers_and_keeps_the_decision(desk):
    PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    response = desk.post("/patients/new/", {**FORM, "confirm_new": "on", "reason": "Twin sister"})
    assert response.status_code == 302
    assert DuplicateDecision.objects.get().reason == "Twin sister"


def test_live_duplicate_hint_lists_candidates_while_typing(desk):
    existing = PatientFactory(first_name="Shahnoza", last_name="Yusupova", mobile="+998901234567")
    response = desk.post("/patients/duplicates/", {"last_name": "Юсупова", "first_name": "Шахноза",
                                                   "mobile": "901234567"})
    assert response.status_code == 200 and f'data-candidate="{existing.pk}"'.encode() in response.content
    response = desk.post("/patients/duplicates/", {"last_name": "Юсупова", "first_name": "Шахноза",
                                                   "patient_id": str(existing.pk)})
    assert b"data-candidate" not in response.content


def test_quick_registration_selects_the_new_patient_in_its_picker(desk):
    form = desk.get("/patients/quick/", {"picker": "id_patient"})
    assert b'name="picker" value="id_patient"' in form.content and b"quick-id_patient-last_name" in form.content
    response = desk.post("/patients/quick/", {**FORM, "picker": "id_patient"}, headers={"HX-Request": "true"})
    patient = Patient.objects.get()
    event = json.loads(response["HX-Trigger"])["patientPicked"]
    assert event == {"picker": "id_patient", "id": patient.pk, "label": str(patient)}


def test_quick_registration_runs_the_duplicate_check_and_offers_the_existing_patient(desk):
    existing = PatientFactory(first_name="Shahnoza", last_name="Yusupova", mobile="+998901234567")
    response = desk.post("/patients/quick/", {**FORM, "picker": "id_patient"})
    assert "HX-Trigger" not in response
    assert f'data-pick-id="{existing.pk}"'.encode() in response.content


def test_picker_search_lists_matches_as_choices(client_as, nurse):
    patient = PatientFactory(first_name="Bobur", last_name="Karimov")
    response = client_as(nurse).get("/patients/picker/", {"patient_search": "карим", "picker": "id_patient"})
    assert f'data-pick-id="{patient.pk}"'.encode() in response.content


def test_picker_does_not_offer_new_patient_to_a_nurse(client_as, nurse):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = nurse
    html = Template('{% include "patients/_picker.html" with field_name="patient" input_id="id_patient" %}').render(
        Context({"user": nurse, "request": request}))
    assert 'name="patient"' in html and "quick-modal" not in html


def test_region_cascade_lists_the_districts_of_the_region(desk):
    district = DistrictFactory(name="Chilonzor")
    DistrictFactory(name="Elsewhere")
    response = desk.get("/patients/districts/", {"region": district.region.pk})
    assert b"Chilonzor" in response.content and b"Elsewhere" not in response.content


def test_opening_the_patient_page_writes_the_access_log(client_as, doctor):
    patient = PatientFactory()
    response = client_as(doctor).get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.patient_id, entry.actor_id, entry.what, entry.ip) == (patient.pk, doctor.pk, "patient page",
                                                                        "127.0.0.1")


def test_only_holders_of_patients_audit_see_who_opened_the_record(client_as, doctor, admin_user):
    patient = PatientFactory()
    client_as(doctor).get(f"/patients/{patient.pk}/")
    as_doctor = client_as(doctor).get(f"/patients/{patient.pk}/")
    assert not [entry for entry in as_doctor.context["trail"] if entry.kind == "access"]
    as_admin = client_as(admin_user).get(f"/patients/{patient.pk}/")
    assert len([entry for entry in as_admin.context["trail"] if entry.kind == "access"]) == 3


def test_the_audit_trail_names_other_apps_events_by_their_record_type(client_as, doctor):
    patient = PatientFactory()
    audit.record("lab_result.create", by=doctor, obj=patient, patient_id=patient.pk)
    AuditEvent.objects.create(at=patient.created_at, action="bill.open", model="gone.Model", patient_id=patient.pk)
    trail = client_as(doctor).get(f"/patients/{patient.pk}/").context["trail"]
    assert {entry.action for entry in trail if entry.kind == "audit"} == {"Patient: create", "Bill: open"}


def test_the_patient_page_shows_sections_of_other_apps(client_as, doctor, monkeypatch):
    from hayat.core.ui import PatientSection
    from hayat.patients import views

    section = PatientSection("Lab results", "patients/_status.html", "patients.view", lambda patient, user: {})
    monkeypatch.setattr(views, "all_sections", lambda: (section,))
    response = client_as(doctor).get(f"/patients/{PatientFactory().pk}/")
    assert response.context["sections"][0]["title"] == "Lab results"


def test_the_patient_page_of_a_merged_record_leads_to_the_survivor(client_as, receptionist):
    survivor = PatientFactory()
    pointer = PatientFactory(merged_into=survivor, is_active=False)
    response = client_as(receptionist).get(f"/patients/{pointer.pk}/")
    assert b"merged-banner" in response.content and f"/patients/{survivor.pk}/".encode() in response.content


def test_edit_saves_and_returns_to_the_patient(desk):
    patient = PatientFactory(first_name="Bobur", last_name="Karimov", birth_date=date(1979, 11, 2))
    response = desk.post(f"/patients/{patient.pk}/edit/", {**FORM, "last_name": "Karimov", "first_name": "Bobur",
                                                           "birth_date": "1979-11-02", "address": "Yunusobod 4"})
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).address == "Yunusobod 4"


def test_an_edit_that_makes_the_record_look_like_another_patient_asks_and_keeps_the_reason(desk):
    existing = PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    edited = PatientFactory(first_name="Sevara", last_name="Yusupova", birth_date=date(1986, 3, 14), mobile="")
    response = desk.post(f"/patients/{edited.pk}/edit/", FORM)
    assert [candidate.patient for candidate in response.context["candidates"]] == [existing]
    assert b"duplicate-decision" in response.content and Patient.objects.get(pk=edited.pk).first_name == "Sevara"

    response = desk.post(f"/patients/{edited.pk}/edit/", {**FORM, "confirm_new": "on", "reason": "Twin sister"})

    assert response.status_code == 302 and Patient.objects.get(pk=edited.pk).first_name == "Shahnoza"
    decision = DuplicateDecision.objects.get(patient=edited)
    assert (decision.context, decision.reason, decision.candidate_ids) == ("edit", "Twin sister", [existing.pk])


def test_the_edit_form_keeps_the_gestational_age_of_a_child_registered_as_an_infant(desk, clock):
    patient = PatientFactory(first_name="Bobur", last_name="Karimov", birth_date=date(2026, 5, 1),
                             gestational_age_weeks=32)
    clock.advance(days=3 * 365)
    response = desk.post(f"/patients/{patient.pk}/edit/", {**FORM, "last_name": "Karimov", "first_name": "Bobur",
                                                           "birth_date": "2026-05-01", "gestational_age_weeks": "32",
                                                           "address": "Yunusobod 4"})
    assert response.status_code == 302
    assert Patient.objects.get(pk=patient.pk).address == "Yunusobod 4"


def test_merge_page_merges_and_goes_to_the_survivor(desk):
    survivor, other = PatientFactory(), PatientFactory()
    page = desk.get(f"/patients/{survivor.pk}/merge/", {"other": other.pk})
    assert page.context["other"] == other
    response = desk.post(f"/patients/{survivor.pk}/merge/", {"other": other.pk, "keep": "this", "reason": "same",
                                                            "fill_blanks": "on"})
    assert response.status_code == 302 and response["Location"] == f"/patients/{survivor.pk}/"
    assert Patient.objects.get(pk=other.pk).merged_into_id == survivor.pk


def test_merge_can_keep_the_other_record(desk):
    this, other = PatientFactory(), PatientFactory()
    desk.post(f"/patients/{this.pk}/merge/", {"other": other.pk, "keep": "other", "reason": "same"})
    assert Patient.objects.get(pk=this.pk).merged_into_id == other.pk


def test_undo_merge_from_the_merged_record(desk):
    survivor, other = PatientFactory(), PatientFactory()
    desk.post(f"/patients/{survivor.pk}/merge/", {"other": other.pk, "keep": "this", "reason": "same"})
    response = desk.post(f"/patients/{other.pk}/unmerge/")
    assert response.status_code == 302 and Patient.objects.get(pk=other.pk).merged_into_id is None


def test_deactivate_from_the_page(desk):
    patient = PatientFactory()
    desk.post(f"/patients/{patient.pk}/active/", {"active": "0"})
    assert Patient.objects.get(pk=patient.pk).is_active is False


def test_delete_needs_the_code_typed(client_as, admin_user):
    patient = PatientFactory()
    client = client_as(admin_user)
    response = client.post(f"/patients/{patient.pk}/delete/", {"reason": "test entry", "confirm_code": "XXXXX"})
    assert "confirm_code" in response.context["form"].errors
    response = client.post(f"/patients/{patient.pk}/delete/", {"reason": "test entry",
                                                               "confirm_code": patient.code.lower()})
    assert response.status_code == 302 and not Patient.objects.filter(pk=patient.pk).exists()


def test_delete_page_explains_why_a_referenced_patient_stays(client_as, admin_user):
    survivor = PatientFactory()
    PatientFactory(merged_into=survivor, is_active=False)
    response = client_as(admin_user).get(f"/patients/{survivor.pk}/delete/")
    assert b"delete-refused" in response.content and b"Anonymise the patient instead" in response.content


def test_anonymise_from_the_page(client_as, admin_user):
    patient = PatientFactory(mobile="+998901234567")
    response = client_as(admin_user).post(f"/patients/{patient.pk}/anonymise/", {"reason": "request 2026/17"})
    assert response.status_code == 302 and Patient.objects.get(pk=patient.pk).mobile == ""


def test_list_page_has_the_live_search_box_and_new_button(client_as, make_user):
    content = client_as(make_user(Role.RECEPTIONIST)).get("/patients/").content
    assert b'data-shortcut="search"' in content and b'data-shortcut="new"' in content
    assert b"delay:300ms" in content


def test_doctors_see_the_patients_but_no_new_patient_button(client_as, doctor):
    patient = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    response = client_as(doctor).get("/patients/")
    assert response.status_code == 200 and list(response.context["page"]) == [patient]
    content = response.content.decode()
    assert patient.code in content and "Yusupova Shahnoza" in content
    assert 'data-shortcut="new"' not in content and "/patients/new/" not in content


def test_invalid_filters_show_messages_not_errors(client_as, doctor):
    response = client_as(doctor).get("/patients/", {"age_min": "50", "age_max": "20", "registered_from": "x"})
    assert response.status_code == 200 and "age_max" in response.context["form"].errors


def test_dashboard_shows_the_patients_panel_with_todays_and_active_counts(client_as, receptionist):
    import re
    from datetime import timedelta

    from django.utils import timezone

    PatientFactory(), PatientFactory(), PatientFactory(is_active=False)
    Patient.objects.filter(pk=PatientFactory().pk).update(created_at=timezone.now() - timedelta(days=400))
    response = client_as(receptionist).get("/")
    assert response.status_code == 200
    counts = re.findall(r'fw-semibold">(\d+)</span> (registered today|active patients)', response.content.decode())
    assert counts == [("3", "registered today"), ("3", "active patients")]


def test_the_edit_form_and_the_merge_comparison_are_logged_as_reads(desk):
    this, other = PatientFactory(), PatientFactory()
    desk.get(f"/patients/{this.pk}/edit/")
    desk.get(f"/patients/{this.pk}/merge/", {"other": other.pk})
    assert sorted(AccessLogEntry.objects.values_list("patient_id", "what")) == sorted([
        (this.pk, "patient edit form"), (this.pk, "patient merge comparison"), (other.pk, "patient merge comparison")])


def test_undoing_a_merge_of_an_anonymised_record_shows_why_it_is_refused(client_as, admin_user, receptionist):
    from hayat.patients import merging, services

    survivor, merged = PatientFactory(), PatientFactory()
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    services.anonymise(by=admin_user, patient=survivor, reason="request 2026/17")

    response = client_as(admin_user).post(f"/patients/{merged.pk}/unmerge/", {"reason": "wrong merge"}, follow=True)

    assert response.status_code == 200
    assert "is anonymised, so this merge cannot be undone" in response.content.decode()
    assert Patient.objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_an_invalid_filter_keeps_the_search_text_and_the_valid_filters(client_as, doctor):
    PatientFactory(first_name="Shahnoza", last_name="Yusupova", gender="female", birth_date=date(1960, 1, 1))
    PatientFactory(first_name="Sevara", last_name="Yusupova", gender="female", birth_date=date(2000, 1, 1))
    PatientFactory(first_name="Bobur", last_name="Yusupov", gender="male", birth_date=date(1960, 1, 1))
    PatientFactory(first_name="Aziza", last_name="Karimova", gender="female", birth_date=date(1960, 1, 1))

    response = client_as(doctor).get("/patients/", {"q": "yusupov", "gender": "female", "age_min": "50",
                                                    "age_max": "20"})

    assert response.status_code == 200
    assert [patient.first_name for patient in response.context["page"]] == ["Shahnoza"]
    content = response.content.decode()
    assert "The upper age must not be below the lower one." in content and 'value="yusupov"' in content


def test_a_district_without_its_region_is_a_message_and_the_search_still_runs(client_as, doctor):
    district = DistrictFactory()
    PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    PatientFactory(first_name="Aziza", last_name="Karimova")

    response = client_as(doctor).get("/patients/", {"q": "Yusupova", "district": district.pk})

    assert [patient.first_name for patient in response.context["page"]] == ["Shahnoza"]
    assert "Choose the region first, then its district." in response.content.decode()


def test_after_a_form_error_the_duplicates_panel_still_shows_the_obvious_match(desk):
    existing = PatientFactory(last_name="Yusupova", first_name="Shahnoza", birth_date=date(1986, 3, 14),
                              mobile="+998901234567")
    page = desk.post("/patients/new/", {**FORM, "email": "not an address"}).content.decode()
    panel = page[page.index('id="live-candidates"'):]
    panel = panel[:panel.index("</div></div></div>")]
    assert f"/patients/{existing.pk}/" in panel and "Nobody similar found" not in panel
    assert Patient.objects.count() == 1
