"""The treatment API: Admin's rooms and hours, the doctor's prescriptions, the plan, moving and marking sessions."""

from datetime import time, timedelta

from django.urls import reverse

from hayat.core.models import AccessLogEntry
from hayat.stays import services as stay_services
from hayat.stays.models import ServiceUsage
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import tariff_with_sessions
from hayat.treatment import prescriptions
from hayat.treatment.models import Cabinet, PlannedSession, SessionStatus
from hayat.treatment.tests.factories import guest_in_house, make_cabinet, make_therapist


def test_admin_sets_up_a_room_with_hours_and_closed_hours(db, admin_user, receptionist, api_as, massage):
    api = api_as(admin_user)
    created = api.post(reverse("treatment-room-list"), {"name": "Pool", "capacity": 10, "buffer_minutes": 5,
                                                        "services": [massage.pk]}, format="json")
    assert created.status_code == 201, created.json()
    room = created.json()["id"]
    hours = api.post(reverse("treatment-room-hours", args=[room]), {"weekday": 0, "starts": "08:00",
                                                                    "ends": "17:00"}, format="json")
    assert hours.status_code == 201
    refused = api.post(reverse("treatment-room-hours", args=[room]), {"weekday": 0, "starts": "17:00",
                                                                      "ends": "08:00"}, format="json")
    assert refused.status_code == 400 and refused.json()["detail"] == "The hours end after they start."
    assert api.post(reverse("treatment-closed-hours-list"), {"name": "Lunch", "starts": "13:00", "ends": "14:00"},
                    format="json").status_code == 201
    assert api_as(receptionist).post(reverse("treatment-room-list"), {"name": "X", "capacity": 1, "services": []},
                                     format="json").status_code == 403
    assert Cabinet.objects.get().capacity == 10


def test_prescribe_plan_move_and_mark_through_the_api(clock, today, admin_user, receptionist, doctor, nurse, api_as,
                                                      massage):
    api = api_as(admin_user)
    room = api.post(reverse("treatment-room-list"), {"name": "Massage 1", "capacity": 1, "services": [massage.pk]},
                    format="json").json()["id"]
    for weekday in range(7):
        api.post(reverse("treatment-room-hours", args=[room]), {"weekday": weekday, "starts": "08:00",
                                                                "ends": "18:00"}, format="json")
    make_therapist(admin_user, nurse, [massage])
    booking = guest_in_house(receptionist, doctor, start=today, services={massage: 2})
    guest = booking.kept_lines()[0].patient
    prescribed = api_as(doctor).post(reverse("booking-prescriptions", args=[booking.pk]), {
        "patient": guest.pk, "service": massage.pk, "count": 3, "frequency": "other", "day_part": "afternoon"},
        format="json", HTTP_IDEMPOTENCY_KEY="rx-1")
    assert prescribed.status_code == 201, prescribed.json()
    desk = api_as(receptionist)
    plan = desk.post(reverse("booking-treatment-plan", args=[booking.pk]))
    assert plan.json() == {"placed": 3, "not_placed": []}
    sessions = desk.get(reverse("treatment-session-list"), {"booking": booking.pk}).json()["results"]
    assert [row["starts"] for row in sessions] == ["12:00:00"] * 3
    first = sessions[0]["id"]
    moved = desk.post(reverse("treatment-session-move", args=[first]),
                      {"cabinet": room, "day": str(today), "starts": "10:00"}, format="json")
    assert moved.status_code == 200 and moved.json()["starts"] == "10:00:00"
    refused = desk.post(reverse("treatment-session-move", args=[first]),
                        {"cabinet": room, "day": str(today), "starts": "17:50"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "cabinet_closed"
    for _ in range(2):
        marked = desk.post(reverse("treatment-session-mark", args=[first]), {"status": "done"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="mark-1")
        assert marked.status_code == 200 and marked.json()["status"] == "done"
    assert ServiceUsage.objects.filter(booking=booking).count() == 1
    assert PlannedSession.objects.get(pk=first).starts == time(10, 0)
    assert PlannedSession.objects.filter(status=SessionStatus.PLANNED).count() == 2


def test_the_house_is_planned_and_what_a_change_moved_is_read_through_the_api(clock, today, admin_user, receptionist,
                                                                               doctor, nurse, api_as, massage):
    make_cabinet(admin_user, "Massage 1", [massage])
    guest, tariff = PatientFactory(), tariff_with_sessions("Spine", sessions={massage: 2})
    booking = book(receptionist, guests=[(guest, make_room("301"), tariff)], start=today + timedelta(days=3), nights=4)
    prescriptions.prescribe_included(by=doctor, booking=booking)
    assert api_as(doctor).post(reverse("treatment-house-plan")).status_code == 403
    plan = api_as(receptionist).post(reverse("treatment-house-plan"))
    assert plan.status_code == 200 and plan.json() == {"placed": 2, "not_placed": [], "stays": 1}
    moves = reverse("booking-treatment-moves", args=[booking.pk])
    assert api_as(nurse).get(moves).json() == []
    stay_services.cancel_booking(by=receptionist, booking=booking, reason="plans changed")
    seen = AccessLogEntry.objects.count()
    answer = api_as(nurse).get(moves).json()
    assert [row["moved"] for row in answer] == [
        "Massage Tue 24 Nov 08:00 cancelled; Massage Wed 25 Nov 08:00 cancelled"]
    assert answer[0]["by"] == f"{receptionist.get_username()} ({receptionist.get_full_name()})"
    assert list(AccessLogEntry.objects.order_by("pk")[seen:].values_list("patient_id", flat=True)) == [guest.pk]
