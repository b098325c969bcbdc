"""The bookings API: the same rules as the pages, answers in the project's error format."""

from datetime import timedelta

import pytest

from hayat.stays.models import Booking, BookingStatus, GuestLine
from hayat.stays.tests.factories import PatientFactory, book, make_room

pytestmark = pytest.mark.django_db
S = BookingStatus


def payload(today, guests, **extra):
    return {"start_date": str(today + timedelta(days=1)), "end_date": str(today + timedelta(days=4)),
            "guests": guests, **extra}


def test_create_read_and_list(api_as, receptionist, room, tariff, patients, today):
    api = api_as(receptionist)
    response = api.post("/api/bookings/", payload(today, [
        {"patient": patients[0].pk, "room": room.pk, "tariff": tariff.pk},
        {"patient": patients[1].pk, "room": room.pk, "bed": room.beds.first().pk, "tariff": tariff.pk},
    ], source="phone", referral="Dr. Aliev"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "BK-20261121-0001" and body["status"] == S.CONFIRMED
    assert body["total"] == "2100000.00" and len(body["lines"]) == 2
    assert body["history"][0]["to_status"] == S.CONFIRMED
    assert set(body["allowed_transitions"]) == {S.PENDING, S.NO_SHOW, S.CANCELLED}
    listed = api.get("/api/bookings/", {"search": patients[1].code}).json()
    assert listed["count"] == 1 and listed["results"][0]["guests"][1]["patient_code"] == patients[1].code
    assert api.get(f"/api/bookings/{body['id']}/").json()["number"] == body["number"]


def test_a_taken_place_answers_409_no_longer_available(api_as, receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)],
         start=today + timedelta(days=1))
    response = api_as(receptionist).post("/api/bookings/", payload(today, [
        {"patient": patients[2].pk, "room": room.pk, "tariff": tariff.pk}]), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "no_longer_available" and "Room A-101" in response.json()["detail"]


def test_bad_input_is_a_field_error_not_a_500(api_as, receptionist, room, tariff, today):
    api = api_as(receptionist)
    response = api.post("/api/bookings/", payload(today, [{"patient": 999999, "room": room.pk, "tariff": tariff.pk}]),
                        format="json")
    assert response.status_code == 400 and "guests" in response.json()["errors"]
    assert api.post("/api/bookings/", payload(today, []), format="json").status_code == 400
    past = api.post("/api/bookings/", {**payload(today, [{"patient": PatientFactory().pk, "room": room.pk,
                                                          "tariff": tariff.pk}]),
                                       "start_date": str(today - timedelta(days=2))}, format="json")
    assert past.status_code == 400 and past.json()["errors"] == {"start_date": [past.json()["detail"]]}
    assert api.get("/api/bookings/", {"date_from": "soon"}).status_code == 400


def test_dates_transition_cancel_and_move(api_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1),
                   status=S.PENDING)
    api = api_as(receptionist)
    url = f"/api/bookings/{booking.pk}/"
    assert api.post(url + "dates/", {"start_date": str(today + timedelta(days=2)),
                                     "end_date": str(today + timedelta(days=5))}).json()["nights"] == 3
    assert api.post(url + "transition/", {"to": S.CONFIRMED}).json()["status"] == S.CONFIRMED
    refused = api.post(url + "transition/", {"to": S.CHECKED_IN})
    assert refused.status_code == 400 and refused.json()["code"] == "not_simple"
    other = make_room("102", beds=1)
    moved = api.post(url + "move/", {"from_room": room.pk, "to_room": other.pk,
                                     "start_date": str(today + timedelta(days=3))}).json()
    assert moved["lines"][0]["room"] == other.pk and moved["start_date"] == str(today + timedelta(days=3))
    cancelled = api.post(url + "cancel/", {"reason": "Illness", "refund_amount": "50000"}).json()
    assert (cancelled["status"], cancelled["refund_amount"]) == (S.CANCELLED, "50000.00")
    again = api.post(url + "transition/", {"to": S.CONFIRMED})
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"


def test_guests_add_edit_and_remove(api_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    api = api_as(receptionist)
    added = api.post(f"/api/bookings/{booking.pk}/guests/", {"patient": patients[1].pk, "room": room.pk,
                                                             "tariff": tariff.pk})
    assert added.status_code == 201
    line_url = f"/api/bookings/{booking.pk}/guests/{added.json()['id']}/"
    suite = make_room("201", beds=1, type_name="Suite", price="900000")
    changed = api.patch(line_url, {"room": suite.pk}, format="json")
    assert changed.status_code == 200 and changed.json()["price_per_day"] == "900000.00"
    assert api.delete(line_url).status_code == 204
    only = booking.lines.get(patient=patients[0])
    last = api.delete(f"/api/bookings/{booking.pk}/guests/{only.pk}/")
    assert last.status_code == 400 and "only guest" in last.json()["detail"]
    assert api.delete(f"/api/bookings/{booking.pk}/guests/999999/").status_code == 404


def test_viewers_read_but_do_not_write(api_as, doctor, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    api = api_as(doctor)
    assert api.get("/api/bookings/").status_code == 200
    assert api.post(f"/api/bookings/{booking.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert api.post("/api/bookings/", payload(today, [])).status_code == 403
    assert api_as(None).get("/api/bookings/").status_code == 401
    assert GuestLine.objects.filter(holds_place=True).count() == 1


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_api_costs_the_same_queries(api_as, receptionist, tariff, today, count, django_assert_max_num_queries):
    rooms = [make_room(f"Q{index}", beds=2) for index in range(count // 2 + 1)]
    for index in range(count):
        book(receptionist, guests=[(PatientFactory(), rooms[index // 2], tariff)], start=today + timedelta(days=1))
    with django_assert_max_num_queries(6):
        response = api_as(receptionist).get("/api/bookings/", {"page_size": 100})
    assert response.json()["count"] == count == Booking.objects.count()


def test_calendar_api(api_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    rooms = api_as(receptionist).get("/api/bookings/calendar/", {"start": str(today), "days": 7}).json()["rooms"]
    bars = [bar for row in rooms if row["id"] == room.pk for bar in row["bars"]]
    assert bars[0]["number"] == booking.number and bars[0]["guests"] == [patients[0].full_name]
