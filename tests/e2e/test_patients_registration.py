"""Patients in the browser: live search, registration with the duplicate decision, the region → district
cascade, and a picker's quick registration in a modal that selects the new patient."""

from datetime import date

import pytest
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.tests.factories import DistrictFactory, PatientFactory


@pytest.fixture
def desk(make_user, page, log_in):
    log_in(make_user(Role.RECEPTIONIST, user_id="e2e-desk", full_name="Dilnoza Desk"))
    return page


@pytest.mark.django_db(transaction=True)
def test_live_search_finds_a_cyrillic_name_typed_in_latin(desk, screenshot):
    shahnoza = PatientFactory(first_name="Шахноза", last_name="Юсупова", mobile="+998901234567")
    PatientFactory(first_name="Bobur", last_name="Karimov")
    desk.goto("/patients/")
    desk.keyboard.press("/")
    desk.keyboard.type("shakhnoza iusup")
    expect(desk.locator("#patient-rows tr[data-patient]")).to_have_count(1)
    row = desk.locator(f"#patient-rows tr[data-patient='{shahnoza.pk}']")
    assert "q=shakhnoza" in desk.url  # the search is in the address, so it can be shared and reloaded
    screenshot("patients-list")
    row.locator("a").click()
    desk.wait_for_selector("#patient-code")
    assert desk.locator("#patient-code").inner_text() == shahnoza.code


@pytest.mark.django_db(transaction=True)
def test_registration_shows_the_possible_duplicate_and_saves_anyway_with_a_reason(desk, screenshot):
    existing = PatientFactory(first_name="Шахноза", last_name="Юсупова", birth_date=date(1986, 3, 14))
    district = DistrictFactory(name="Chilonzor", region__name="Tashkent city")
    desk.goto("/patients/")
    desk.keyboard.press("n")
    desk.wait_for_selector("#patient-form")
    desk.fill("#id_last_name", "Yusupova")
    desk.fill("#id_first_name", "Shakhnoza")
    desk.fill("#id_birth_date", "1986-03-14")
    desk.fill("#id_mobile", "90 123 45 67")
    desk.locator(f"#live-candidates [data-candidate='{existing.pk}']").wait_for()
    desk.select_option("#id_region", str(district.region.pk))
    desk.locator(f"#id_district option[value='{district.pk}']").wait_for(state="attached")
    desk.select_option("#id_district", str(district.pk))
    screenshot("patients-form")
    desk.click("#save-patient")
    desk.wait_for_selector("#duplicate-decision")
    screenshot("patients-duplicate")
    desk.check("#id_confirm_new")
    desk.fill("#id_reason", "Twin sister")
    desk.click("#save-patient")
    desk.wait_for_selector("#patient-code")
    patient = Patient.objects.exclude(pk=existing.pk).get()
    assert (patient.district_id, patient.mobile) == (district.pk, "+998901234567")
    assert DuplicateDecision.objects.get(patient=patient).reason == "Twin sister"
    assert "registered" in desk.locator("#toasts").inner_text()
    screenshot("patients-detail")


@pytest.mark.django_db(transaction=True)
def test_picker_search_and_quick_registration_select_the_patient(desk, screenshot):
    this = PatientFactory(first_name="Bobur", last_name="Karimov")
    other = PatientFactory(first_name="Bobir", last_name="Karimov", birth_date=date(1979, 11, 2))
    desk.goto(f"/patients/{this.pk}/merge/")
    desk.fill("#picker-merge-other .picker-input", "bobir")
    desk.locator(f"#picker-results-merge-other [data-pick-id='{other.pk}']").click()
    desk.wait_for_url(f"**/merge/?other={other.pk}")
    assert desk.locator(f".merge-side[data-patient='{other.pk}']").is_visible()
    screenshot("patients-merge")

    desk.goto(f"/patients/{this.pk}/merge/")
    desk.click("#picker-merge-other .picker-new")
    modal = desk.locator("#quick-modal-merge-other")
    modal.locator("#quick-merge-other-last_name").wait_for()
    modal.locator("#quick-merge-other-last_name").fill("Tursunova")
    modal.locator("#quick-merge-other-first_name").fill("Malika")
    modal.locator("#quick-merge-other-birth_date").fill("2001-08-30")
    modal.locator("#quick-merge-other-mobile").fill("+998 99 111 22 33")
    screenshot("patients-quick")
    modal.locator("button[type=submit]").click()
    new = None
    for _ in range(50):
        new = Patient.objects.filter(last_name="Tursunova").first()
        if new:
            break
        desk.wait_for_timeout(100)
    assert new is not None and new.mobile == "+998991112233"
    desk.wait_for_url(f"**/merge/?other={new.pk}")
    assert desk.locator(f".merge-side[data-patient='{new.pk}']").is_visible()
