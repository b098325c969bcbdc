"""A stay in the browser: the desk checks a guest in, records sessions past the tariff's with the one-click
button, moves the guest to a suite mid-stay, and checks out onto the stay's bill."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from hayat.core import clock
from hayat.core.roles import Role
from hayat.stays.models import BookingStatus, IllnessHistory
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import make_service, tariff_with_sessions


@pytest.mark.django_db(transaction=True)
def test_check_in_sessions_mid_stay_change_and_check_out(make_user, page, log_in, screenshot):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-stay", full_name="Saida Stay")
    doctor = make_user(Role.DOCTOR, user_id="e2e-doctor", full_name="Dr. Karimov")
    room = make_room("101", beds=2)
    suite = make_room("301", beds=1, type_name="Suite")
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("Spine care", sessions={massage: 1},
                                  prices={"Standard": "350000", "Suite": "600000"})
    guest = PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    today = clock.today()
    booking = book(desk, guests=[(guest, room, tariff)], start=today, nights=4)
    log_in(desk)

    page.goto(booking.get_absolute_url())
    page.click("#check-in")
    page.wait_for_selector("#check-in-form")
    page.check("#id_identity_checked")
    page.check("#id_rules_explained")
    page.check("#id_consent_signed")
    page.select_option("#id_doctor", label="Dr. Karimov")
    page.fill(f"#id_guest_{guest.pk}_complaints", "Lower back pain")
    page.fill(f"#id_guest_{guest.pk}_pulse", "74")
    screenshot("stay-1-check-in")
    page.click("#confirm-check-in")
    page.wait_for_selector("#illness-histories")
    expect(page.locator("#booking-status")).to_contain_text("Checked in")
    history = IllnessHistory.objects.get(booking=booking)
    expect(page.locator("#illness-histories")).to_contain_text(history.number)

    row = page.locator(f"[data-session='{guest.pk}-{massage.pk}']")
    expect(row.locator("[data-left]")).to_contain_text("1 left")
    row.locator("[data-session-done]").click()
    expect(row.locator("[data-used]")).to_have_text("1")
    row.locator("[data-session-done]").click()
    expect(row.locator("[data-left]")).to_contain_text("1 beyond the tariff")
    page.wait_for_function("document.querySelector('#toasts').innerText.includes('beyond the tariff')")
    screenshot("stay-2-sessions")

    page.click("[data-mid-stay-change]")
    page.wait_for_selector("#mid-stay-form")
    page.fill("#id_from_date", (today + timedelta(days=2)).isoformat())
    page.select_option("#id_place", f"r{suite.pk}")
    screenshot("stay-3-mid-stay-change")
    page.click("#confirm-change")
    page.wait_for_selector("#guest-lines")
    expect(page.locator("#guest-lines tbody tr")).to_have_count(2)
    expect(page.locator("#guest-lines")).to_contain_text("A-301")
    expect(page.locator("#timeline")).to_contain_text("Room or tariff changed from a day")
    screenshot("stay-4-after-change")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#check-out")
    page.wait_for_url("**/billing/bills/**")
    body = page.locator("main")
    expect(body).to_contain_text("Massage")
    expect(body).to_contain_text("· 301 ·")
    screenshot("stay-5-bill")
    booking.refresh_from_db()
    history.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and history.state == "closed" and history.doctor == doctor
