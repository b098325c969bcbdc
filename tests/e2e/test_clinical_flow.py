"""One inpatient in the browser, from reception check-in through a bed transfer to discharge, each step by the
role that does it."""

import pytest

from hayat.clinical.models import BedAssignment, Episode
from hayat.clinical.tests import factories
from hayat.core.roles import Role
from hayat.patients.tests.factories import PatientFactory


def status_of(page) -> str:
    return page.get_attribute("#episode-status .status-badge", "data-status")


def offered_beds(page) -> list[str]:
    return page.eval_on_selector_all("#bed_bed option", "options => options.map(option => option.value)")


def bed_status(page, room, number: str) -> str:
    """Today's state of one bed on its room's page (the room's bed map), leaving the browser there."""
    page.goto(room.get_absolute_url())
    return page.get_attribute(f"#beds tr[data-bed='{number}'] .status-badge", "data-status")


@pytest.mark.django_db(transaction=True)
def test_an_inpatient_from_check_in_to_discharge(make_user, page, log_in, screenshot):
    factories.load_icd_subset()
    cardiology = factories.department("CARD", "Cardiology")
    factories.map_codes("I00", "I99", cardiology)
    doctor = factories.doctor_of(cardiology, "e2e-doctor", "Dr. Aziz Cardio")
    factories.doctor_of(cardiology, "e2e-doctor2", "Dr. Bella Cardio")
    ward = factories.ward_room(cardiology, beds=2)
    bed = ward.beds.order_by("number").first()
    icu = factories.ward_room(cardiology, beds=1, name="ICU-1")
    receptionist = make_user(Role.RECEPTIONIST, user_id="e2e-reception", full_name="Rita Reception")
    coder = make_user(Role.CODER, user_id="e2e-coder", full_name="Cora Coder")
    nurse = make_user(Role.NURSE, user_id="e2e-nurse", full_name="Nina Nurse")
    patient = PatientFactory(first_name="Shahnoza", last_name="Yusupova")

    # Reception: check-in with the patient picker.
    log_in(receptionist)
    page.goto("/clinical/new/")
    page.fill(".picker-input", "yusup")
    page.locator(f"[data-pick-id='{patient.pk}']").click()
    page.fill("#id_reason_for_visit", "Chest pain since this morning")
    page.select_option("#id_intended_admission_type", "inpatient")
    screenshot("clinical-1-check-in")
    page.click("#check-in")
    page.wait_for_selector("#record-card")
    episode = Episode.objects.get()
    assert status_of(page) == "pending" and episode.case_number in page.inner_text("h1")
    assert "Chest pain since this morning" in page.inner_text("#record-card")

    # Doctor: vitals, ICD-10 code from the picker, documentation with the suggested physician.
    page.context.clear_cookies()
    log_in(doctor)
    page.goto(episode.get_absolute_url())
    page.fill("#vitals_systolic", "150")
    page.fill("#vitals_diastolic", "95")
    page.fill("#vitals_pulse", "104")
    page.fill("#vitals_temperature", "37.2")
    page.click("#add-vitals")
    page.wait_for_selector("#vitals-table [data-vitals]")
    assert page.locator("#vitals-table [data-abnormal]").count() == 3
    page.select_option("#diagnosis_rank", "principal")
    page.fill("#icd-search", "nstemi infarction")
    page.locator("#icd-results [data-icd='I21.4']").click()
    page.wait_for_selector("#current-codes [data-code='I21.4']")
    page.wait_for_selector("#episode-department:has-text('Cardiology')")
    page.click("#edit-record")
    page.wait_for_selector("#save-record")
    page.fill("#id_chief_complaint", "Crushing chest pain radiating to the left arm")
    page.fill("#id_physical_examination", "Diaphoretic, BP 150/95")
    page.fill("#id_treatment_plan", "Aspirin, heparin, cardiology review")
    page.select_option("#id_admission_type", "inpatient")
    page.locator("[data-choose-physician]").first.click()
    screenshot("clinical-2-documentation")
    page.click("#save-record")
    page.wait_for_selector("#record-card[data-mode=view]")
    assert "Dr. Aziz Cardio" in page.inner_text("[data-value=attending_physician]")
    page.click("#send-to-coding")
    page.wait_for_selector("#episode-status [data-status=ready_for_coding]")

    # Coder: verify and admit into a free bed.
    page.context.clear_cookies()
    log_in(coder)
    page.goto("/")
    assert episode.case_number in page.inner_text("#dashboard-panels")
    page.goto(episode.get_absolute_url())
    page.select_option("#bed_bed", str(bed.pk))
    screenshot("clinical-3-coding")
    page.click("#complete-coding")
    page.wait_for_selector("#episode-status [data-status=admitted]")
    assert "201" in page.inner_text("#beds-card")
    assert BedAssignment.objects.get(open_episode=episode.pk).bed == bed
    assert bed_status(page, ward, bed.number) == "occupied" and bed_status(page, icu, "1") == "free"

    # Nurse: transfer to the ICU bed; only free beds are offered, and the bed left is offered again at once.
    page.context.clear_cookies()
    log_in(nurse)
    page.goto(episode.get_absolute_url())
    assert "Now in 201" in page.inner_text("#bed-form")
    icu_bed = icu.beds.get()
    assert str(icu_bed.pk) in offered_beds(page) and str(bed.pk) not in offered_beds(page)
    page.select_option("#bed_bed", str(icu_bed.pk))
    page.fill("#bed_note", "Needs continuous monitoring")
    screenshot("clinical-4-transfer")
    page.click("#transfer")
    page.wait_for_selector("#beds-card [data-assignment] >> text=ICU-1")
    current = page.locator("#beds-card [data-assignment]", has=page.locator(".badge.text-bg-success"))
    assert "ICU-1" in current.inner_text() and page.locator("#beds-card [data-assignment]").count() == 2
    assert "Transferred to another bed" in page.inner_text("#beds-card")
    assert BedAssignment.objects.get(open_episode=episode.pk).bed == icu_bed
    assert "Now in ICU-1" in page.inner_text("#bed-form")
    assert str(bed.pk) in offered_beds(page) and str(icu_bed.pk) not in offered_beds(page)
    assert bed_status(page, icu, "1") == "occupied"

    # Doctor: discharge; the bed is free again.
    page.context.clear_cookies()
    log_in(doctor)
    page.goto(episode.get_absolute_url())
    page.click("#discharge-open")
    page.select_option("#discharge_disposition", "discharged")
    page.select_option("#discharge_result", "improved")
    page.fill("#discharge_note", "Stable; follow up in the cardiology clinic in one week.")
    page.click("#discharge")
    page.wait_for_selector("#episode-status [data-status=discharged]")
    screenshot("clinical-5-discharged")
    assert "Discharged" in page.inner_text("#waiting-for")
    assert "follow up in the cardiology clinic" in page.inner_text("#discharge-summary")
    assert not BedAssignment.objects.filter(ended_at__isnull=True).exists()
    assert [change.to_status for change in episode.status_changes.order_by("at", "id")] == [
        "pending", "ready_for_coding", "admitted", "discharged"]
