"""The waitlist: freed places are offered to the first matching entries, which become bookings in one step."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hayat.core.errors import Conflict, DomainError
from hayat.core.tests.concurrency import run_in_parallel
from hayat.notifications.models import Kind, Message
from hayat.stays import jobs, services, waitlist
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import BookingStatus, WaitlistPriority, WaitlistStatus
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff, room_type
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
    message = Message.objects.get(kind=Kind.WAITLIST_OFFER)
    assert (message.patient_id, message.recipient, message.state) == (patients[2].pk, "+998901112233", "queued")
    assert "a place is free" in message.body


def test_an_expiry_frees_places_for_the_waitlist_too(receptionist, single, tariff, patients, today, clock,
                                                      django_capture_on_commit_callbacks):
    held = book(receptionist, guests=[(patients[0], single, tariff)], start=today + timedelta(days=3),
                status=BookingStatus.RESERVATION)
    type(patients[1]).objects.filter(pk=patients[1].pk).update(mobile="", email="guest@example.com")
    entry = wait(receptionist, patients[1], today + timedelta(days=3))
    clock.advance(hours=49)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.expire_reservations()
    entry.refresh_from_db()
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and entry.status == WaitlistStatus.NOTIFIED
    message = Message.objects.get(kind=Kind.WAITLIST_OFFER)
    assert (message.patient_id, message.channel, message.recipient, message.state) == (
        patients[1].pk, "email", "guest@example.com", "queued")


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


def test_an_offer_to_a_patient_without_mobile_or_email_asks_the_desk_to_call(receptionist, client_as, full_stay,
                                                                            patients, today):
    type(patients[1]).objects.filter(pk=patients[1].pk).update(mobile="", email="", home_phone="+998712223344")
    entry = wait(receptionist, patients[1], today + timedelta(days=6))
    services.cancel_booking(by=receptionist, booking=full_stay, reason="Ill")
    entry.refresh_from_db()
    assert (entry.status, entry.is_open, entry.notified_at is not None) == (WaitlistStatus.TO_CALL, True, True)
    assert not Message.objects.filter(kind=Kind.WAITLIST_OFFER).exists()
    client = client_as(receptionist)
    page = client.get(reverse("stays:waitlist")).content.decode()
    assert 'id="to-call"' in page and "data-to-call" in page and "+998712223344" in page
    assert "nothing was sent" in page
    client.post(reverse("stays:waitlist_called", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.NOTIFIED
    with pytest.raises(Conflict, match="no place waiting for a call"):
        waitlist.record_call(by=receptionist, entry=entry)


def test_two_entries_are_never_offered_the_same_place(receptionist, room, tariff, patients, today):
    """A two-bed room freed: the family of two waiting first takes both places, the next entry gets none."""
    stay = book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)],
                start=today + timedelta(days=3))
    family = wait(receptionist, patients[2], today + timedelta(days=3), guests=2, priority=WaitlistPriority.HIGH)
    single = wait(receptionist, patients[3], today + timedelta(days=3))
    services.cancel_booking(by=receptionist, booking=stay, reason="Changed plans")
    family.refresh_from_db()
    single.refresh_from_db()
    assert (family.status, single.status) == (WaitlistStatus.TO_CALL, WaitlistStatus.WAITING)


def test_a_cancellation_costs_the_same_queries_for_one_or_ten_waiting_entries(receptionist, tariff, today):
    """Every entry is a candidate and none fits (each needs two places, only single rooms exist), so each one is
    matched against the freed availability: in memory, not with queries of its own."""
    def cancel_with_waiting(count: int, room_name: str) -> int:
        stay = book(receptionist, guests=[(PatientFactory(), make_room(room_name, beds=1), tariff)],
                    start=today + timedelta(days=5), nights=4)
        for _index in range(count):
            wait(receptionist, PatientFactory(), today + timedelta(days=6), guests=2)
        with CaptureQueriesContext(connection) as queries:
            services.cancel_booking(by=receptionist, booking=stay, reason="Ill")
        return len(queries)

    assert cancel_with_waiting(1, "201") == cancel_with_waiting(10, "202")


def test_an_entry_for_three_guests_is_booked_with_all_three(receptionist, tariff, patients, today):
    entry = wait(receptionist, patients[0], today + timedelta(days=2), guests=3)
    family_room = make_room("401", beds=3)
    with pytest.raises(DomainError, match="choose the 2 other guests"):
        waitlist.convert_to_booking(by=receptionist, entry=entry, room=family_room, tariff=tariff,
                                    companions=[patients[1]])
    booking = waitlist.convert_to_booking(by=receptionist, entry=entry, room=family_room, tariff=tariff,
                                          companions=[patients[1], patients[2]])
    assert sorted(booking.lines.values_list("patient_id", "room_id")) == sorted(
        (patient.pk, family_room.pk) for patient in patients[:3])
    entry.refresh_from_db()
    assert (entry.status, entry.booking) == (WaitlistStatus.BOOKED, booking)


def test_the_convert_page_asks_for_every_guest_and_offers_rooms_that_hold_them(receptionist, client_as, tariff,
                                                                               patients, today):
    entry = wait(receptionist, patients[0], today + timedelta(days=2), guests=2)
    double, single = make_room("402", beds=2), make_room("403", beds=1)
    client = client_as(receptionist)
    url = reverse("stays:waitlist_convert", args=[entry.pk])
    page = client.get(url).content.decode()
    assert 'name="companion_2"' in page and f'value="r{double.pk}"' in page
    assert f'value="r{single.pk}"' not in page and f'value="b{double.beds.first().pk}"' not in page
    missing = client.post(url, {"place": f"r{double.pk}", "tariff": tariff.pk})
    assert missing.status_code == 200 and "Choose the patient." in missing.content.decode()
    booked = client.post(url, {"place": f"r{double.pk}", "tariff": tariff.pk, "companion_2": patients[1].pk},
                         follow=True)
    assert "is booked: BK-" in booked.content.decode()
    assert set(entry.patient.booking_lines.get().booking.lines.values_list("patient_id", flat=True)) == {
        patients[0].pk, patients[1].pk}


def test_api_books_an_entry_with_its_companions(receptionist, api_as, tariff, patients, today):
    entry = wait(receptionist, patients[0], today + timedelta(days=2), guests=2)
    url = reverse("waitlist-book", args=[entry.pk])
    room = make_room("404", beds=2)
    refused = api_as(receptionist).post(url, {"room": room.pk, "tariff": tariff.pk}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"companions"}
    booked = api_as(receptionist).post(url, {"room": room.pk, "tariff": tariff.pk, "companions": [patients[1].pk]},
                                       format="json")
    assert booked.status_code == 201 and len(booked.json()["guests"]) == 2


@pytest.mark.django_db(transaction=True)
def test_two_places_freed_at_once_go_to_two_entries_each_offered_once(receptionist, clock):
    """Two desks cancel two single rooms at the same moment: the first waiting entry is offered one place, the
    second entry the other, never the same entry twice."""
    tariff = make_tariff("Rest")
    start = clock.now().date() + timedelta(days=4)
    stays = [book(receptionist, guests=[(PatientFactory(), make_room(f"7{index}", beds=1), tariff)], start=start)
             for index in range(2)]
    first = wait(receptionist, PatientFactory(mobile="+998901110001"), start, priority=WaitlistPriority.HIGH)
    second = wait(receptionist, PatientFactory(mobile="+998901110002"), start)

    results = run_in_parallel(lambda index: services.cancel_booking(by=receptionist, booking=stays[index],
                                                                    reason="Ill").status, 2)
    assert results == [BookingStatus.CANCELLED] * 2, results
    for entry in (first, second):
        entry.refresh_from_db()
    assert (first.status, second.status) == (WaitlistStatus.NOTIFIED, WaitlistStatus.NOTIFIED)
    assert sorted(Message.objects.filter(kind=Kind.WAITLIST_OFFER).values_list("patient_id", flat=True)) == sorted(
        [first.patient_id, second.patient_id])
