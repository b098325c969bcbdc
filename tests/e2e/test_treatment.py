"""Treatment in the browser: the desk checks a guest in, the doctor examines her and prescribes the tariff's included
sessions, the desk plans them in one action, moves one session by dragging it on the day grid (a drop the rules
refuse snaps back with the reason) and on the week grid, marks sessions done on the room's day sheet, which records
them on the stay, and the doctor's epicrisis lists the procedures received before the desk checks her out."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hayat.core.roles import Role
from hayat.stays.models import IllnessHistory, IllnessState, ServiceUsage
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import make_service, tariff_with_sessions
from hayat.treatment.models import PlannedSession, SessionStatus
from hayat.treatment.tests.factories import make_cabinet, make_therapist
from tests.e2e.steps import check_out_at_the_desk, save_record_part, write_epicrisis

ROW_PIXELS = 20  # treatment.css: --row 1.25rem
GRID_FROM_MINUTES = 7 * 60


def y_of(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute - GRID_FROM_MINUTES) // 15) * ROW_PIXELS + ROW_PIXELS // 2


@pytest.mark.django_db(transaction=True)
def test_check_in_prescribe_plan_drag_and_mark_done(make_user, page, log_in, screenshot, clock):
    admin = make_user(Role.ADMIN, user_id="e2e-admin")
    desk = make_user(Role.RECEPTIONIST, user_id="e2e-desk", full_name="Saida Desk")
    doctor = make_user(Role.DOCTOR, user_id="e2e-doctor", full_name="Dr. Karimov")
    nurse = make_user(Role.NURSE, user_id="e2e-nurse", full_name="Malika Therapist")
    massage = make_service("Massage", "80000")
    cabinet = make_cabinet(admin, "Massage 1", [massage])
    make_therapist(admin, nurse, [massage])
    tariff = tariff_with_sessions("Spine care", sessions={massage: 3})
    guest = PatientFactory(first_name="Dilnoza", last_name="Rahimova")
    today = timezone.localdate(clock.now())
    booking = book(desk, guests=[(guest, make_room("101"), tariff)], start=today, nights=4)

    log_in(desk)
    page.goto(booking.get_absolute_url())
    page.click("#check-in")
    page.wait_for_selector("#check-in-form")
    page.check("#id_identity_checked")
    page.check("#id_rules_explained")
    page.check("#id_consent_signed")
    page.select_option("#id_doctor", label="Dr. Karimov")
    page.click("#confirm-check-in")
    page.wait_for_selector("#booking-treatment")

    page.context.clear_cookies()
    log_in(doctor)
    history = IllnessHistory.objects.get(booking=booking)
    page.goto(history.get_absolute_url())
    page.click("#write-examination")
    page.fill("#id_complaints", "Lower back pain")
    page.fill("#id_objective_status", "Tender paravertebral muscles")
    page.fill("#id_systolic", "130")
    page.fill("#id_diastolic", "80")
    save_record_part(page, "#record-examination", "Tender paravertebral muscles")
    page.goto(f"/treatment/stays/{booking.pk}/")
    page.click("#prescribe-included")
    expect(page.locator("#prescriptions")).to_contain_text("Massage")
    screenshot("treatment-1-prescribed")

    page.context.clear_cookies()
    log_in(desk)
    page.goto(f"/treatment/stays/{booking.pk}/")
    page.click("#plan-stay")
    expect(page.locator("#plan-report")).to_contain_text("3 sessions planned")
    expect(page.locator("#treatment-schedule tbody tr")).to_have_count(3)
    first = PlannedSession.objects.order_by("day", "starts").first()
    assert (first.day, first.cabinet_id) == (today, cabinet.pk)

    page.set_viewport_size({"width": 1366, "height": 1700})  # the whole day of the grid on the screen
    page.goto("/treatment/")
    session = page.locator(f".tt-session[data-session='{first.pk}']")
    expect(session).to_have_attribute("draggable", "true")
    column = page.locator(f".tt-slots[data-resource='{cabinet.pk}']")
    session.drag_to(column, source_position={"x": 10, "y": 5}, target_position={"x": 20, "y": y_of(time(19, 0))})
    page.wait_for_selector("#toasts:has-text('closed then')")
    first.refresh_from_db()
    assert first.starts == time(9, 5)  # refused: the room closes at 18:00; the session snapped back
    session.drag_to(column, source_position={"x": 10, "y": 5}, target_position={"x": 20, "y": y_of(time(15, 0))})
    page.wait_for_selector("#toasts:has-text('moved to 15:00')")
    first.refresh_from_db()
    assert first.starts == time(15, 0)
    screenshot("treatment-2-moved")

    page.goto("/treatment/?week=1")  # the week grid: a session dropped on another day keeps its time
    tomorrow = today + timedelta(days=1)
    cell = page.locator(f"td.tt-cell[data-send-day='{tomorrow:%Y-%m-%d}'][data-send-cabinet='{cabinet.pk}']")
    page.locator(f".tt-week-session[data-session='{first.pk}']").drag_to(cell)
    page.wait_for_selector("#toasts:has-text('moved to')")
    first.refresh_from_db()
    assert (first.day, first.starts) == (tomorrow, time(15, 0))
    first.day = today  # back to today for the day sheet
    first.save(update_fields=["day"])

    page.goto(f"/treatment/day-sheet/?cabinet={cabinet.pk}&day={today:%Y-%m-%d}")
    row = page.locator(f"#day-sheet tr[data-session='{first.pk}']")
    row.locator("[data-mark='done']").click()
    expect(page.locator(f"#day-sheet tr[data-session='{first.pk}']")).to_have_attribute("data-status", "done")
    screenshot("treatment-3-day-sheet")
    first.refresh_from_db()
    assert first.status == SessionStatus.DONE
    usage = ServiceUsage.objects.get(booking=booking)
    assert first.usage_id == usage.pk and not usage.billable

    page.context.clear_cookies()
    log_in(doctor)
    write_epicrisis(page, history, procedures="Massage × 1", course="Pain eased")
    save_record_part(page, "#record-epicrisis", "Pain eased")
    page.context.clear_cookies()

    clock.advance(days=4)
    log_in(desk)
    check_out_at_the_desk(page, booking)
    history.refresh_from_db()
    assert history.state == IllnessState.CLOSED
