"""The booking list and the booking page: filters, live search, counts, constant queries, actions."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from hayat.billing.bookings import take_booking_deposit
from hayat.core.errors import Conflict
from hayat.core.models import AccessLogEntry, AuditEvent
from hayat.stays import checkin, lifecycle, services
from hayat.stays.models import Booking, BookingSource, BookingStatus, GuestLine
from hayat.stays.services import GuestChoice
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import checked_in

pytestmark = pytest.mark.django_db
S = BookingStatus


def many_bookings(tariff, count: int, start):
    """`count` one-guest bookings written in bulk (the services are tested elsewhere; this is about reading)."""
    rooms = [make_room(f"R{index:03d}", beds=2) for index in range(count // 2 + 1)]
    patients = PatientFactory.create_batch(count)
    statuses = [S.CONFIRMED, S.PENDING, S.RESERVATION, S.CHECKED_IN]
    bookings = Booking.objects.bulk_create([
        Booking(number=f"BK-20261121-{index + 1:04d}", start_date=start, end_date=start + timedelta(days=2),
                status=statuses[index % 4], source=[BookingSource.PHONE, BookingSource.WALK_IN][index % 2])
        for index in range(count)])
    GuestLine.objects.bulk_create([
        GuestLine(booking=booking, patient=patients[index], room=rooms[index // 2], tariff=tariff,
                  start_date=booking.start_date, end_date=booking.end_date, price_per_day="350000")
        for index, booking in enumerate(bookings)])
    return bookings


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_costs_the_same_queries_for_10_or_200_bookings(client_as, receptionist, tariff, today, count,
                                                                django_assert_max_num_queries):
    many_bookings(tariff, count, today + timedelta(days=1))
    client = client_as(receptionist)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stays:booking_list"))
    assert response.status_code == 200
    assert response.content.count(b'data-booking="BK-') == min(count, 25)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stays:booking_list"), {"q": "Karimov"}, HTTP_HX_REQUEST="true",
                              HTTP_HX_TARGET="booking-results")
    assert response.status_code == 200


def results(client, **params) -> str:
    """The list's live part, as htmx asks for it while the user types or changes a filter."""
    response = client.get(reverse("stays:booking_list"), params, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="booking-results")
    assert response.status_code == 200
    return response.content.decode()


def test_status_counts_filters_and_search(client_as, receptionist, room, tariff, patients, today):
    first = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1),
                 source=BookingSource.PHONE)
    zokirova = PatientFactory(last_name="Zokirova", first_name="Feruza")
    second = book(receptionist, guests=[(zokirova, room, tariff)], start=today + timedelta(days=10),
                  status=S.PENDING)
    client = client_as(receptionist)
    pending = results(client, status=S.PENDING)
    assert second.number in pending and first.number not in pending and "<html" not in pending
    assert '<a class="btn btn-sm btn-outline-secondary" data-status-count="confirmed"' in pending
    counts = dict(re.findall(r'data-status-count="(\w+)".*?<span class="ms-1">(\d+)</span>', pending, re.S))
    assert (counts["confirmed"], counts["pending"], counts["cancelled"]) == ("1", "1", "0")
    by_source = results(client, source=BookingSource.PHONE)
    assert first.number in by_source and second.number not in by_source
    by_name = results(client, q="feruza zok")
    assert second.number in by_name and first.number not in by_name
    by_code = results(client, q=patients[0].code)
    assert first.number in by_code and second.number not in by_code
    by_number = results(client, q=first.number[-6:])
    assert first.number in by_number and second.number not in by_number
    by_dates = results(client, date_from=str(today + timedelta(days=9)), date_to=str(today + timedelta(days=20)))
    assert second.number in by_dates and first.number not in by_dates
    full_page = client.get(reverse("stays:booking_list"), {"q": "x"}).content.decode()
    assert 'data-shortcut="search"' in full_page and 'data-shortcut="new"' in full_page


def test_bad_filter_values_are_ignored_not_a_500(client_as, receptionist):
    response = client_as(receptionist).get(reverse("stays:booking_list"), {"date_from": "yesterday", "status": "x",
                                                                           "page": "lots"})
    assert response.status_code == 200


def test_upcoming_check_ins_show_expected_arrivals_of_the_week(client_as, receptionist, room, tariff, patients,
                                                               today):
    soon = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=2))
    later = book(receptionist, guests=[(patients[1], room, tariff)], start=today + timedelta(days=12))
    page = client_as(receptionist).get(reverse("stays:booking_list")).content.decode()
    upcoming = page[page.index('id="upcoming-check-ins"'):]
    assert soon.number in upcoming and later.number not in upcoming


def test_the_booking_page_shows_guests_prices_and_history_and_logs_the_access(client_as, receptionist, room,
                                                                              tariff, patients, today, clock):
    booking = book(receptionist, guests=[(patients[0], room, tariff), (patients[1], room, tariff)],
                   start=today, nights=2, status=S.PENDING)
    clock.advance(minutes=5)
    booking = services.change_status(by=receptionist, booking=booking, to=S.CONFIRMED, reason="Deposit promised")
    page = client_as(receptionist).get(booking.get_absolute_url()).content.decode()
    guests = page[page.index('id="guest-lines"'):page.index("</table>", page.index('id="guest-lines"'))]
    for patient in patients[:2]:
        assert patient.full_name in guests
    assert str(room) in guests and str(tariff) in guests and "350\u202f000.00 UZS" in guests
    assert "1\u202f400\u202f000.00 UZS" in guests
    history = page[page.index('id="timeline"'):]
    confirmed = history[:history.index("</li>")]
    assert 'data-status="pending"' in confirmed and 'data-status="confirmed"' in confirmed
    assert receptionist.full_name in confirmed and "Deposit promised" in confirmed
    assert 'data-transition="no_show"' in page
    assert set(AccessLogEntry.objects.values_list("patient_id", flat=True)) == {patients[0].pk, patients[1].pk}


def test_viewers_see_the_booking_without_actions(client_as, doctor, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    page = client_as(doctor).get(booking.get_absolute_url()).content.decode()
    assert booking.number in page and "cancel-modal" not in page and "data-transition" not in page


def test_cancel_through_the_page(client_as, receptionist, teller, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    take_booking_deposit(by=teller, booking=booking, amount="100000")
    client = client_as(receptionist)
    refused = client.post(reverse("stays:booking_cancel", args=[booking.pk]), {"reason": "", "refund_amount": "0"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    response = client.post(reverse("stays:booking_cancel", args=[booking.pk]),
                           {"reason": "Family emergency", "refund_amount": "100000"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (S.CANCELLED, "Family emergency")
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Family emergency" in page and "cancel-modal" not in page
    assert '<strong id="refund">100\u202f000.00 UZS</strong>' in page


def test_an_illegal_status_change_from_the_page_is_a_message_not_an_error(client_as, receptionist, room, tariff,
                                                                          patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    services.cancel_booking(by=receptionist, booking=booking, reason="x")
    response = client_as(receptionist).post(reverse("stays:booking_status", args=[booking.pk]), {"to": "confirmed"},
                                            follow=True)
    assert "cannot go from Cancelled to Confirmed" in response.content.decode()


def test_a_no_show_from_the_page_asks_why_and_the_reason_reaches_the_history(client_as, receptionist, room, tariff,
                                                                             patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    client = client_as(receptionist)
    page = client.get(booking.get_absolute_url()).content.decode()
    modal = page[page.index('id="status-modal-no_show"'):]
    assert 'name="to" value="no_show"' in modal and 'name="reason"' in modal[:modal.index("</form>")]
    url = reverse("stays:booking_status", args=[booking.pk])
    too_long = client.post(url, {"to": S.NO_SHOW, "reason": "x" * 301}, follow=True).content.decode()
    assert "at most 300 characters" in too_long
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    client.post(url, {"to": S.NO_SHOW, "reason": "Phone switched off"})
    history = client.get(booking.get_absolute_url()).content.decode()
    history = history[history.index('id="timeline"'):]
    assert 'data-status="no_show"' in history and "Phone switched off" in history


def test_change_dates_through_the_page_with_the_rule_shown_next_to_the_field(client_as, receptionist, room, tariff,
                                                                             patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    client = client_as(receptionist)
    url = reverse("stays:booking_dates", args=[booking.pk])
    refused = client.post(url, {"start_date": str(today - timedelta(days=3)), "end_date": str(today)})
    assert "in the past" in refused.content.decode()
    assert client.post(url, {"start_date": str(today + timedelta(days=2)),
                             "end_date": str(today + timedelta(days=6))}).status_code == 302
    booking.refresh_from_db()
    assert booking.nights == 4


def test_add_edit_and_remove_guests_through_the_pages(client_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    client = client_as(receptionist)
    form = client.get(reverse("stays:guest_add", args=[booking.pk])).content.decode()
    assert f'value="r{room.pk}"' in form and "patients/picker.js" in form
    response = client.post(reverse("stays:guest_add", args=[booking.pk]),
                           {"patient": patients[1].pk, "place": f"r{room.pk}", "tariff": tariff.pk})
    assert response.status_code == 302
    line = booking.lines.get(patient=patients[1])
    suite = make_room("201", beds=1, type_name="Suite")
    bed = suite.beds.get()
    assert client.post(reverse("stays:guest_edit", args=[booking.pk, line.pk]),
                       {"patient": patients[1].pk, "place": f"b{bed.pk}", "tariff": tariff.pk}).status_code == 302
    line.refresh_from_db()
    assert (line.room, line.bed) == (suite, bed)
    client.post(reverse("stays:guest_remove", args=[booking.pk, line.pk]), {"reason": "Stays home"})
    line.refresh_from_db()
    assert line.removed_at is not None
    only = booking.lines.get(patient=patients[0])
    response = client.post(reverse("stays:guest_remove", args=[booking.pk, only.pk]), follow=True)
    assert "only guest" in response.content.decode()


def test_a_tampered_guest_form_gets_messages(client_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    response = client_as(receptionist).post(reverse("stays:guest_add", args=[booking.pk]),
                                            {"patient": "999999", "place": "r999999", "tariff": "abc"})
    assert response.status_code == 200
    assert Booking.objects.get().lines.count() == 1


def test_in_house_bookings_are_not_dragged_or_edited(client_as, receptionist, room, tariff, patients, today, clock):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today, nights=4)
    lifecycle.transition(booking, to=S.CHECKED_IN, by=receptionist)
    client = client_as(receptionist)
    calendar = client.get(reverse("stays:calendar")).content.decode()
    assert f'data-number="{booking.number}"' in calendar
    where = calendar.index(f'data-number="{booking.number}"')
    assert 'draggable="true"' not in calendar[where - 400:where + 400]
    other = make_room("102")
    moved = client.post(reverse("stays:booking_move", args=[booking.pk]), {
        "from_room": room.pk, "to_room": other.pk, "from_date": str(today), "start_date": str(today)})
    assert moved.status_code == 400 and "room change from a date" in moved.json()["detail"]
    later = client.post(reverse("stays:booking_move", args=[booking.pk]), {
        "from_room": room.pk, "to_room": room.pk, "from_date": str(today),
        "start_date": str(today + timedelta(days=1))})
    assert later.status_code == 400 and "cannot move to other dates" in later.json()["detail"]
    dates = client.post(reverse("stays:booking_dates", args=[booking.pk]), {
        "start_date": str(today + timedelta(days=1)), "end_date": str(today + timedelta(days=5))})
    assert "arrival date cannot change" in dates.content.decode()
    clock.advance(days=1)
    line = booking.lines.get()
    edited = client.post(reverse("stays:guest_edit", args=[booking.pk, line.pk]),
                         {"patient": patients[1].pk, "place": f"r{other.pk}", "tariff": tariff.pk})
    assert edited.status_code == 200 and "is in the house" in edited.content.decode()
    line.refresh_from_db()
    booking.refresh_from_db()
    assert (line.patient, line.room, booking.start_date) == (patients[0], room, today)


def test_source_referral_and_notes_are_edited_on_their_page(client_as, receptionist, room, tariff, patients, today):
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today + timedelta(days=1))
    client = client_as(receptionist)
    url = reverse("stays:booking_details", args=[booking.pk])
    assert url in client.get(booking.get_absolute_url()).content.decode()
    refused = client.post(url, {"source": "pigeon", "referral": "x"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    response = client.post(url, {"source": BookingSource.REFERRAL, "referral": "  Dr. Aliev, clinic 4 ",
                                 "notes": "Needs a ground floor"}, follow=True)
    assert "Changes saved." in response.content.decode()
    booking.refresh_from_db()
    assert (booking.source, booking.referral, booking.notes) == (BookingSource.REFERRAL, "Dr. Aliev, clinic 4",
                                                                 "Needs a ground floor")
    event = AuditEvent.objects.get(action="booking.update")
    assert event.changes["source"] == [BookingSource.WALK_IN, BookingSource.REFERRAL]
    assert "Source, referral or notes changed" in client.get(booking.get_absolute_url()).content.decode()


def test_guests_of_a_completed_stay_are_neither_changed_nor_removed(client_as, receptionist, doctor, room, tariff,
                                                                     patients, today, clock):
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, tariff), (patients[1], room, tariff)],
                         start=today, nights=2)
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=booking)
    first, second = booking.lines.order_by("id")
    with pytest.raises(Conflict, match="cannot be changed any more"):
        services.edit_guest(by=receptionist, line=first, guest=GuestChoice(patients[2], room, tariff))
    with pytest.raises(Conflict, match="cannot be changed any more"):
        services.remove_guest(by=receptionist, line=second)
    client = client_as(receptionist)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert reverse("stays:guest_edit", args=[booking.pk, first.pk]) not in page
    assert reverse("stays:guest_remove", args=[booking.pk, second.pk]) not in page
    removed = client.post(reverse("stays:guest_remove", args=[booking.pk, second.pk]), follow=True)
    assert "is completed; it cannot be changed any more" in removed.content.decode()
    edited = client.post(reverse("stays:guest_edit", args=[booking.pk, first.pk]),
                         {"patient": patients[2].pk, "place": f"r{room.pk}", "tariff": tariff.pk})
    assert "cannot be changed any more" in edited.content.decode()
    assert sorted(booking.lines.filter(removed_at__isnull=True).values_list("patient_id", flat=True)) == [
        patients[0].pk, patients[1].pk]


def test_the_booking_time_follows_the_hospital_clock_like_its_history(client_as, receptionist, room, tariff, patients,
                                                                      today, clock):
    clock.advance(days=-30, hours=3)
    booking = book(receptionist, guests=[(patients[0], room, tariff)], start=today)
    clock.advance(days=30)
    page = client_as(receptionist).get(booking.get_absolute_url()).content.decode()
    assert '<span id="booked-at">22 Oct 2026 12:00</span>' in page
    history = page[page.index('id="timeline"'):]
    assert "22 Oct 2026 12:00" in history
