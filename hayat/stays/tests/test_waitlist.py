"""The waitlist: freed places are offered to the first matching entries, which become bookings in one step."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import Notification
from hayat.stays import jobs, services, waitlist
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import BookingStatus, WaitlistPriority, WaitlistStatus
from hayat.stays.tests.factories import PatientFactory, book, make_room, room_type
from hayat.stays.waitlist import EntryData

pytestmark = pytest.mark.django_db


@pytest.fixture
def single(db):
    return make_room("201", beds=1)


@pytest.fixture
def full_stay(receptionist, single, tariff, patients, today):
    return book(receptionist, guests=[(patients[0], single, tariff)], start=today + timedelta(days=5), nights=4)


def wait(by, patient, start, nights=2, **extra):
    return waitlist.add_entry(by=by, data=EntryData(patient=patient, start_date=start,
                                                    end_date=start + timedelta(days=nights), **extra))


def test_a_cancellation_offers_the_place_to_the_first_matching_entry(receptionist, full_stay, single, patients,
                                                                     today, django_capture_on_commit_callbacks):
    start = today + timedelta(days=6)
    type(patients[2]).objects.filter(pk=patients[2].pk).update(mobile="+998901112233")
    normal = wait(receptionist, patients[1], start)
    urgent = wait(receptionist, patients[2], start, priority=WaitlistPriority.HIGH)
    other_type = wait(receptionist, patients[3], start, room_type=room_type("Suite"))
    elsewhere = wait(receptionist, PatientFactory(), today + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(by=receptionist, booking=full_stay, reason="Ill")
    for entry in (normal, urgent, other_type, elsewhere):
        entry.refresh_from_db()
    assert (urgent.status, normal.status, other_type.status, elsewhere.status) == (
        WaitlistStatus.NOTIFIED, WaitlistStatus.WAITING, WaitlistStatus.WAITING, WaitlistStatus.WAITING)
    message = Notification.objects.get(topic="waitlist")
    assert (message.patient_id, message.recipient, message.status) == (patients[2].pk, "+998901112233", "sent")
    assert "a place is free" in message.body


def test_an_expiry_frees_places_for_the_waitlist_too(receptionist, single, tariff, patients, today, clock):
    held = book(receptionist, guests=[(patients[0], single, tariff)], start=today + timedelta(days=3),
                status=BookingStatus.RESERVATION)
    entry = wait(receptionist, patients[1], today + timedelta(days=3))
    clock.advance(hours=49)
    jobs.expire_reservations()
    entry.refresh_from_db()
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and entry.status == WaitlistStatus.NOTIFIED


def test_an_entry_becomes_a_booking_in_one_step_through_the_booking_rules(receptionist, full_stay, single, tariff,
                                                                          patients, today):
    entry = wait(receptionist, patients[1], today + timedelta(days=6))
    with pytest.raises(NoLongerAvailable):
        waitlist.convert_to_booking(by=receptionist, entry=entry, room=single, tariff=tariff)
    entry.refresh_from_db()
    assert entry.is_open and entry.booking is None
    booking = waitlist.convert_to_booking(by=receptionist, entry=entry, room=make_room("202", beds=1), tariff=tariff)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED and entry.booking == booking
    assert (booking.start_date, booking.end_date, booking.lines.get().patient) == (entry.start_date, entry.end_date,
                                                                                   patients[1])
    with pytest.raises(Conflict, match="booked already"):
        waitlist.convert_to_booking(by=receptionist, entry=entry, room=single, tariff=tariff)


def test_waitlist_rules(receptionist, nurse, patients, today, tariff):
    with pytest.raises(DomainError, match="in the past"):
        wait(receptionist, patients[0], today - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        wait(nurse, patients[0], today)
    suite_entry = wait(receptionist, patients[0], today, room_type=room_type("Suite"))
    with pytest.raises(DomainError, match="waits for a room of type Suite"):
        waitlist.convert_to_booking(by=receptionist, entry=suite_entry, room=make_room("103"), tariff=tariff)
    waitlist.cancel_entry(by=receptionist, entry=suite_entry)
    with pytest.raises(Conflict):
        waitlist.cancel_entry(by=receptionist, entry=suite_entry)


def test_waitlist_page_adds_lists_and_books(receptionist, client_as, patients, tariff, today):
    client = client_as(receptionist)
    response = client.post(reverse("stays:waitlist"), {
        "patient": patients[1].pk, "start_date": str(today + timedelta(days=2)),
        "end_date": str(today + timedelta(days=4)), "guests": 1, "priority": 1}, follow=True)
    html = response.content.decode()
    assert f"{patients[1]} is on the waitlist." in html and patients[1].full_name in html
    refused = client.post(reverse("stays:waitlist"), {"patient": patients[2].pk, "start_date": str(today),
                                                      "end_date": str(today), "guests": 1, "priority": 2})
    assert "at least one day after" in refused.content.decode()
    entry = patients[1].waitlist_entries.get()
    room = make_room("301")
    page = client.get(reverse("stays:waitlist_convert", args=[entry.pk])).content.decode()
    assert "A-301" in page
    booked = client.post(reverse("stays:waitlist_convert", args=[entry.pk]),
                         {"place": f"r{room.pk}", "tariff": tariff.pk}, follow=True)
    assert "is booked: BK-" in booked.content.decode()


def test_waitlist_page_takes_constant_queries(receptionist, client_as, today, django_assert_max_num_queries):
    client = client_as(receptionist)
    wait(receptionist, PatientFactory(), today + timedelta(days=1))
    with django_assert_max_num_queries(8):
        client.get(reverse("stays:waitlist"))
    for _index in range(10):
        wait(receptionist, PatientFactory(), today + timedelta(days=1), room_type=room_type("Suite"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("stays:waitlist"))
    assert response.content.decode().count("data-entry=") == 11


def test_api_waitlist(receptionist, api_as, teller, patients, tariff, today):
    api = api_as(receptionist)
    created = api.post(reverse("waitlist"), {"patient": patients[0].pk, "start_date": str(today + timedelta(days=1)),
                                             "end_date": str(today + timedelta(days=3))}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "waiting"
    assert [row["patient"] for row in api.get(reverse("waitlist")).json()] == [patients[0].pk]
    booked = api.post(reverse("waitlist-book", args=[created.json()["id"]]),
                      {"room": make_room("401").pk, "tariff": tariff.pk}, format="json")
    assert booked.status_code == 201 and booked.json()["number"].startswith("BK-")
    assert api_as(teller).get(reverse("waitlist")).status_code == 403
