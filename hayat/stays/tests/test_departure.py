"""The stay after arrival: the first session or service starts the treatment (in progress); check-out on or after
the planned departure completes the stay, before it discharges the guests with a reason, ends the stay that day,
prices the nights stayed, frees the rooms from that day and offers them to the waitlist."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.core.errors import DomainError
from hayat.core.models import AuditEvent
from hayat.stays import changes, checkin, selectors, sessions, waitlist
from hayat.stays.models import BookingStatus, IllnessHistory, IllnessState, WaitlistStatus
from hayat.stays.tests.factories import PatientFactory, book, make_room
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions
from hayat.stays.waitlist import EntryData

pytestmark = pytest.mark.django_db
S = BookingStatus


@pytest.fixture
def massage(db):
    return make_service("Massage", "80000")


@pytest.fixture
def single(db):
    return make_room("201", beds=1)


@pytest.fixture
def stay(receptionist, doctor, single, tariff, patients, today):
    """Five nights in a single room from today, checked in."""
    return checked_in(receptionist, doctor, guests=[(patients[0], single, tariff)], start=today, nights=5)


def statuses(booking) -> list[str]:
    return list(booking.status_changes.order_by("id").values_list("to_status", flat=True))


def test_the_first_session_starts_the_treatment_once(receptionist, doctor, nurse, room, patients, today, massage):
    spa = tariff_with_sessions("Spine care", sessions={massage: 3})
    booking = checked_in(receptionist, doctor, guests=[(patients[0], room, spa)], start=today)
    sessions.record_session(by=nurse, booking=booking, patient=patients[0], service=massage)
    sessions.record_session(by=nurse, booking=booking, patient=patients[0], service=massage)
    booking.refresh_from_db()
    assert booking.status == S.IN_PROGRESS
    assert statuses(booking) == [S.CONFIRMED, S.CHECKED_IN, S.IN_PROGRESS]
    started = booking.status_changes.get(to_status=S.IN_PROGRESS)
    assert (started.by, started.reason) == (nurse, f"Treatment started: Massage for {patients[0].full_name}")


def test_an_extra_service_starts_the_treatment_too(stay, receptionist, patients, massage):
    sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=massage)
    stay.refresh_from_db()
    assert stay.status == S.IN_PROGRESS


def test_a_treatment_in_progress_completes_at_the_planned_departure(stay, receptionist, patients, massage, clock):
    sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=massage)
    clock.advance(days=5)
    checkin.check_out(by=receptionist, booking=stay)
    stay.refresh_from_db()
    assert statuses(stay)[-2:] == [S.IN_PROGRESS, S.COMPLETED]
    assert stay.lines.get().end_date == stay.end_date


def test_leaving_early_needs_a_reason_and_changes_nothing_without_one(stay, receptionist, clock):
    clock.advance(days=2)
    with pytest.raises(DomainError, match="say why the guests leave early") as refused:
        checkin.check_out(by=receptionist, booking=stay, note="  ")
    assert refused.value.field == "note"
    stay.refresh_from_db()
    assert (stay.status, stay.nights, stay.lines.get().nights) == (S.CHECKED_IN, 5, 5)


def test_leaving_early_discharges_and_ends_the_stay_that_day_priced_by_the_nights_stayed(stay, receptionist, patients,
                                                                                          today, clock):
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=stay, note="Family emergency")
    stay.refresh_from_db()
    line = stay.lines.get()
    assert stay.status == S.DISCHARGED
    assert stay.status_changes.order_by("id").last().reason == "Family emergency"
    assert (stay.end_date, line.end_date, line.is_open, line.holds_place) == (today + timedelta(days=2),) * 2 + (
        True, True)
    assert stay.total == Decimal("700000.00")
    assert sorted(stay.bills.get().items.filter(kind="tariff").values_list("quantity", "unit_price")) == [
        (Decimal("2.00"), Decimal("350000.00"))]
    assert {history.state for history in IllnessHistory.objects.filter(booking=stay)} == {IllnessState.CLOSED}
    event = AuditEvent.objects.get(action="booking.early_departure")
    assert event.changes == {"end_date": [str(today + timedelta(days=5)), str(today + timedelta(days=2))]}
    assert any(entry.title == "Left early" and "Family emergency" in entry.detail
               for entry in selectors.timeline(stay))


def test_an_early_departure_frees_the_room_from_that_day(stay, receptionist, single, tariff, patients, today, clock):
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=stay, note="Feels better")
    next_guest = book(receptionist, guests=[(patients[1], single, tariff)], start=today + timedelta(days=2), nights=3)
    assert next_guest.lines.get().room == single


def test_leaving_on_the_day_of_arrival_keeps_one_night(stay, receptionist, today):
    checkin.check_out(by=receptionist, booking=stay, note="Changed their mind")
    stay.refresh_from_db()
    assert (stay.status, stay.end_date, stay.lines.get().nights) == (S.DISCHARGED, today + timedelta(days=1), 1)


def test_an_early_departure_takes_off_a_room_change_that_had_not_begun(stay, receptionist, tariff, patients, today,
                                                                       clock):
    suite = make_room("301", beds=1, type_name="Suite")
    changes.change_mid_stay(by=receptionist, line=stay.lines.get(), from_date=today + timedelta(days=3), room=suite)
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=stay, note="Called to work")
    first, later = stay.lines.order_by("start_date")
    assert (first.end_date, first.is_open, first.holds_place) == (today + timedelta(days=2), True, True)
    assert (later.room, later.holds_place, later.removed_at is not None) == (suite, False, True)
    stay.refresh_from_db()
    assert [line.patient for line in stay.current_lines()] == [patients[0]] and stay.guest_count == 1
    assert book(receptionist, guests=[(patients[1], suite, tariff)], start=today + timedelta(days=3)).pk


def test_an_early_departure_offers_the_freed_place_to_the_waitlist(stay, receptionist, patients, today, clock):
    type(patients[1]).objects.filter(pk=patients[1].pk).update(mobile="+998901112233")
    entry = waitlist.add_entry(by=receptionist, data=EntryData(
        patient=patients[1], start_date=today + timedelta(days=3), end_date=today + timedelta(days=5)))
    clock.advance(days=2)
    assert entry.status == WaitlistStatus.WAITING
    checkin.check_out(by=receptionist, booking=stay, note="Feels better")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.NOTIFIED


# --- pages and API ---------------------------------------------------------------------------------------------


def test_the_booking_page_asks_why_when_the_guests_leave_early(stay, client_as, receptionist):
    client = client_as(receptionist)
    page = client.get(stay.get_absolute_url()).content.decode()
    assert 'id="early-departure-modal"' in page and 'name="note"' in page and "required" in page
    assert "Treatment starts with the first session or service recorded." in page
    refused = client.post(reverse("stays:check_out", args=[stay.pk]), {"note": ""}, follow=True)
    assert "say why the guests leave early" in refused.content.decode()
    response = client.post(reverse("stays:check_out", args=[stay.pk]), {"note": "Feels better"}, follow=True)
    assert "left early" in response.content.decode()
    stay.refresh_from_db()
    assert stay.status == S.DISCHARGED


def test_the_booking_page_checks_out_without_a_question_at_the_planned_departure(stay, client_as, receptionist,
                                                                                 clock):
    clock.advance(days=5)
    page = client_as(receptionist).get(stay.get_absolute_url()).content.decode()
    assert 'id="check-out"' in page and 'id="early-departure-modal"' not in page


def test_api_checks_out_early_only_with_a_reason(stay, api_as, receptionist, today, clock):
    api = api_as(receptionist)
    clock.advance(days=1)
    refused = api.post(reverse("booking-check-out", args=[stay.pk]), {}, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"note"}
    done = api.post(reverse("booking-check-out", args=[stay.pk]), {"note": "Feels better"}, format="json").json()
    assert (done["status"], done["end_date"]) == (S.DISCHARGED, str(today + timedelta(days=1)))


def test_in_progress_and_discharged_stays_are_counted_and_filtered(stay, receptionist, client_as, patients, massage,
                                                                   today, tariff):
    sessions.record_extra_service(by=receptionist, booking=stay, patient=patients[0], service=massage)
    other = checked_in(receptionist, stay.check_in.doctor, guests=[(PatientFactory(), make_room("202"), tariff)],
                       start=today)
    checkin.check_out(by=receptionist, booking=other, note="Went home")
    counts = {row["status"]: row["count"] for row in selectors.status_counts()}
    assert (counts[S.IN_PROGRESS], counts[S.DISCHARGED], counts[S.CHECKED_IN]) == (1, 1, 0)
    listed = client_as(receptionist).get(reverse("stays:booking_list"), {"status": S.IN_PROGRESS}).content.decode()
    assert stay.number in listed and other.number not in listed
