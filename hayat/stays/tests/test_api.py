"""The bookings API: the same rules as the pages, answers in the project's error format."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.billing.bookings import take_booking_deposit
from hayat.core.models import AccessLogEntry
from hayat.stays import selectors, services
from hayat.stays.models import Booking, BookingStatus, GuestLine
from hayat.stays.services import GuestChoice
from hayat.stays.tests.factories import PatientFactory, book, make_room

pytestmark = pytest.mark.django_db
S = BookingStatus
HUGE = "99999999999999999999999"


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
    assert [(entry["kind"], entry["to_status"]) for entry in body["history"]] == [
        ("status", S.CONFIRMED), ("booking.create", "")]
    assert set(body["allowed_transitions"]) == {S.PENDING, S.NO_SHOW, S.CANCELLED}
    listed = api.get("/api/bookings/", {"search": patients[1].code}).json()
    assert listed["count"] == 1 and listed["results"][0]["guests"][1]["patient_code"] == patients[1].code
    assert api.get(f"/api/bookings/{body['id']}/").json()["number"] == body["number"]


def test_the_list_filters_by_status_source_dates_and_number(api_as, receptionist, room, tariff, patients, today):
    soon = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), source="phone")
    later = book(receptionist, guests=[(patients[1], room, tariff)], start=today + timedelta(days=10),
                 status=S.PENDING)
    api = api_as(receptionist)

    def numbers(**params) -> list[str]:
        return [row["number"] for row in api.get("/api/bookings/", params).json()["results"]]

    assert numbers(status=S.PENDING) == [later.number]
    assert numbers(source="phone") == [soon.number]
    assert numbers(date_from=str(today + timedelta(days=9)), date_to=str(today + timedelta(days=20))) == [later.number]
    assert numbers(search=soon.number) == [soon.number]


def test_source_referral_and_notes_change_through_the_api(api_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    api = api_as(receptionist)
    url = f"/api/bookings/{booking.pk}/details/"
    refused = api.post(url, {"source": "pigeon"})
    assert refused.status_code == 400 and "source" in refused.json()["errors"]
    changed = api.post(url, {"source": "referral", "referral": " Dr. Aliev, clinic 4 ", "notes": "Ground floor"})
    assert changed.status_code == 200
    assert (changed.json()["source"], changed.json()["referral"]) == ("referral", "Dr. Aliev, clinic 4")


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


def test_dates_transition_cancel_and_move(api_as, receptionist, teller, room, tariff, patients, today):
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
    take_booking_deposit(by=teller, booking=booking, amount="50000")
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


def access_log_inserts(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith("INSERT") and "core_accesslogentry" in query["sql"])


def test_reading_a_booking_logs_every_guest_in_one_insert(api_as, client_as, receptionist, tariff, today):
    rooms = [make_room(f"L{index}", beds=2) for index in range(3)]
    guests = PatientFactory.create_batch(6)
    booking = book(receptionist, guests=[(patient, rooms[index // 2], tariff) for index, patient in enumerate(guests)],
                   start=today + timedelta(days=1))
    for read in (lambda: client_as(receptionist).get(booking.get_absolute_url()),
                 lambda: api_as(receptionist).get(f"/api/bookings/{booking.pk}/"),
                 lambda: api_as(receptionist).get(reverse("booking-sessions", args=[booking.pk]))):
        before = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with CaptureQueriesContext(connection) as queries:
            assert read().status_code == 200
        assert access_log_inserts(queries) == 1
        assert sorted(AccessLogEntry.objects.filter(id__gt=before).values_list("patient_id", flat=True)) == sorted(
            patient.pk for patient in guests)


def test_api_counts_bookings_per_status_like_the_list_page(api_as, receptionist, room, tariff, patients, today):
    book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1), source="phone")
    book(receptionist, guests=[(patients[1], room, tariff)], start=today + timedelta(days=9), status=S.PENDING)
    counts = api_as(receptionist).get("/api/bookings/counts/").json()
    assert [row["status"] for row in counts] == S.values
    assert {row["status"]: row["count"] for row in counts if row["count"]} == {S.CONFIRMED: 1, S.PENDING: 1}
    by_source = api_as(receptionist).get("/api/bookings/counts/", {"source": "phone", "status": S.PENDING}).json()
    assert {row["status"]: row["count"] for row in by_source if row["count"]} == {S.CONFIRMED: 1}
    assert api_as(receptionist).get("/api/bookings/counts/", {"date_from": "9999-12-31"}).status_code == 400


@pytest.mark.parametrize("count", [2, 12])
def test_api_lists_upcoming_check_ins_in_constant_queries(api_as, receptionist, tariff, today, count,
                                                          django_assert_max_num_queries):
    rooms = [make_room(f"U{index}", beds=1) for index in range(count)]
    for index, room in enumerate(rooms):
        book(receptionist, guests=[(PatientFactory(), room, tariff)], start=today + timedelta(days=index % 6))
    book(receptionist, guests=[(PatientFactory(), make_room("U-late"), tariff)], start=today + timedelta(days=20))
    with django_assert_max_num_queries(5):
        upcoming = api_as(receptionist).get("/api/bookings/upcoming/", {"limit": 50}).json()
    assert len(upcoming) == count
    assert len(api_as(receptionist).get("/api/bookings/upcoming/", {"days": HUGE, "limit": "50"}).json()) == count
    assert [row["start_date"] for row in upcoming] == sorted(row["start_date"] for row in upcoming)
    assert len(api_as(receptionist).get("/api/bookings/upcoming/", {"days": "30", "limit": "999"}).json()) == count + 1


def test_the_api_history_is_the_booking_pages_timeline(api_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    services.change_dates(by=receptionist, booking=booking, start_date=today + timedelta(days=2),
                          end_date=today + timedelta(days=5), reason="Flight moved")
    line = services.add_guest(by=receptionist, booking=booking, guest=GuestChoice(patients[1], room, tariff))
    services.edit_guest(by=receptionist, line=line, guest=GuestChoice(patients[2], room, tariff))
    services.move_booking(by=receptionist, booking=booking, from_room=room, to_room=make_room("102"),
                          start_date=today + timedelta(days=3))
    history = api_as(receptionist).get(f"/api/bookings/{booking.pk}/").json()["history"]
    assert [entry["title"] for entry in history] == [entry.title for entry in selectors.timeline(booking)]
    kinds = {entry["kind"] for entry in history}
    assert {"status", "booking.dates", "booking.guest_add", "booking.guest_edit", "booking.move"} <= kinds
    dates = next(entry for entry in history if entry["kind"] == "booking.dates")
    assert "Flight moved" in dates["detail"] and dates["actor"] == receptionist.full_name
    moved = next(entry for entry in history if entry["kind"] == "booking.move")
    assert "Moved from room A-101 to A-102" in moved["detail"]
