"""The bill is finalised when the patient leaves: clinical's discharge and the stay's check-out write the final
lines and issue the bill (through the lifecycle, every step recorded), so the teller can settle it."""

from datetime import timedelta
from decimal import Decimal

from hayat.billing import payments, services
from hayat.billing.models import BillStatus, ItemKind
from hayat.billing.tests import factories
from hayat.clinical import services as clinical
from hayat.stays import checkin
from hayat.stays import services as stays
from hayat.stays.services import GuestChoice
from hayat.stays.tests.stay_factories import checked_in

S = BillStatus


def history(bill) -> list[tuple[str, str, str]]:
    return list(bill.status_changes.order_by("at", "id").values_list("from_status", "to_status", "reason"))


def bed_lines(bill) -> list[tuple]:
    return list(bill.items.filter(kind=ItemKind.BED_TIME).order_by("bed_assignment__started_at")
                .values_list("bed_assignment__bed__room__name", "quantity", "amount", "is_final"))


def test_discharge_writes_the_final_lines_and_invoices_the_bill(admitted, ward, clock):
    clock.advance(hours=10)
    clinical.transfer(by=ward.doctor, episode=admitted, bed=ward.bed3, reason="Closer to the nurses")
    clock.advance(hours=5, minutes=20)
    clinical.discharge(by=ward.doctor, episode=admitted, disposition="discharged", result="recovered")
    bill = factories.bill_of(admitted)
    assert bed_lines(bill) == [("301", Decimal("10.00"), Decimal("100000.00"), True),
                               ("302", Decimal("6.00"), Decimal("90000.00"), True)]
    assert (bill.status, bill.items_total, bill.balance) == (S.INVOICED, Decimal("190000.00"), Decimal("190000.00"))
    assert history(bill) == [("", S.PENDING, "Bill opened"), (S.PENDING, S.CALCULATED, "Finalised at discharge"),
                             (S.CALCULATED, S.INVOICED, "Finalised at discharge")]
    assert bill.status_changes.last().by == ward.doctor


def test_the_teller_settles_the_finalised_bill(admitted, ward, teller, clock):
    clock.advance(hours=2, minutes=30)
    clinical.discharge(by=ward.doctor, episode=admitted, disposition="discharged", result="improved")
    clock.advance(days=1)
    bill = factories.bill_of(admitted)
    payments.take_payment(by=teller, bill=bill, amount="30000")
    bill.refresh_from_db()
    assert (bill.status, bill.balance) == (S.PAID, Decimal("0.00"))
    assert bed_lines(bill) == [("301", Decimal("3.00"), Decimal("30000.00"), True)], "nothing accrues after"


def test_a_bill_paid_before_the_discharge_is_paid_after_it(admitted, ward, teller, clock):
    clock.advance(hours=1, minutes=30)
    payments.take_payment(by=teller, bill=factories.bill_of(admitted), amount="20000")
    clock.advance(minutes=20)
    clinical.discharge(by=ward.doctor, episode=admitted, disposition="discharged", result="improved")
    bill = factories.bill_of(admitted)
    assert (bill.status, bill.balance) == (S.PAID, Decimal("0.00"))
    assert [row[1] for row in history(bill)] == [S.PENDING, S.CALCULATED, S.INVOICED, S.PAID]


def test_a_discharge_after_part_payment_leaves_the_bill_partially_paid(admitted, ward, teller, clock):
    clock.advance(minutes=30)
    payments.take_payment(by=teller, bill=factories.bill_of(admitted), amount="5000")
    clock.advance(hours=3)
    clinical.discharge(by=ward.doctor, episode=admitted, disposition="discharged", result="improved")
    bill = factories.bill_of(admitted)
    assert (bill.status, bill.items_total, bill.balance) == (S.PARTIALLY_PAID, Decimal("40000.00"),
                                                             Decimal("35000.00"))


def test_an_outpatient_bill_is_invoiced_at_discharge(ward, teller, clock):
    episode = factories.outpatient(ward.patient, doctor=ward.doctor, by=ward.coder)
    services.add_item(by=teller, bill=factories.bill_of(episode), kind=ItemKind.LAB_TEST, description="CBC",
                      unit_price="45000")
    clinical.discharge(by=ward.doctor, episode=episode, disposition="discharged", result="recovered")
    bill = factories.bill_of(episode)
    assert (bill.status, bill.balance) == (S.INVOICED, Decimal("45000.00"))


def test_a_void_bill_stays_void_at_discharge(admitted, ward, admin_user, clock):
    services.void(by=admin_user, bill=factories.bill_of(admitted), reason="Charity case")
    clock.advance(hours=4)
    clinical.discharge(by=ward.doctor, episode=admitted, disposition="discharged", result="improved")
    bill = factories.bill_of(admitted)
    assert bill.status == S.VOID and bill.items_total == Decimal("0.00")


def test_check_out_finalises_the_stay_bill(ward, receptionist, doctor, teller, clock):
    booking = checked_in(receptionist, doctor, guests=[(ward.patient, factories.make_room("101"),
                                                        factories.make_tariff("Rest", prices={"Standard": "300000"}))],
                         start=clock.now().date(), nights=2)
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=booking)
    bill = factories.bill_of(booking)
    assert (bill.status, bill.items_total) == (S.INVOICED, Decimal("600000.00"))
    assert history(bill)[-2:] == [(S.PENDING, S.CALCULATED, "Finalised at check-out"),
                                  (S.CALCULATED, S.INVOICED, "Finalised at check-out")]
    payments.take_payment(by=teller, bill=bill, amount="600000")
    bill.refresh_from_db()
    assert bill.status == S.PAID


def test_an_early_check_out_bills_the_nights_stayed(ward, receptionist, doctor, clock):
    booking = checked_in(receptionist, doctor, guests=[(ward.patient, factories.make_room("102"),
                                                        factories.make_tariff("Rest", prices={"Standard": "300000"}))],
                         start=clock.now().date(), nights=5)
    clock.advance(days=2)
    checkin.check_out(by=receptionist, booking=booking, note="Called home")
    bill = factories.bill_of(booking)
    assert (bill.status, bill.items_total) == (S.INVOICED, Decimal("600000.00"))


def test_the_stored_stay_bill_follows_guests_and_dates_as_they_change(ward, receptionist, clock):
    """The teller's queue reads stored totals: a guest added or removed, or new dates, update them at once."""
    room, tariff = factories.make_room("103", beds=2), factories.make_tariff("Rest", prices={"Standard": "300000"})
    booking = factories.book(receptionist, guests=[(ward.patient, room, tariff)], start=clock.now().date(), nights=2)
    stored = lambda: factories.bill_of(booking).items_total  # noqa: E731
    assert stored() == Decimal("600000.00")
    companion = stays.add_guest(by=receptionist, booking=booking,
                                guest=GuestChoice(factories.PatientFactory(), room, tariff))
    assert stored() == Decimal("1200000.00")
    stays.change_dates(by=receptionist, booking=booking, start_date=booking.start_date,
                       end_date=booking.start_date + timedelta(days=3))
    assert stored() == Decimal("1800000.00")
    stays.remove_guest(by=receptionist, line=companion, reason="Stayed home")
    assert stored() == Decimal("900000.00")
