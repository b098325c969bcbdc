"""An extra "Session done" clicked by mistake is undone in the browser by the nurse who clicked it: the session
counts back, the bill keeps its line and gets a correcting one, and the Undo is gone once the window has passed.

The hospital clock is the `clock` fixture's, shared with the live server."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hayat.billing.models import BillItem
from hayat.core.roles import Role
from hayat.stays.models import ServiceUsage
from hayat.stays.tests.factories import PatientFactory, make_room
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions


@pytest.mark.django_db(transaction=True)
def test_an_extra_session_is_undone_by_its_recorder_within_the_window(make_user, page, log_in, screenshot, clock):
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-undo-desk", full_name="Dina Desk")
    doctor = make_user(Role.DOCTOR, user_id="e2e-undo-doctor", full_name="Dr. Umarov")
    nurse = make_user(Role.NURSE, user_id="e2e-undo-nurse", full_name="Nodira Nurse")
    massage = make_service("Massage", "80000")
    tariff = tariff_with_sessions("Spine care", sessions={massage: 1})
    guest = PatientFactory(first_name="Aziza", last_name="Karimova")
    stay = checked_in(desk, doctor, guests=[(guest, make_room("101"), tariff)],
                      start=timezone.localdate(clock.now()))
    log_in(nurse)
    page.goto(stay.get_absolute_url())

    row = page.locator(f"[data-session='{guest.pk}-{massage.pk}']")
    row.locator("[data-session-done]").click()
    expect(row.locator("[data-used]")).to_have_text("1")
    row.locator("[data-session-done]").click()
    expect(row.locator("[data-left]")).to_contain_text("1 beyond the tariff")
    extra = ServiceUsage.objects.latest("id")
    assert extra.billable

    undo = page.locator(f"[data-undo-usage='{extra.pk}']")
    expect(undo).to_be_visible()
    screenshot("undo-1-offered")
    undo.click()
    expect(page.locator(f"[data-usage='{extra.pk}'] [data-undone]")).to_contain_text("undone by Nodira Nurse")
    expect(row.locator("[data-used]")).to_have_text("1")
    expect(row.locator("[data-left]")).to_contain_text("all used")
    page.wait_for_selector("#toasts:has-text('is undone')")
    screenshot("undo-2-done")
    assert [item.amount for item in BillItem.objects.filter(bill__booking=stay).exclude(kind="tariff")
            .order_by("id")] == [Decimal("80000.00"), Decimal("-80000.00")]

    first = ServiceUsage.objects.earliest("id")
    clock.advance(minutes=6)
    page.reload()
    expect(page.locator(f"[data-usage='{first.pk}']")).to_be_visible()
    expect(page.locator("[data-undo-usage]")).to_have_count(0)
