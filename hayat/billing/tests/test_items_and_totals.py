"""Items of every kind on one bill; totals always equal the sum of the items."""

from decimal import Decimal
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hayat.billing import payments, services
from hayat.billing.models import Bill, BillItem, BillStatus, ItemKind
from hayat.billing.tests import factories
from hayat.catalog.models import Service, ServiceType
from hayat.core.errors import DomainError


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
    st.tuples(st.just("invoice")),
), max_size=10)


rooms = count(1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_totals_equal_the_items_after_any_sequence(ward, teller, clock, steps):
    """Random sequences of adding, removing, correcting, paying and time passing; after each step the
    stored totals equal the sum of the items and the payments, and the status follows the money."""
    room = factories.hospital_room(f"R{next(rooms)}", beds=1)
    episode = factories.admit(factories.PatientFactory(), room.beds.get(), doctor=ward.doctor, by=ward.coder)
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
            elif step[0] == "invoice":
                services.calculate(by=teller, bill=bill)
                services.invoice(by=teller, bill=bill)
        except DomainError:
            pass
        assert_totals_hold(bill)
        bill.refresh_from_db()
        if bill.status in {BillStatus.INVOICED, BillStatus.PARTIALLY_PAID, BillStatus.PAID}:
            expected = (BillStatus.INVOICED if bill.paid_total == 0 else
                        BillStatus.PAID if bill.paid_total >= bill.items_total else BillStatus.PARTIALLY_PAID)
            assert bill.status == expected
    assert BillItem.objects.filter(bill=bill, kind=ItemKind.BED_TIME).count() <= 1
