"""The wizard's room step in the browser: rooms for sanatorium stays only (no ICU bed), grouped by type, priced per
night for the tariff chosen there, with a warning for a stay shorter than its course; the "Free for the whole stay"
rooms are buttons that pick a room, by mouse or keyboard, and the chosen tariff is the guests' in the next step."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from hayat.catalog.models import Tariff
from hayat.core import clock
from hayat.core.roles import Role
from hayat.facilities.models import RoomType, RoomUse
from hayat.stays.tests.factories import make_room, make_tariff


@pytest.mark.django_db(transaction=True)
def test_rooms_are_chosen_by_type_and_price_and_picked_from_the_free_ones(make_user, page, log_in, screenshot):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-rooms", full_name="Rano Rooms")
    standard = make_room("101", beds=2, price="300000")
    deluxe = make_room("201", beds=1, price="500000", type_name="Deluxe")
    icu = make_room("ICU-1", beds=2, price="900000", type_name="ICU")
    RoomType.objects.filter(name="ICU").update(use=RoomUse.HOSPITAL)
    cardio = make_tariff("Cardio", prices={"Standard": "700000", "Deluxe": "980000"})
    Tariff.objects.filter(pk=cardio.pk).update(length_days=14)
    arrival = clock.today() + timedelta(days=3)
    log_in(desk)

    page.goto("/stays/book/")
    page.fill("#id_start_date", arrival.isoformat())
    page.fill("#id_end_date", (arrival + timedelta(days=7)).isoformat())
    page.fill("#id_guest_count", "2")
    page.click("#dates-form button[type=submit]")

    page.wait_for_selector("#rooms-form")
    expect(page.locator("#availability-matrix tbody tr")).to_have_count(2)
    expect(page.locator("#availability-matrix")).not_to_contain_text("ICU")
    expect(page.locator(f"#id_place_0 option[value='r{icu.pk}']")).to_have_count(0)
    expect(page.locator("#free-places [data-room-type]")).to_have_text(["Deluxe", "Standard"])
    expect(page.locator(f"[data-pick-place='r{deluxe.pk}']")).to_contain_text("1 free place")
    expect(page.locator(f"[data-pick-place='r{deluxe.pk}']")).to_contain_text("500")

    page.select_option("#price-tariff", label="Cardio · 14 days")
    page.wait_for_url("**tariff=*")
    expect(page.locator("#course-warning")).to_contain_text("course of 14 days; this stay has 7 nights")
    expect(page.locator(f"[data-pick-place='r{deluxe.pk}']")).to_contain_text("980")
    expect(page.locator(f"#id_place_0 option[value='r{standard.pk}']")).to_contain_text("700")

    page.locator(f"[data-pick-place='r{deluxe.pk}']").click()
    expect(page.locator("#id_place_0")).to_have_value(f"r{deluxe.pk}")
    expect(page.locator(f"[data-pick-place='r{deluxe.pk}']")).to_have_attribute("aria-pressed", "true")
    chip = page.locator(f"[data-pick-place='r{standard.pk}']")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_place_1")).to_have_value(f"r{standard.pk}")
    expect(page.locator("#place-picked")).to_contain_text("Guest 2")
    screenshot("wizard-rooms-picked")
    page.click("#rooms-form button[type=submit]")

    page.wait_for_selector("#guests-form")
    expect(page.locator("#id_tariff_0")).to_have_value(str(cardio.pk))
    expect(page.locator("#id_tariff_1")).to_have_value(str(cardio.pk))
