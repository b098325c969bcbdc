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
    assert not Bill.objects.filter(booking=booking, payer_key="all").exists()
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


def test_switching_payers_voids_the_bills_left_empty_and_a_switch_back_opens_a_new_one(receptionist, teller, clock):
    booking, first, second = two_guests(receptionist)
    shared = Bill.objects.get(booking=booking)
    released = AuditEvent.objects.filter(action="bill.payer_released")
    live = payers.set_bill_per_guest(by=teller, booking=booking, per_guest=True)
    shared.refresh_from_db()
    assert shared.status == BillStatus.VOID and shared.payer_key == f"void:{shared.pk}"
    assert {bill.payer_key for bill in live} == {f"guest:{first.pk}", f"guest:{second.pk}"}
    change = shared.status_changes.latest("id")
    assert (change.to_status, change.reason) == (BillStatus.VOID, "No guest is billed to it after the payers changed.")
    assert released.get().changes["payer"] == ["all", f"void:{shared.pk}"]
    back = payers.set_bill_per_guest(by=teller, booking=booking, per_guest=False)
    assert [(bill.payer_key, bill.items_total) for bill in back] == [("all", Decimal("1650000.00"))]
    assert back[0].pk != shared.pk
    assert Bill.objects.filter(booking=booking, status=BillStatus.VOID).count() == 3
    assert [bill.pk for bill in selectors.booking_money(booking.pk)["bills"]] == [back[0].pk]


def test_moving_the_last_guest_off_a_bill_voids_it_but_never_a_bill_holding_money_or_a_hand_added_line(
        receptionist, teller, insurer, clock):
    booking, first, second = two_guests(receptionist)
    company = payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target=f"org:{insurer.pk}")
    payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="all")
    company.refresh_from_db()
    assert company.status == BillStatus.VOID
    own = payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="own")
    services.add_item(by=teller, bill=own, kind=ItemKind.MANUAL, description="Minibar", unit_price="0",
                      reason="Counted at the desk")
    payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="all")
    own.refresh_from_db()
    assert own.status != BillStatus.VOID, "a line added by hand keeps the bill"
    assert selectors.bill_of(booking).payer_key == "all"


def test_a_deposit_pays_the_bill_of_its_payer_first_then_the_other_guests_never_an_organisation(
        receptionist, teller, insurer, clock):
    from hayat.billing.models import DepositApplication

    booking, first, second = two_guests(receptionist, per_guest=True)
    payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target=f"org:{insurer.pk}")
    deposit = bookings.take_booking_deposit(by=teller, booking=booking, amount="1200000")
    assert deposit.patient == first
    bills = {bill.payer_key: bill for bill in Bill.objects.filter(booking=booking).exclude(status=BillStatus.VOID)}
    assert (bills[f"guest:{first.pk}"].paid_total, bills[f"org:{insurer.pk}"].paid_total) == (
        Decimal("1050000.00"), Decimal("0.00"))
    assert selectors.deposit_balance(first.pk) == Decimal("150000.00")
    payers.move_guest(by=teller, booking=booking, patient_id=second.pk, target="own")
    bookings.apply_booking_deposits(booking, by=teller)
    bookings.apply_booking_deposits(booking, by=teller)
    own = Bill.objects.get(booking=booking, payer_key=f"guest:{second.pk}")
    assert own.paid_total == Decimal("150000.00") and own.balance == Decimal("450000.00")
    assert DepositApplication.objects.get(bill=own).patient == first
    assert selectors.deposit_balance(first.pk) == Decimal("0.00")


def test_with_one_payer_the_deposit_pays_the_shared_bill(receptionist, teller, clock):
    booking, first, _second = two_guests(receptionist)
    bookings.take_booking_deposit(by=teller, booking=booking, amount="2000000")
    shared = Bill.objects.get(booking=booking)
    assert (shared.paid_total, shared.balance) == (Decimal("1650000.00"), Decimal("0.00"))
    assert selectors.deposit_balance(first.pk) == Decimal("350000.00")


@pytest.mark.django_db(transaction=True)
def test_deposits_and_the_confirmation_racing_pay_a_bill_per_guest_once(make_user, clock):
    """Two deposits and the confirmation of a booking with a bill per guest at once: under the booking's lock the
    bills hold exactly what came in, the payer's bill first, and no deposit counts twice."""
    from hayat.billing.models import DepositApplication
    from hayat.core.tests.concurrency import run_in_parallel
    from hayat.stays import services as stays_services

    desk, teller = make_user("receptionist", user_id="race-desk"), make_user("teller", user_id="race-teller")
    booking, first, second = two_guests(desk, per_guest=True, status=BookingStatus.PENDING)

    def work(index):
        if index < 2:
            return bookings.take_booking_deposit(by=teller, booking=booking, amount="700000")
        return stays_services.change_status(by=desk, booking=booking, to=BookingStatus.CONFIRMED)

    outcomes = run_in_parallel(work, 3)
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    bills = {bill.patient_id: bill for bill in Bill.objects.filter(booking=booking)}
    assert (bills[first.pk].paid_total, bills[second.pk].paid_total) == (Decimal("1050000.00"), Decimal("350000.00"))
    assert sum(DepositApplication.objects.values_list("amount", flat=True)) == Decimal("1400000.00")
    assert selectors.deposit_balance(first.pk) == Decimal("0.00")
