"""The command palette: Ctrl+K from any page, a patient's name typed, ↓ and Enter open the patient, no mouse."""

import re

import pytest
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.stays.tests.factories import PatientFactory


@pytest.mark.django_db(transaction=True)
def test_ctrl_k_a_name_and_enter_open_the_patient(make_user, page, log_in):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-palette", full_name="Saida Palette")
    PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    wanted = PatientFactory(first_name="Dilshod", last_name="Rahimov")
    log_in(desk)
    page.wait_for_load_state("load")  # the page's scripts have run

    page.keyboard.press("Control+k")
    field = page.locator("#palette-input")
    expect(field).to_be_focused()
    field.press_sequentially("Rahimov", delay=30)
    results = page.locator("#palette-results [data-palette-item]")
    expect(results).to_have_count(2)
    expect(results.first).to_have_class(re.compile(r"\bactive\b"))
    position = next(index for index, text in enumerate(results.all_inner_texts()) if "Dilshod" in text)
    for _step in range(position):
        page.keyboard.press("ArrowDown")
    expect(results.filter(has_text="Dilshod")).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("Rahimov")

    page.keyboard.press("?")
    sheet = page.locator("#shortcuts-help")
    expect(sheet).to_be_visible()
    expect(sheet.locator("tr", has=page.get_by_text("e", exact=True))).to_contain_text("Edit the record")
    expect(sheet).to_contain_text("Ctrl K")
