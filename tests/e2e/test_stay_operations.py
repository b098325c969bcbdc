"""A stay in the browser: the desk checks a guest in, records sessions past the tariff's with the one-click
button (the first one starts the treatment), moves the guest to a suite mid-stay, and checks out on the planned
departure onto the stay's bill; and a guest who leaves early is discharged with a reason, the stay ending that day.

The hospital clock is the `clock` fixture's, shared with the live server, so the tests can move to departure day."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.stays.models import BookingStatus, IllnessHistory
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions


@pytest.mark.django_db(transaction=True)
def test_check_in_sessions_mid_stay_change_and_check_out(make_user, page, log_in, screenshot, clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-stay", full_name="Saida Stay")
    doctor = make_user(Role.DOCTOR, user_id="e2e-doctor", full_name="Dr. Karimov")
    room = make_room("101", beds=2)
    suite = make_room("301", beds=1, type_name="Suite")
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("Spine care", sessions={massage: 1},
                                  prices={"Standard": "350000", "Suite": "600000"})
    guest = PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    today = timezone.localdate(clock.now())
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
    booking.refresh_from_db()
    assert booking.status == BookingStatus.IN_PROGRESS
    row.locator("[data-session-done]").click()
    expect(row.locator("[data-left]")).to_contain_text("1 beyond the tariff")
    page.wait_for_selector("#toasts:has-text('beyond the tariff')")
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

    clock.advance(days=4)
    page.reload()
    expect(page.locator("#booking-status")).to_contain_text("In progress")
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


@pytest.mark.django_db(transaction=True)
def test_a_guest_leaving_early_is_discharged_with_a_reason(make_user, page, log_in, screenshot, clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-early", full_name="Elmira Early")
    doctor = make_user(Role.DOCTOR, user_id="e2e-doctor2", full_name="Dr. Nazarova")
    room = make_room("101", beds=1)
    tariff = make_tariff("Rest and recovery", prices={"Standard": "350000"})
    today = timezone.localdate(clock.now())
    booking = checked_in(desk, doctor, guests=[(PatientFactory(), room, tariff)], start=today, nights=5)
    clock.advance(days=2)
    log_in(desk)

    page.goto(booking.get_absolute_url())
    page.click("#check-out")
    modal = page.locator("#early-departure-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("The stay was planned until")
    page.click("#confirm-check-out")
    expect(modal).to_be_visible()  # the reason is required
    page.fill("#early-departure-note", "Called back to work")
    screenshot("stay-6-early-departure")
    page.click("#confirm-check-out")
    page.wait_for_url("**/billing/bills/**")
    expect(page.locator("#toasts")).to_contain_text("left early")
    booking.refresh_from_db()
    assert (booking.status, booking.end_date) == (BookingStatus.DISCHARGED, today + timedelta(days=2))
    assert booking.lines.get().end_date == today + timedelta(days=2)
    assert booking.status_changes.order_by("id").last().reason == "Called back to work"
