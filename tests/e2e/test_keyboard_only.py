"""The desk without the mouse: "/" to the search box of a list, Tab to a result and Enter to open it, "e" to the
edit form, Tab through its fields, Enter to save; "n" on a list opens its New form."""

import pytest
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.patients.models import Patient
from hayat.stays.tests.factories import PatientFactory


def tab_until(page, selector: str, *, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has the focus (fails past `limit` presses)."""
    for _press in range(limit):
        if page.evaluate("selector => document.activeElement?.matches(selector) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


@pytest.mark.django_db(transaction=True)
def test_a_list_a_record_and_its_form_by_keyboard_alone(make_user, page, log_in):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-keys", full_name="Saida Keys")
    patient = PatientFactory(first_name="Malika", last_name="Tursunova")
    log_in(desk)
    page.goto("/patients/")

    page.keyboard.press("/")
    expect(page.locator("#id_q")).to_be_focused()
    page.keyboard.type("Tursunova")
    row_link = page.locator(f"#patient-rows a[href='{patient.get_absolute_url()}']")
    expect(row_link).to_be_visible()
    tab_until(page, f"#patient-rows a[href='{patient.get_absolute_url()}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{patient.get_absolute_url()}")

    page.keyboard.press("e")
    page.wait_for_selector("#save-patient")
    tab_until(page, "input[name=middle_name]")
    page.keyboard.type("Akmalovna")
    tab_until(page, "#save-patient")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{patient.get_absolute_url()}")
    assert Patient.objects.get(pk=patient.pk).middle_name == "Akmalovna"

    page.goto("/patients/")
    page.keyboard.press("n")
    page.wait_for_url("**/patients/new/**")
