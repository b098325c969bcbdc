"""Items of every kind on one bill; totals always equal the sum of the items."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.billing import jobs, payments, services
from hayat.billing.models import Bill, BillItem, BillStatus, ItemKind
from hayat.billing.tests import factories
from hayat.catalog.models import Service, ServiceType
from hayat.clinical import services as clinical
from hayat.core.errors import DomainError
from hayat.stays import checkin
from hayat.stays import services as stays
from hayat.stays.changes import change_mid_stay
from hayat.stays.services import GuestChoice
from hayat.stays.sessions import record_extra_service
from hayat.stays.tests.stay_factories import checked_in, make_service


@pytest.fixture
def massage(db):
    kind = ServiceType.objects.create(name="Physiotherapy")
    return Service.objects.create(service_type=kind, name="Massage", price=Decimal("80000.00"))


def add(bill, by, **values):
    values.setdefault("kind", ItemKind.MEDICATION)
    values.setdefault("description", "Paracetamol 500 mg")
    values.setdefault("quantity", "2")
    values.setdefault("unit_price", "1500")
    return services.add_item(by=by, bill=bill, **values)


def assert_totals_hold(bill: Bill) -> None:
    """The stored totals equal the sum of the stored items, and the balance is the total less the paid."""
    bill.refresh_from_db()
    assert bill.items_total == sum((item.amount for item in bill.items.all()), Decimal("0"))
    assert bill.balance == bill.items_total - bill.paid_total


def test_items_of_every_kind_add_up(bill, teller, massage, clock):
    add(bill, teller)
    services.add_item(by=teller, bill=bill, kind=ItemKind.SERVICE, service=massage, quantity=3)
    services.add_item(by=teller, bill=bill, kind=ItemKind.LAB_TEST, description="Complete blood count",
                      unit_price="45000.50")
    services.add_item(by=teller, bill=bill, kind=ItemKind.MANUAL, description="Extra linen", unit_price="20000",
                      reason="Requested by the patient")
    clock.advance(hours=2, minutes=30)
    services.calculate(by=teller, bill=bill)
    bill.refresh_from_db()
    kinds = {item.kind: item.amount for item in bill.items.all()}
    assert kinds == {ItemKind.MEDICATION: Decimal("3000.00"), ItemKind.SERVICE: Decimal("240000.00"),
                     ItemKind.LAB_TEST: Decimal("45000.50"), ItemKind.MANUAL: Decimal("20000.00"),
                     ItemKind.BED_TIME: Decimal("30000.00")}
    assert bill.items_total == Decimal("338000.50")
    assert bill.status == BillStatus.CALCULATED
    assert_totals_hold(bill)


def test_a_service_takes_its_name_and_price_from_the_catalogue(bill, receptionist, massage):
    item = services.add_item(by=receptionist, bill=bill, kind=ItemKind.SERVICE, service=massage)
    assert (item.description, item.unit_price, item.amount) == ("Massage", Decimal("80000.00"), Decimal("80000.00"))


@pytest.mark.parametrize(("values", "field"), [
    ({"kind": ItemKind.MANUAL, "reason": ""}, "reason"),
    ({"quantity": "0"}, "quantity"),
    ({"quantity": "-1"}, "quantity"),
    ({"quantity": "1.005"}, "quantity"),
    ({"quantity": "lots"}, "quantity"),
    ({"unit_price": "12,50 sum"}, "unit_price"),
    ({"unit_price": "-5"}, "unit_price"),
    ({"unit_price": "0.001"}, "unit_price"),
    ({"unit_price": ""}, "unit_price"),
    ({"description": " "}, "description"),
    ({"kind": ItemKind.SERVICE, "service": None}, "service"),
    ({"kind": ItemKind.BED_TIME}, "kind"),
    ({"kind": ItemKind.TARIFF}, "kind"),
])
def test_bad_items_are_refused_with_the_field_named(bill, teller, values, field):
    with pytest.raises(DomainError) as refused:
        add(bill, teller, **values)
    assert refused.value.field == field
    assert not bill.items.exclude(kind=ItemKind.BED_TIME).exists()


def test_a_manual_discount_may_be_negative_but_never_below_a_zero_total(bill, teller):
    add(bill, teller, unit_price="10000", quantity=1)
    services.add_item(by=teller, bill=bill, kind=ItemKind.MANUAL, description="Loyalty discount",
                      unit_price="-4000", reason="Returning patient")
    bill.refresh_from_db()
    assert bill.items_total == Decimal("6000.00")
    with pytest.raises(DomainError):
        services.add_item(by=teller, bill=bill, kind=ItemKind.MANUAL, description="Too much", unit_price="-7000",
                          reason="Mistake")
    bill.refresh_from_db()
    assert bill.items_total == Decimal("6000.00")


def test_only_tellers_and_reception_add_items(bill, doctor, nurse, admin_user):
    for outsider in (doctor, nurse, admin_user):
        with pytest.raises(PermissionDenied):
            add(bill, outsider)
    assert not bill.items.exclude(kind=ItemKind.BED_TIME).exists()


def test_items_are_removed_before_invoicing_and_corrected_after(bill, teller, clock):
    first = add(bill, teller)
    services.remove_item(by=teller, item=first, reason="Wrong patient")
    assert not bill.items.filter(pk=first.pk).exists()
    second = add(bill, teller, unit_price="5000", quantity=1)
    services.calculate(by=teller, bill=bill)
    services.invoice(by=teller, bill=bill)
    with pytest.raises(DomainError):
        services.remove_item(by=teller, item=second)
    correction = services.correct_item(by=teller, item=second, reason="Not given")
    assert (correction.kind, correction.amount, correction.corrects_id) == (ItemKind.MANUAL, Decimal("-5000.00"),
                                                                             second.pk)
    with pytest.raises(DomainError):
        services.correct_item(by=teller, item=second, reason="Twice")
    with pytest.raises(DomainError):
        services.correct_item(by=teller, item=correction, reason="A correction of a correction")
    assert_totals_hold(bill)


def test_a_corrected_item_is_not_removed_while_its_correction_stands(bill, teller):
    charge = add(bill, teller, unit_price="5000", quantity=1)
    correction = services.correct_item(by=teller, item=charge, reason="Not given")
    with pytest.raises(DomainError) as refused:
        services.remove_item(by=teller, item=charge)
    assert refused.value.code == "has_correction"
    services.remove_item(by=teller, item=correction)
    services.remove_item(by=teller, item=charge)
    assert not bill.items.exclude(kind=ItemKind.BED_TIME).exists()
    assert_totals_hold(bill)


def test_a_bed_line_that_still_grows_cannot_be_corrected(bill, teller, clock):
    clock.advance(hours=3)
    services.calculate(by=teller, bill=bill)
    services.invoice(by=teller, bill=bill)
    line = bill.items.get(kind=ItemKind.BED_TIME)
    with pytest.raises(DomainError) as refused:
        services.correct_item(by=teller, item=line, reason="Waived")
    assert refused.value.code == "still_accruing"


def test_derived_lines_are_not_removed_by_hand(bill, teller, clock):
    clock.advance(hours=1)
    services.calculate(by=teller, bill=bill)
    with pytest.raises(DomainError) as refused:
        services.remove_item(by=teller, item=bill.items.get(kind=ItemKind.BED_TIME))
    assert refused.value.code == "derived_item"


operations = st.lists(st.one_of(
    st.tuples(st.just("add"), st.sampled_from([ItemKind.MEDICATION, ItemKind.LAB_TEST, ItemKind.MANUAL]),
              st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2),
              st.decimals(min_value=Decimal("-500"), max_value=Decimal("90000"), places=2)),
    st.tuples(st.just("remove"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("correct"), st.integers(min_value=0, max_value=20)),
    st.tuples(st.just("pay"), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("200000"), places=2)),
    st.tuples(st.just("hours"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("accrue")),
    st.tuples(st.just("transfer")),
    st.tuples(st.just("discharge")),
    st.tuples(st.just("invoice")),
), max_size=12)


rooms = count(1)


def check_totals_and_status(bill: Bill) -> None:
    """Stored totals equal the sum of the items and the money; an issued bill's status follows the money."""
    assert_totals_hold(bill)
    if bill.status in {BillStatus.INVOICED, BillStatus.PARTIALLY_PAID, BillStatus.PAID}:
        expected = (BillStatus.INVOICED if bill.paid_total == 0 else
                    BillStatus.PAID if bill.paid_total >= bill.items_total else BillStatus.PARTIALLY_PAID)
        assert bill.status == expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_totals_equal_the_items_after_any_sequence(ward, teller, clock, steps):
    """Random sequences of every path that writes an episode bill's items (adding, removing, correcting, paying,
    time passing, the accrual job, a transfer and the discharge through clinical's services, calculating and
    invoicing); after each step the stored totals equal the sum of the items and the payments."""
    room = factories.hospital_room(f"R{next(rooms)}", beds=2)
    beds = list(room.beds.order_by("number"))
    episode = factories.admit(factories.PatientFactory(), beds[0], doctor=ward.doctor, by=ward.coder)
    bill = factories.bill_of(episode)
    for step in steps:
        try:
            if step[0] == "add":
                _, kind, quantity, price = step
                if kind != ItemKind.MANUAL:
                    price = abs(price)
                services.add_item(by=teller, bill=bill, kind=kind, description="Step", quantity=quantity,
                                  unit_price=price, reason="Random step")
            elif step[0] in {"remove", "correct"}:
                items = list(bill.items.order_by("pk"))
                if items:
                    item = items[step[1] % len(items)]
                    if step[0] == "remove":
                        services.remove_item(by=teller, item=item, reason="Random")
                    else:
                        services.correct_item(by=teller, item=item, reason="Random")
            elif step[0] == "pay":
                payments.take_payment(by=teller, bill=bill, amount=step[1])
            elif step[0] == "hours":
                clock.advance(hours=step[1])
            elif step[0] == "accrue":
                jobs.accrue_bed_time()
            elif step[0] == "transfer":
                current = episode.bed_assignments.filter(ended_at__isnull=True).first()
                other = beds[1] if current is None or current.bed_id == beds[0].pk else beds[0]
                clinical.transfer(by=ward.doctor, episode=episode, bed=other, reason="Random")
            elif step[0] == "discharge":
                clinical.discharge(by=ward.doctor, episode=episode, disposition="discharged", result="improved")
            elif step[0] == "invoice":
                services.calculate(by=teller, bill=bill)
                services.invoice(by=teller, bill=bill)
        except DomainError:
            pass
        check_totals_and_status(bill)
    assigned = list(BillItem.objects.filter(bill=bill, kind=ItemKind.BED_TIME).values_list("bed_assignment", flat=True))
    assert len(assigned) == len(set(assigned)) <= episode.bed_assignments.count(), "one line per assignment"


stay_operations = st.lists(st.one_of(
    st.tuples(st.just("extra"), st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("mid_stay"), st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("add_guest")),
    st.tuples(st.just("remove_guest")),
    st.tuples(st.just("dates"), st.integers(min_value=1, max_value=7)),
    st.tuples(st.just("add"), st.decimals(min_value=Decimal("-20000"), max_value=Decimal("90000"), places=2)),
    st.tuples(st.just("pay"), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000000"), places=2)),
    st.tuples(st.just("days"), st.integers(min_value=0, max_value=2)),
    st.tuples(st.just("invoice")),
    st.tuples(st.just("check_out")),
), max_size=10)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=stay_operations)
def test_stay_totals_equal_the_items_after_any_sequence(ward, teller, receptionist, doctor, nurse, clock, steps):
    """The same for a stay's bill, through the stays use cases that change what a stay costs: extra services,
    a mid-stay change of tariff, guests added and removed, new dates, check-out; the bill refreshed by
    payments, invoicing and the charges signal."""
    number = next(rooms)
    room = factories.make_room(f"S{number}", beds=2)
    tariffs = [factories.make_tariff(f"Rest {number}", prices={"Standard": "300000"}),
               factories.make_tariff(f"Cure {number}", prices={"Standard": "450000"})]
    booking = checked_in(receptionist, doctor, guests=[(factories.PatientFactory(), room, tariffs[0])],
                         start=clock.now().date(), nights=5)
    massage = make_service(f"Massage {number}", "80000")
    bill = factories.bill_of(booking)
    for step in steps:
        booking.refresh_from_db()
        lines = booking.current_lines()
        try:
            if step[0] == "extra":
                record_extra_service(by=nurse, booking=booking, patient=lines[0].patient, service=massage,
                                     quantity=step[1])
            elif step[0] == "mid_stay":
                line = lines[-1]
                change_mid_stay(by=receptionist, line=line, from_date=clock.now().date() + timedelta(days=step[1]),
                                tariff=tariffs[1] if line.tariff_id == tariffs[0].pk else tariffs[0])
            elif step[0] == "add_guest":
                stays.add_guest(by=receptionist, booking=booking,
                                guest=GuestChoice(factories.PatientFactory(), room, tariffs[0]))
            elif step[0] == "remove_guest":
                stays.remove_guest(by=receptionist, line=lines[-1], reason="Went home")
            elif step[0] == "dates":
                stays.change_dates(by=receptionist, booking=booking, start_date=booking.start_date,
                                   end_date=booking.start_date + timedelta(days=step[1]))
            elif step[0] == "add":
                services.add_item(by=teller, bill=bill, kind=ItemKind.MANUAL, description="Step", unit_price=step[1],
                                  reason="Random step")
            elif step[0] == "pay":
                payments.take_payment(by=teller, bill=bill, amount=step[1])
            elif step[0] == "days":
                clock.advance(days=step[1])
            elif step[0] == "invoice":
                services.calculate(by=teller, bill=bill)
                services.invoice(by=teller, bill=bill)
            elif step[0] == "check_out":
                checkin.check_out(by=receptionist, booking=booking, note="Random departure")
        except DomainError:
            pass
        check_totals_and_status(bill)
    payments_before = bill.paid_total
    services.refresh(services.locked(bill))
    check_totals_and_status(bill)
    assert bill.paid_total == payments_before
