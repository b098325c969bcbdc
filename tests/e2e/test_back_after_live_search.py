"""Browser Back after a live search brings back the whole page, never the bare table the search fetched."""

import pytest
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.patients.tests.factories import PatientFactory


@pytest.mark.django_db(transaction=True)
def test_back_after_a_live_search_shows_the_styled_page_with_the_results(make_user, page, log_in):
    patient = PatientFactory(first_name="Bobur", last_name="Karimov")
    PatientFactory(first_name="Dilnoza", last_name="Yusupova")
    log_in(make_user(Role.RECEPTIONIST, user_id="e2e-back", full_name="Back Desk"))
    page.goto("/patients/")
    page.fill("#patient-search input[name=q]", "karimov")
    expect(page.locator("#patient-rows tr[data-patient]")).to_have_count(1)
    assert "q=karimov" in page.url
    page.locator(f"#patient-rows tr[data-patient='{patient.pk}'] a").first.click()
    page.wait_for_selector("#patient-code")
    page.go_back()
    expect(page.locator("#main-nav")).to_be_visible()  # the layout is there, not only the table
    expect(page.locator("#patient-search")).to_be_visible()
    expect(page.locator("#patient-rows tr[data-patient]")).to_have_count(1)
