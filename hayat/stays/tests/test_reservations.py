"""Reservations hold rooms until their expiry unless a deposit is recorded; a job expires them and frees the rooms."""

import importlib
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from hayat.billing.bookings import take_booking_deposit
from hayat.core.errors import Conflict, DomainError
from hayat.core.tests.concurrency import run_in_parallel
from hayat.stays import jobs, reservations, services
from hayat.stays.errors import NoLongerAvailable
from hayat.stays.models import BookingStatus, BookingStatusChange, GuestLine
from hayat.stays.tests.factories import PatientFactory, book, make_room, make_tariff

S = BookingStatus


def reserve(by, patient, room, tariff, start, **extra):
    return book(by, guests=[(patient, room, tariff)], start=start, status=S.RESERVATION, **extra)


@pytest.mark.django_db
def test_a_reservation_holds_its_room_for_the_configured_hours(receptionist, room, tariff, patients, today, clock,
                                                                settings):
    settings.HAYAT_RESERVATION_HOLD_HOURS = 24
    held = reserve(receptionist, patients[0], make_room("201", beds=1), tariff, today + timedelta(days=5))
    assert held.hold_until == clock.now() + timedelta(hours=24)
    with pytest.raises(NoLongerAvailable):
        book(receptionist, guests=[(patients[1], held.lines.get().room, tariff)], start=today + timedelta(days=5))


@pytest.mark.django_db
def test_the_job_expires_due_reservations_frees_their_rooms_and_spares_the_rest(receptionist, teller, tariff,
                                                                                 patients, today, clock):
    single = make_room("201", beds=1)
    due = reserve(receptionist, patients[0], single, tariff, today + timedelta(days=5))
    paid = reserve(receptionist, patients[1], make_room("202", beds=1), tariff, today + timedelta(days=5))
    reservations.record_reservation_deposit(by=teller, booking=paid, note="R-1")
    clock.advance(hours=47)
    later = reserve(receptionist, patients[2], make_room("203", beds=1), tariff, today + timedelta(days=5))
    assert jobs.expire_reservations() == "0 reservations expired"
    clock.advance(hours=2)
    assert jobs.expire_reservations() == "1 reservations expired"
    assert jobs.expire_reservations() == "0 reservations expired"
    for booking in (due, paid, later):
        booking.refresh_from_db()
    assert (due.status, paid.status, later.status) == (S.EXPIRED, S.RESERVATION, S.RESERVATION)
    assert not GuestLine.objects.get(booking=due).holds_place
    change = due.status_changes.last()
    assert change.by is None and "without a deposit" in change.reason
    book(receptionist, guests=[(patients[3], single, tariff)], start=today + timedelta(days=5))


@pytest.mark.django_db(transaction=True)
def test_two_workers_expire_each_reservation_exactly_once(receptionist, clock):
    tariff = make_tariff("Rest")
    bookings = [reserve(receptionist, PatientFactory(), make_room(f"5{index:02d}", beds=1), tariff,
                        clock.now().date() + timedelta(days=3)) for index in range(6)]
    clock.advance(hours=49)

    results = run_in_parallel(lambda index: jobs.expire_reservations(), 2)
    expired = sum(int(result.split()[0]) for result in results)
    assert expired == 6, results
    changes = BookingStatusChange.objects.filter(booking__in=bookings, to_status=S.EXPIRED)
    assert changes.count() == 6 and changes.values("booking").distinct().count() == 6


@pytest.mark.django_db
def test_deposit_and_hold_rules(receptionist, teller, nurse, room, tariff, patients, today, clock):
    held = reserve(receptionist, patients[0], room, tariff, today + timedelta(days=3))
    with pytest.raises(PermissionDenied):
        reservations.record_reservation_deposit(by=nurse, booking=held)
    with pytest.raises(DomainError, match="in the future"):
        reservations.extend_hold(by=receptionist, booking=held, until=clock.now() - timedelta(minutes=1))
    with pytest.raises(DomainError, match="past its arrival day"):
        reservations.extend_hold(by=receptionist, booking=held, until=clock.now() + timedelta(days=4))
    until = clock.now() + timedelta(days=2)
    reservations.extend_hold(by=receptionist, booking=held, until=until)
    held.refresh_from_db()
    assert held.hold_until == until
    first = reservations.record_reservation_deposit(by=teller, booking=held, note="R-7")
    again = reservations.record_reservation_deposit(by=teller, booking=held, note="other")
    assert first.deposit_recorded_at == again.deposit_recorded_at and again.deposit_note == "R-7"
    services.change_status(by=receptionist, booking=held, to=S.CONFIRMED)
    with pytest.raises(Conflict, match="not a reservation"):
        reservations.extend_hold(by=receptionist, booking=held, until=until)


@pytest.mark.django_db
def test_billing_deposit_for_a_reservation_keeps_it(receptionist, teller, room, tariff, patients, today):
    held = reserve(receptionist, patients[0], room, tariff, today + timedelta(days=3))
    deposit = take_booking_deposit(by=teller, booking=held, amount="200000")
    held.refresh_from_db()
    assert held.deposit_recorded_at is not None and deposit.number in held.deposit_note


@pytest.mark.django_db
def test_the_expiry_schedule_is_registered_once_however_often_the_registration_runs(settings):
    from django.apps import apps
    from django_q.models import Schedule

    registration = importlib.import_module("hayat.stays.migrations.0007_reservation_expiry_schedule")
    settings.HAYAT_RESERVATION_EXPIRY_MINUTES = 7
    for _run in range(3):
        registration.add_schedule(apps, None)
    schedule = Schedule.objects.get(name="reservation expiry")
    assert schedule.func == "hayat.stays.jobs.expire_reservations" and schedule.repeats == -1
    assert schedule.minutes == 7
    assert Schedule.objects.filter(func="hayat.stays.jobs.expire_reservations").count() == 1


@pytest.mark.django_db
def test_reservation_list_and_booking_page(receptionist, teller, client_as, room, tariff, patients, today, clock,
                                           django_assert_max_num_queries):
    held = reserve(receptionist, patients[0], room, tariff, today + timedelta(days=3))
    client = client_as(teller)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("stays:reservation_list")).content.decode()
    assert held.number in page and patients[0].full_name in page and "Take deposit" in page
    for index in range(8):
        reserve(receptionist, PatientFactory(), make_room(f"6{index}", beds=1), tariff, today + timedelta(days=3))
    with django_assert_max_num_queries(10):
        client.get(reverse("stays:reservation_list"))
    response = client.post(reverse("billing:booking_deposit", args=[held.pk]),
                           {"amount": "100000", "method": "cash", "note": "Cash 100000"}, follow=True)
    assert "Deposit recorded" in response.content.decode()
    client.force_login(receptionist)
    detail = client.get(held.get_absolute_url()).content.decode()
    assert "held until confirmed" in detail and "100\u202f000.00" in detail
    hold = client.post(reverse("stays:reservation_hold", args=[held.pk]),
                       {"until": (timezone.localtime(clock.now()) + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")})
    assert "past its arrival day" in hold.content.decode()


@pytest.mark.django_db
def test_api_lists_reservations_records_deposits_and_holds(receptionist, teller, api_as, room, tariff, patients,
                                                            today, clock):
    held = reserve(receptionist, patients[0], room, tariff, today + timedelta(days=3))
    listed = api_as(teller).get(reverse("reservation-list")).json()
    assert [row["number"] for row in listed["results"]] == [held.number]
    until = timezone.make_aware(datetime(2026, 11, 23, 12, 0))
    response = api_as(receptionist).post(reverse("booking-hold", args=[held.pk]), {"until": until.isoformat()},
                                         format="json")
    assert response.status_code == 200
    for far in ("0001-01-01T00:00:00", "9999-12-31T23:59:00-12:00"):
        refused = api_as(receptionist).post(reverse("booking-hold", args=[held.pk]), {"until": far}, format="json")
        assert refused.status_code == 400 and "until" in refused.json()["errors"]
    held.refresh_from_db()
    assert held.hold_until == until
    deposit = api_as(teller).post(reverse("payment-list"), {"kind": "deposit", "booking": held.pk, "amount": "90000"},
                                  format="json")
    assert deposit.status_code == 201 and deposit.json()[0]["booking"] == held.pk
    kept = api_as(teller).get(reverse("reservation-list")).json()["results"][0]
    assert kept["deposit_recorded_at"] and Decimal(kept["total"]) == Decimal("1050000.00")
