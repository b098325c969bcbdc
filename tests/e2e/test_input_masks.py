"""Masks in the browser: the date of birth gets its dots and the mobile the grouping of the hospital's region
while the digits are typed, and the record saves what the server read from them."""

from datetime import date

import pytest
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.patients.models import Patient


@pytest.mark.django_db(transaction=True)
def test_typed_digits_are_shaped_and_saved(make_user, page, log_in, settings):
    settings.HAYAT_PHONE_REGION = "UZ"
    log_in(make_user(Role.RECEPTIONIST, user_id="e2e-masks", full_name="Dilnoza Desk"))
    page.goto("/patients/new/")
    page.fill("#id_last_name", "Yusupova")
    page.fill("#id_first_name", "Shahnoza")
    page.click("#id_birth_date")
    page.keyboard.type("14031986")
    expect(page.locator("#id_birth_date")).to_have_value("14.03.1986")
    page.click("#id_mobile")
    page.keyboard.type("901234567")
    expect(page.locator("#id_mobile")).to_have_value("90 123 45 67")
    page.click("#id_home_phone")
    page.keyboard.type("+998712345678")
    expect(page.locator("#id_home_phone")).to_have_value("+998 71 234 56 78")
    page.click("#id_emergency_contact_phone")
    page.keyboard.type("+7 912 345-67-89")  # another country's number is left as typed
    expect(page.locator("#id_emergency_contact_phone")).to_have_value("+7 912 345-67-89")
    page.locator("#id_gender").select_option("female")
    page.click("#save-patient")
    page.wait_for_selector("#patient-code")
    patient = Patient.objects.get()
    assert (patient.birth_date, patient.mobile, patient.home_phone) == (date(1986, 3, 14), "+998901234567",
                                                                        "+998712345678")
