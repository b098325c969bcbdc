"""The treatment pages: the stay's prescriptions and plan, the grids and their drop, the day sheet and its marks, the
booking page's schedule, the printed schedule, and the timetable following the stay."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.documents.kinds import stays as stay_documents
from hayat.stays import checkin
from hayat.stays import services as stay_services
from hayat.stays.models import ServiceUsage
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import tariff_with_sessions
from hayat.treatment import planning, prescriptions
from hayat.treatment.models import PlannedSession, SessionStatus
from hayat.treatment.tests.factories import guest_in_house, make_cabinet, make_therapist


@pytest.fixture
def planned(clock, today, admin_user, receptionist, doctor, nurse, massage):
    cabinet = make_cabinet(admin_user, "Massage 1", [massage])
    make_therapist(admin_user, nurse, [massage])
    booking = guest_in_house(receptionist, doctor, start=today, services={massage: 3})
    prescriptions.prescribe_included(by=doctor, booking=booking)
    planning.plan_stay(by=receptionist, booking=booking)
    return booking, cabinet


def test_the_doctor_prescribes_and_the_desk_plans_on_the_stay_page(clock, today, admin_user, receptionist, doctor,
                                                                   client_as, massage):
    make_cabinet(admin_user, "Massage 1", [massage])
    booking = guest_in_house(receptionist, doctor, start=today, services={massage: 2})
    guest = booking.kept_lines()[0].patient
    page = client_as(doctor).post(reverse("treatment:prescribe", args=[booking.pk]), {
        "patient": guest.pk, "service": massage.pk, "count": 4, "frequency": "weekdays", "weekdays": [0, 2],
        "day_part": "morning", "note": "gently"})
    assert page.status_code == 302
    refused = client_as(doctor).post(reverse("treatment:prescribe", args=[booking.pk]), {
        "patient": guest.pk, "service": massage.pk, "count": 2, "frequency": "weekdays", "day_part": "any"})
    assert refused.status_code == 400 and "Choose the weekdays" in refused.content.decode()
    answer = client_as(receptionist).post(reverse("treatment:plan", args=[booking.pk]))
    text = answer.content.decode()
    assert answer.status_code == 200 and 'id="plan-report"' in text
    assert "Could not be placed" in text and "too few days" in text  # 4 Monday/Wednesday sessions in 5 nights


def test_the_day_grid_and_week_grid_show_the_sessions_by_room_and_by_therapist(planned, receptionist, client_as,
                                                                               today):
    client = client_as(receptionist)
    for query in ("", "?by=therapist", f"?day={today:%Y-%m-%d}&week=1", "?by=therapist&week=1"):
        page = client.get(reverse("treatment:grid") + query)
        assert page.status_code == 200
        assert 'data-session="' in page.content.decode()
    assert 'draggable="true"' in client.get(reverse("treatment:grid")).content.decode()


def test_a_drop_the_rules_refuse_answers_the_reason_and_moves_nothing(planned, receptionist, client_as, today):
    session = PlannedSession.objects.order_by("day").first()
    url = reverse("treatment:session_move", args=[session.pk])
    refused = client_as(receptionist).post(url, {"day": f"{today:%Y-%m-%d}", "starts": "19:00"})
    assert refused.status_code == 409 and "closed then" in refused.json()["detail"]
    moved = client_as(receptionist).post(url, {"day": f"{today:%Y-%m-%d}", "starts": "16:00"})
    assert moved.status_code == 200, moved.json()
    session.refresh_from_db()
    assert session.starts == time(16, 0)


def test_the_day_sheet_marks_done_once_for_a_form_sent_twice(planned, receptionist, client_as):
    booking, cabinet = planned
    session = PlannedSession.objects.order_by("day").first()
    client = client_as(receptionist)
    sheet = client.get(reverse("treatment:day_sheet"), {"cabinet": cabinet.pk, "day": f"{session.day:%Y-%m-%d}"})
    assert 'data-mark="done"' in sheet.content.decode()
    form = {"status": "done", "idempotency_key": "sheet-form-1"}
    for _ in range(2):
        assert client.post(reverse("treatment:session_mark", args=[session.pk]), form).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.DONE and ServiceUsage.objects.filter(booking=booking).count() == 1


def test_the_day_sheet_of_the_busiest_room_takes_the_same_queries_for_5_and_50_guests(
        clock, today, admin_user, receptionist, doctor, client_as, pool):
    pool_room = make_cabinet(admin_user, "Pool", [pool], capacity=50)
    counts = []
    for guests in (5, 50):
        for first in range(0, guests, 20):  # a booking holds 20 guests at most
            booking = guest_in_house(receptionist, doctor, start=today, services={pool: 1},
                                     patients=min(20, guests - first), room_name=f"Pool {guests}-{first}")
            prescriptions.prescribe_included(by=doctor, booking=booking)
            planning.plan_stay(by=receptionist, booking=booking)
        day = PlannedSession.objects.filter(booking=booking).first().day
        assert PlannedSession.objects.filter(cabinet=pool_room, day=day, status=SessionStatus.PLANNED).count() == guests
        client = client_as(receptionist)
        logged = AccessLogEntry.objects.count()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("treatment:day_sheet"), {"cabinet": pool_room.pk, "day": f"{day:%Y-%m-%d}"})
        assert page.content.decode().count('data-session="') == PlannedSession.objects.filter(
            cabinet=pool_room, day=day).count()
        assert AccessLogEntry.objects.count() - logged == PlannedSession.objects.filter(
            cabinet=pool_room, day=day).values("patient").distinct().count()
        counts.append(len(queries))
        PlannedSession.objects.update(status=SessionStatus.CANCELLED)
    assert counts[0] == counts[1], counts


def test_the_booking_page_and_the_printed_schedule_list_the_guests_sessions(planned, receptionist, client_as):
    booking = planned[0]
    page = client_as(receptionist).get(booking.get_absolute_url()).content.decode()
    assert 'id="booking-treatment"' in page and "Massage 1" in page
    guest = booking.kept_lines()[0].patient
    printed = stay_documents.timetable(booking, guest)
    assert [(service, place) for _, service, place, _ in printed] == [("Massage", "Massage 1")] * 3


def test_an_early_departure_cancels_the_sessions_still_to_come(planned, receptionist, clock):
    booking = planned[0]
    clock.advance(hours=8)  # 17:00: today's session at 09:05 is behind us
    checkin.check_out(by=receptionist, booking=booking, note="leaves early")
    statuses = list(PlannedSession.objects.order_by("day").values_list("status", flat=True))
    assert statuses == [SessionStatus.PLANNED, SessionStatus.CANCELLED, SessionStatus.CANCELLED]


def test_a_cancelled_booking_keeps_no_session_and_says_what_moved(clock, today, admin_user, receptionist, doctor,
                                                                    massage):
    make_cabinet(admin_user, "Massage 1", [massage])
    tariff = tariff_with_sessions("Spine", sessions={massage: 2})
    booking = book(receptionist, guests=[(PatientFactory(), make_room("301"), tariff)],
                   start=today + timedelta(days=3), nights=4)
    prescriptions.prescribe_included(by=doctor, booking=booking)
    planning.plan_stay(by=receptionist, booking=booking)
    assert PlannedSession.objects.filter(status=SessionStatus.PLANNED).count() == 2
    stay_services.cancel_booking(by=receptionist, booking=booking, reason="plans changed")
    assert not PlannedSession.objects.filter(status=SessionStatus.PLANNED).exists()
    followed = AuditEvent.objects.get(action="booking.treatment_followed")
    assert followed.note == "Massage Tue 24 Nov 08:00 cancelled; Massage Wed 25 Nov 08:00 cancelled"


def test_a_change_of_the_stay_tells_what_moved_and_the_booking_page_keeps_it(
        planned, doctor, receptionist, client_as, massage, today):
    booking = planned[0]
    line = booking.kept_lines()[0]
    richer = tariff_with_sessions("Massage course", sessions={massage: 5})
    client = client_as(receptionist)
    response = client.post(reverse("stays:mid_stay_change", args=[booking.pk, line.pk]), {
        "from_date": str(today + timedelta(days=1)), "place": f"r{line.room_id}", "tariff": richer.pk,
        "reason": "more massage"}, follow=True)
    html = response.content.decode()
    assert "Treatment followed the change: " in html and "Massage" in html and " planned" in html
    page = client.get(booking.get_absolute_url()).content.decode()
    assert 'id="treatment-moved"' in page and page.count(" planned") >= 2
    assert "Treatment followed" not in page  # told once
