"""Bookings in the browser: a two-guest stay booked end to end through the wizard (one guest found by the
picker, the other registered in its modal, a trip back that keeps every choice), and the calendar's drag and
drop, where an accepted move lands in the new room, a refused one snaps back with the reason, and the second
room of a stay split mid-way moves on its own days."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from hayat.core import clock
from hayat.core.money import format_money
from hayat.core.roles import Role
from hayat.patients.models import Patient
from hayat.stays import changes
from hayat.stays.models import Booking, BookingStatus
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff


@pytest.fixture
def clerk(make_user):
    return make_user(Role.RECEPTIONIST, user_id="e2e-booking", full_name="Barno Booking")


@pytest.fixture
def desk(clerk, page, log_in):
    return log_in(clerk)


@pytest.mark.django_db(transaction=True)
def test_a_two_guest_stay_is_booked_through_the_wizard(desk, screenshot):
    double = make_room("101", beds=2, price="300000")
    make_room("201", beds=1, price="500000", type_name="Deluxe")
    make_tariff("Rest and recovery", prices={"Standard": "350000"})
    shahnoza = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    arrival = clock.today() + timedelta(days=7)
    departure = arrival + timedelta(days=5)

    desk.goto("/stays/book/")
    desk.fill("#id_start_date", arrival.isoformat())
    desk.fill("#id_end_date", departure.isoformat())
    desk.fill("#id_guest_count", "2")
    screenshot("booking-wizard-1-dates")
    desk.click("#dates-form button[type=submit]")

    desk.wait_for_selector("#rooms-form")
    expect(desk.locator("#availability-matrix tbody tr")).to_have_count(2)
    expect(desk.locator("#free-places [data-room]")).to_have_count(2)
    desk.select_option("#id_place_0", f"r{double.pk}")
    desk.select_option("#id_place_1", f"r{double.pk}")
    screenshot("booking-wizard-2-rooms")
    desk.click("#rooms-form button[type=submit]")

    desk.wait_for_selector("#guests-form")
    desk.fill("#picker-id_patient_0 .picker-input", "yusup")
    desk.locator(f"#picker-results-id_patient_0 [data-pick-id='{shahnoza.pk}']").click()
    expect(desk.locator("#picker-id_patient_0 .picker-label")).to_contain_text("Yusupova")
    desk.select_option("#id_tariff_0", label=f"Rest and recovery – {format_money(Decimal(350000))} per day")

    desk.click("#picker-id_patient_1 .picker-new")
    modal = desk.locator("#quick-modal-id_patient_1")
    modal.locator("#quick-id_patient_1-last_name").wait_for()
    modal.locator("#quick-id_patient_1-last_name").fill("Yusupov")
    modal.locator("#quick-id_patient_1-first_name").fill("Akmal")
    modal.locator("#quick-id_patient_1-birth_date").fill("1984-02-10")
    modal.locator("#quick-id_patient_1-mobile").fill("+998 93 555 01 12")
    modal.locator("button[type=submit]").click()
    expect(desk.locator("#picker-id_patient_1 .picker-label")).to_contain_text("Yusupov")
    akmal = Patient.objects.get(first_name="Akmal")
    desk.select_option("#id_tariff_1", index=1)
    screenshot("booking-wizard-3-guests")
    desk.click("#guests-form button[type=submit]")

    desk.wait_for_selector("#price-summary")
    expect(desk.locator("#summary-total")).to_have_text(format_money(Decimal(2 * 5 * 350000)))
    desk.click("[data-step='rooms']")
    desk.wait_for_selector("#rooms-form")
    assert desk.input_value("#id_place_1") == f"r{double.pk}"  # going back keeps the rooms ...
    desk.click("#rooms-form button[type=submit]")
    desk.wait_for_selector("#guests-form")
    assert desk.input_value("#id_patient_1") == str(akmal.pk)  # ... and the guests
    desk.click("#guests-form button[type=submit]")

    desk.wait_for_selector("#confirm-form")
    desk.select_option("#id_source", index=2)
    desk.fill("#id_referral", "Dr. Karimova, polyclinic 12")
    screenshot("booking-wizard-4-confirm")
    desk.click("#book-button")

    desk.wait_for_url("**/stays/bookings/*/")
    booking = Booking.objects.get()
    assert booking.number.startswith(f"BK-{clock.today():%Y%m%d}-")
    assert (booking.start_date, booking.end_date, booking.status) == (arrival, departure, BookingStatus.CONFIRMED)
    assert booking.referral == "Dr. Karimova, polyclinic 12"
    assert sorted(booking.lines.values_list("patient_id", "room_id")) == sorted(
        [(shahnoza.pk, double.pk), (akmal.pk, double.pk)])
    assert booking.number in desk.locator("h1").inner_text()
    expect(desk.locator("#toasts")).to_contain_text(f"Booking {booking.number} is made.")
    screenshot("booking-wizard-5-booked")


def confirm_move(desk) -> None:
    dialog = desk.locator("#move-dialog")
    expect(dialog).to_be_visible()
    desk.click("#move-confirm")
    expect(dialog).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_calendar_drag_moves_a_booking_and_a_refused_move_snaps_back(clerk, desk, screenshot):
    first, second, full = make_room("101", beds=2), make_room("102", beds=2), make_room("103", beds=1)
    tariff = make_tariff("Rest and recovery", prices={"Standard": "350000"})
    arrival = clock.today() + timedelta(days=2)
    moving = book(clerk, guests=[(PatientFactory(), first, tariff)], start=arrival, nights=3)
    book(clerk, guests=[(PatientFactory(), full, tariff)], start=arrival, nights=3)

    desk.goto("/stays/calendar/")
    bar = desk.locator(f".cal-bar[data-booking='{moving.pk}']")
    expect(bar).to_have_attribute("draggable", "true")
    screenshot("booking-calendar")

    bar.drag_to(desk.locator(f".cal-lanes[data-room='{full.pk}']"), source_position={"x": 10, "y": 8},
                target_position=bar_offset(desk, bar, full))
    confirm_move(desk)
    expect(desk.locator("#toasts .toast.show").last).to_contain_text("103")
    desk.wait_for_timeout(400)  # the toast fades in
    screenshot("booking-calendar-refused")
    expect(bar).not_to_have_class(re.compile("cal-pending|cal-dragging"))
    expect(desk.locator(f".cal-lanes[data-room='{first.pk}'] .cal-bar[data-booking='{moving.pk}']")).to_have_count(1)
    assert set(moving.lines.values_list("room_id", flat=True)) == {first.pk}

    # The drop asks first, saying where the booking would go; leaving it changes nothing.
    bar.drag_to(desk.locator(f".cal-lanes[data-room='{second.pk}']"), source_position={"x": 10, "y": 8},
                target_position=bar_offset(desk, bar, second))
    dialog = desk.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-move=number]")).to_have_text(moving.number)
    expect(dialog.locator("[data-move=from-room]")).to_contain_text("101")
    expect(dialog.locator("[data-move=to-room]")).to_contain_text("102")
    screenshot("booking-calendar-confirm-move")
    dialog.get_by_role("button", name="Leave it where it was").click()
    expect(dialog).to_be_hidden()
    expect(desk.locator(f".cal-lanes[data-room='{first.pk}'] .cal-bar[data-booking='{moving.pk}']")).to_have_count(1)
    expect(bar).not_to_have_class(re.compile("cal-pending"))
    assert set(moving.lines.values_list("room_id", flat=True)) == {first.pk}

    bar.drag_to(desk.locator(f".cal-lanes[data-room='{second.pk}']"), source_position={"x": 10, "y": 8},
                target_position=bar_offset(desk, bar, second))
    confirm_move(desk)
    expect(desk.locator("#toasts")).to_contain_text(f"{moving.number} is moved.")
    expect(desk.locator(f".cal-lanes[data-room='{second.pk}'] .cal-bar[data-booking='{moving.pk}']")).to_have_count(1)
    assert set(moving.lines.values_list("room_id", flat=True)) == {second.pk}
    moving.refresh_from_db()
    assert (moving.start_date, moving.end_date) == (arrival, arrival + timedelta(days=3))
    screenshot("booking-calendar-moved")


@pytest.mark.django_db(transaction=True)
def test_dropping_the_second_room_of_a_split_stay_straight_down_keeps_the_dates(clerk, desk, screenshot):
    first, suite, other_suite = make_room("101", beds=2), make_room("301", beds=1), make_room("302", beds=1)
    tariff = make_tariff("Rest and recovery", prices={"Standard": "350000"})
    arrival = clock.today() + timedelta(days=2)
    split = book(clerk, guests=[(PatientFactory(), first, tariff)], start=arrival, nights=5)
    changes.change_mid_stay(by=clerk, line=split.lines.get(), from_date=arrival + timedelta(days=2), room=suite)

    desk.goto("/stays/calendar/")
    second = desk.locator(f".cal-lanes[data-room='{suite.pk}'] .cal-bar[data-booking='{split.pk}']")
    expect(second).to_have_attribute("data-start", (arrival + timedelta(days=2)).isoformat())
    second.drag_to(desk.locator(f".cal-lanes[data-room='{other_suite.pk}']"), source_position={"x": 10, "y": 8},
                   target_position=bar_offset(desk, second, other_suite))
    confirm_move(desk)
    expect(desk.locator("#toasts")).to_contain_text(f"{split.number} is moved.")
    expect(desk.locator(f".cal-lanes[data-room='{other_suite.pk}'] .cal-bar[data-booking='{split.pk}']")
           ).to_have_count(1)
    expect(desk.locator(f".cal-lanes[data-room='{first.pk}'] .cal-bar[data-booking='{split.pk}']")).to_have_count(1)
    screenshot("booking-calendar-split-moved")
    split.refresh_from_db()
    assert (split.start_date, split.end_date) == (arrival, arrival + timedelta(days=5))
    assert list(split.lines.order_by("start_date").values_list("room_id", "start_date", "end_date")) == [
        (first.pk, arrival, arrival + timedelta(days=2)),
        (other_suite.pk, arrival + timedelta(days=2), arrival + timedelta(days=5))]


def bar_offset(page, bar, room) -> dict:
    """The point in `room`'s row straight below the grabbed point of `bar`, so the dates stay the same."""
    grabbed = bar.bounding_box()
    lanes = page.locator(f".cal-lanes[data-room='{room.pk}']").bounding_box()
    return {"x": grabbed["x"] + 10 - lanes["x"], "y": lanes["height"] / 2}
