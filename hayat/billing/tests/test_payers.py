"""Payers: one payer for a booking's guests or a bill per guest, organisations with their own bill, guests' lines
moved between bills (docs/adr/0012)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from hayat.billing import bookings, payers, selectors, services
from hayat.billing.models import Bill, BillGuest, BillStatus, ItemKind, Organisation
from hayat.billing.tests import factories
from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.stays import checkin, sessions
from hayat.stays.models import BookingStatus
from hayat.stays.tests.stay_factories import confirmations, make_service

ARRIVAL = date(2026, 11, 24)


def two_guests(by, *, per_guest: bool = False, status: str = BookingStatus.CONFIRMED, start: date = ARRIVAL):
    """Two guests for three nights: the first at 350 000 a day, the second at 200 000."""
    first, second = factories.PatientFactory(last_name="Karimov"), factories.PatientFactory(last_name="Saidova")
    room = factories.make_room("201", beds=2)
    tariff = factories.make_tariff("Rest", prices={"Standard": "350000"})
    cheaper = factories.make_tariff("Light", prices={"Standard": "200000"})
    booking = factories.book(by, guests=[(first, room, tariff), (second, room, cheaper)], start=start,
                             status=status, bill_per_guest=per_guest)
    return booking, first, second


def tariff_patients(bill: Bill) -> set[str]:
    return {item.description.split(" · ")[2] for item in bill.items.filter(kind=ItemKind.TARIFF)}


@pytest.fixture
def insurer(admin_user):
    return payers.save_organisation(by=admin_user, values={"name": "Mehnat Insurance", "kind": "insurer",
                                                           "tax_number": "301234567"})


def test_one_payer_bills_every_guest_and_each_guest_sees_the_bill(receptionist, clock):
    booking, first, second = two_guests(receptionist)
    bill = Bill.objects.get(booking=booking)
    assert (bill.patient, bill.payer_key, bill.items_total) == (first, "all", Decimal("1650000.00"))
    assert tariff_patients(bill) == {first.full_name, second.full_name}
    assert [row.pk for row in selectors.bills(patient_id=second.pk)] == [bill.pk]


def test_a_bill_per_guest_puts_each_guests_lines_on_their_own_bill(receptionist, clock):
    booking, first, second = two_guests(receptionist, per_guest=True)
    bills = {bill.patient_id: bill for bill in Bill.objects.filter(booking=booking)}
    assert set(bills) == {first.pk, second.pk}
    assert (bills[first.pk].items_total, bills[second.pk].items_total) == (Decimal("1050000.00"),
                                                                           Decimal("600000.00"))
    assert tariff_patients(bills[second.pk]) == {second.full_name}
    assert [row.pk for row in selectors.bills(patient_id=second.pk)] == [bills[second.pk].pk]


def test_an_extra_service_lands_on_its_guests_bill(receptionist, doctor, nurse, clock):
    booking, first, second = two_guests(receptionist, per_guest=True, start=clock.now().date())
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    sessions.record_extra_service(by=nurse, booking=booking, patient=second, service=make_service("Massage"))
    assert Bill.objects.get(booking=booking, patient=second).items.filter(kind=ItemKind.SERVICE).count() == 1
    assert not Bill.objects.get(booking=booking, patient=first).items.filter(kind=ItemKind.SERVICE).exists()


def test_the_choice_changes_until_the_first_payment(receptionist, teller, clock):
    booking, first, second = two_guests(receptionist)
    payers.set_bill_per_guest(by=teller, booking=booking, per_guest=True)
    booking.refresh_from_db()
    assert booking.bill_per_guest
    own = Bill.objects.get(booking=booking, payer_key=f"guest:{second.pk}")
    assert own.items_total == Decimal("600000.00")
    assert Bill.objects.get(booking=booking, payer_key=f"guest:{first.pk}").items_total == Decimal("1050000.00")
    assert Bill.objects.get(booking=booking, payer_key="all").items_total == Decimal("0.00")
    assert AuditEvent.objects.filter(action="booking.bill_per_guest").count() == 1
    bookings.take_booking_deposit(by=teller, booking=booking, amount="100000")
    with pytest.raises(Conflict, match="Money was already taken"):
        payers.set_bill_per_guest(by=teller, booking=booking, per_guest=False)
    booking.refresh_from_db()
    assert booking.bill_per_guest


def test_an_organisation_pays_a_guest_on_its_own_bill(receptionist, teller, insurer, clock):
    booking, first, second = two_guests(receptionist)
    before = AuditEvent.objects.filter(action="bill.move_guest").count()
    bill = payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target=f"org:{insurer.pk}")
    assert (bill.organisation, bill.payer_name, bill.patient, bill.items_total) == (
        insurer, "Mehnat Insurance", second, Decimal("600000.00"))
    assert Bill.objects.get(booking=booking, payer_key="all").items_total == Decimal("1050000.00")
    event = AuditEvent.objects.filter(action="bill.move_guest").latest("id")
    assert AuditEvent.objects.filter(action="bill.move_guest").count() == before + 1
    assert event.patient_id == second.pk and event.changes["payer"] == [first.full_name, "Mehnat Insurance"]
    moved_back = payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="all")
    assert moved_back.items_total == Decimal("1650000.00")


def test_moving_from_an_invoiced_bill_corrects_it_with_an_adjustment(receptionist, teller, insurer, clock):
    booking, _first, second = two_guests(receptionist)
    main = Bill.objects.get(booking=booking)
    services.calculate(by=teller, bill=main)
    services.invoice(by=teller, bill=main)
    payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target=f"org:{insurer.pk}")
    main.refresh_from_db()
    assert main.status == BillStatus.INVOICED and main.items_total == Decimal("1050000.00")
    assert main.items.filter(kind=ItemKind.MANUAL, amount=Decimal("-600000.00")).count() == 1


def test_moving_refuses_a_stranger_an_unknown_payer_and_a_receptionist(receptionist, teller, clock):
    booking, _first, second = two_guests(receptionist)
    stranger = factories.PatientFactory()
    with pytest.raises(DomainError, match="not a guest"):
        payers.move_guest(by=teller, booking=booking, patient_id=stranger.pk, target="own")
    with pytest.raises(DomainError, match="Choose one of"):
        payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="org:999999")
    with pytest.raises(PermissionDenied):
        payers.move_guest(by=receptionist, booking=booking, patient_id=second.pk, target="own")
    assert BillGuest.objects.get(booking=booking, patient=second).bill.payer_key == "all"


def test_a_reservation_has_no_payers_to_move_yet(receptionist, teller, clock):
    booking, _first, second = two_guests(receptionist, status=BookingStatus.RESERVATION)
    with pytest.raises(Conflict, match="no bill yet"):
        payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="own")


def test_an_organisation_is_saved_through_the_service_with_a_unique_name(admin_user, teller, doctor, insurer):
    with pytest.raises(DomainError, match="exists already"):
        payers.save_organisation(by=teller, values={"name": "Mehnat Insurance"})
    with pytest.raises(DomainError, match="name"):
        payers.save_organisation(by=teller, values={"name": "  "})
    with pytest.raises(PermissionDenied):
        payers.save_organisation(by=doctor, values={"name": "Acme"})
    payers.save_organisation(by=teller, organisation=insurer, values={"name": "Mehnat Insurance", "kind": "insurer",
                                                                       "is_active": False})
    insurer.refresh_from_db()
    assert not insurer.is_active and Organisation.objects.count() == 1
    assert AuditEvent.objects.filter(action="billing.organisation_save").count() == 2


def test_an_organisation_pays_an_episodes_bed_time(bill, teller, insurer):
    payers.set_episode_payer(by=teller, bill=bill, organisation=insurer)
    bill.refresh_from_db()
    assert bill.payer_name == "Mehnat Insurance"
    assert bill.items.filter(kind=ItemKind.BED_TIME).exists()


def test_a_guest_who_leaves_early_pays_the_nights_stayed_on_their_own_bill(receptionist, doctor, clock):
    booking, first, second = two_guests(receptionist, per_guest=True, start=clock.now().date())
    checkin.check_in(by=receptionist, booking=booking, data=confirmations(doctor))
    clock.advance(days=1)
    with pytest.raises(DomainError, match="why"):
        checkin.guest_leaves_early(by=receptionist, booking=booking, line=booking.lines.get(patient=second), note="")
    checkin.guest_leaves_early(by=receptionist, booking=booking, line=booking.lines.get(patient=second),
                               note="Called back to work")
    assert Bill.objects.get(booking=booking, patient=second).items_total == Decimal("200000.00")
    assert Bill.objects.get(booking=booking, patient=first).items_total == Decimal("1050000.00")
    with pytest.raises(DomainError, match="last guest"):
        checkin.guest_leaves_early(by=receptionist, booking=booking, line=booking.lines.get(patient=first),
                                   note="Also leaving")


@pytest.mark.django_db(transaction=True)
def test_tellers_moving_guests_at_once_leave_every_line_on_exactly_one_bill(receptionist, teller, admin_user, clock):
    from hayat.core.tests.concurrency import run_in_parallel

    booking, first, second = two_guests(receptionist)
    insurer = payers.save_organisation(by=admin_user, values={"name": "Mehnat Insurance"})
    moves = [(second.pk, f"org:{insurer.pk}"), (second.pk, "own"), (first.pk, f"org:{insurer.pk}"), (first.pk, "own")]

    def move(index):
        patient_id, target = moves[index]
        return payers.move_guest(by=teller, booking=booking, patient_id=patient_id, target=target)

    answers = run_in_parallel(move, len(moves))
    assert all(isinstance(answer, Bill) for answer in answers), answers
    bills = list(Bill.objects.filter(booking=booking))
    assert sum(bill.items_total for bill in bills) == Decimal("1650000.00")
    lines = [item.source_key for bill in bills for item in bill.items.filter(kind=ItemKind.TARIFF)]
    assert len(lines) == len(set(lines)) == 2
    assert BillGuest.objects.filter(booking=booking).count() == 2
