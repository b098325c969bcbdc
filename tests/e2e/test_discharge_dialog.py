"""Discharge asks in a dialog that says what will happen, with no disposition or result chosen for the doctor;
the phase labels read as progress, not as tabs."""

import pytest
from playwright.sync_api import expect

from hayat.clinical import services
from hayat.clinical.models import Episode, EpisodeStatus
from hayat.clinical.tests import factories
from hayat.core.roles import Role
from hayat.patients.tests.factories import PatientFactory


@pytest.fixture
def admitted(make_user):
    factories.load_icd_subset()
    cardiology = factories.department("CARD", "Cardiology")
    factories.map_codes("I00", "I99", cardiology)
    doctor = factories.doctor_of(cardiology, "e2e-doctor", "Dr. Aziz Cardio")
    bed = factories.ward_room(cardiology, beds=1, name="305").beds.get()
    receptionist = make_user(Role.RECEPTIONIST, user_id="e2e-reception")
    coder = make_user(Role.CODER, user_id="e2e-coder")
    episode = factories.checked_in(PatientFactory(first_name="Shahnoza", last_name="Yusupova"), receptionist)
    factories.documented(episode, doctor)
    return services.complete_coding(by=coder, episode=episode, bed=bed), doctor


@pytest.mark.django_db(transaction=True)
def test_discharge_restates_what_happens_and_needs_explicit_choices(admitted, page, log_in, screenshot):
    episode, doctor = admitted
    log_in(doctor)
    page.goto(episode.get_absolute_url())
    assert page.locator(".episode-phases a, .episode-phases button").count() == 0
    expect(page.locator(".episode-phases [aria-current=step]")).to_contain_text("Stay")
    page.click("#discharge-open")
    dialog = page.locator("#discharge-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#discharge-restatement")).to_contain_text("305")
    expect(dialog.locator("#discharge-restatement")).to_contain_text("can no longer be documented")
    assert page.input_value("#discharge_disposition") == "" and page.input_value("#discharge_result") == ""
    screenshot("discharge-dialog")

    page.click("#discharge")  # nothing chosen: refused, the dialog opens again with the reasons
    expect(page.locator("#discharge-dialog")).to_be_visible()
    expect(page.locator("#discharge-dialog .invalid-feedback, #discharge-dialog .alert-danger").first).to_be_visible()
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.ADMITTED

    page.select_option("#discharge_disposition", "discharged")
    page.select_option("#discharge_result", "improved")
    page.click("#discharge")
    page.wait_for_selector("#episode-status [data-status=discharged]")
    assert Episode.objects.get(pk=episode.pk).result == "improved"
