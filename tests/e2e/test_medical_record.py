"""The medical record of a stay in the browser: the desk checks a guest in, the doctor writes the first examination
and sets a diagnosis found by the ICD-10 search, a nurse writes a diary entry with vitals, the doctor writes the
epicrisis (the procedures received proposed from the sessions), the desk checks the guest out, and the check-out
summary PDF carries the epicrisis.

The hospital clock is the `clock` fixture's, shared with the live server, so the test can move to departure day."""

import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from hayat.clinical.models import IcdCode
from hayat.core.roles import Role
from hayat.stays.models import DiaryEntry, IllnessHistory, IllnessState
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import make_service, tariff_with_sessions
from tests.e2e.steps import check_out_at_the_desk, save_record_part, write_epicrisis


@pytest.mark.django_db(transaction=True)
def test_examination_diagnosis_diary_and_epicrisis_reach_the_check_out_summary(make_user, page, log_in, screenshot,
                                                                               clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-desk", full_name="Saida Desk")
    doctor = make_user(Role.DOCTOR, user_id="e2e-med-doctor", full_name="Dr. Karimov")
    nurse = make_user(Role.NURSE, user_id="e2e-med-nurse", full_name="Malika Nurse")
    IcdCode.objects.create(code="M54.5", title="Low back pain")
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("Spine care", sessions={massage: 3}, prices={"Standard": "350000"})
    guest = PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    today = timezone.localdate(clock.now())
    booking = book(desk, guests=[(guest, make_room("101", beds=1), tariff)], start=today, nights=3)

    log_in(desk)
    page.goto(booking.get_absolute_url())
    page.click("#check-in")
    for box in ("#id_identity_checked", "#id_rules_explained", "#id_consent_signed"):
        page.check(box)
    page.select_option("#id_doctor", label="Dr. Karimov")
    page.select_option("#id_nurses", label="Malika Nurse")
    page.click("#confirm-check-in")
    page.wait_for_selector("#illness-histories")
    history = IllnessHistory.objects.get(booking=booking)
    page.locator(f"[data-session='{guest.pk}-{massage.pk}'] [data-session-done]").click()
    expect(page.locator(f"[data-session='{guest.pk}-{massage.pk}'] [data-used]")).to_have_text("1")
    page.context.clear_cookies()

    log_in(doctor)
    page.goto(booking.get_absolute_url())
    page.click(f"#illness-histories a:has-text('{history.number}')")
    page.click("#write-examination")
    page.fill("#id_complaints", "Lower back pain after lifting")
    page.fill("#id_anamnesis", "Recurs since 2019")
    page.fill("#id_objective_status", "Tender paravertebral muscles L4-L5")
    page.fill("#id_systolic", "135")
    page.fill("#id_diastolic", "85")
    page.fill("#id_pulse", "74")
    screenshot("record-1-examination")
    page.click("#save-record-part")
    expect(page.locator("#record-examination")).to_contain_text("Tender paravertebral muscles L4-L5")
    expect(page.locator("#illness-state")).to_contain_text("Open")
    page.select_option("#id_which", "arrival")
    page.fill("#icd-search", "M54")
    page.click("[data-icd='M54.5']")
    expect(page.locator("#record-diagnoses")).to_contain_text("Low back pain")
    screenshot("record-2-diagnosis")
    page.context.clear_cookies()

    log_in(nurse)
    page.goto(history.get_absolute_url())
    expect(page.locator("#write-examination")).to_have_count(0)
    page.click("#add-diary-entry")
    page.fill("#id_text", "Slept well, no pain at night")
    page.fill("#id_temperature", "36.7")
    page.click("#save-record-part")
    expect(page.locator("#record-diary")).to_contain_text("Slept well, no pain at night")
    expect(page.locator("#record-diary")).to_contain_text("36.7 °C")
    assert DiaryEntry.objects.get(illness_history=history).author == nurse
    page.context.clear_cookies()

    log_in(doctor)
    write_epicrisis(page, history, procedures="Massage × 1", course="Pain eased by the third day",
                    results="Walks without pain", recommendations="Swim twice a week")
    screenshot("record-3-epicrisis")
    save_record_part(page, "#record-epicrisis", "Pain eased by the third day")
    page.context.clear_cookies()

    clock.advance(days=3)
    log_in(desk)
    check_out_at_the_desk(page, booking)
    history.refresh_from_db()
    assert history.state == IllnessState.CLOSED

    page.goto(history.get_absolute_url())
    # The first print of a fresh data folder also cuts the font's instances (hayat.documents.fonts).
    summary = page.request.get(page.get_attribute("[data-document='checkout-summary']", "href"), timeout=60_000)
    assert summary.headers["content-type"] == "application/pdf"
    text = " ".join("".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(summary.body())).pages).split())
    for printed in ("Epicrisis", "Pain eased by the third day", "Massage × 1", "Walks without pain",
                    "Swim twice a week", "M54.5", "Lower back pain after lifting", "Rahimova"):
        assert printed in text, (printed, text[:1500])
