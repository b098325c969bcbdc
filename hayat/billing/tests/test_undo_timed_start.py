"""A time-charged service started by mistake (oxygen on the wrong patient) is undone by the nurse who started it,
within HAYAT_UNDO_MINUTES: the use stays, marked undone, counts no more, and a line already on the bill is corrected
by a line of the opposite amount, never deleted. Later, or by another person, or on a paid bill: refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from hayat.billing import jobs, payments
from hayat.billing.models import BillItem, BillStatus, ItemKind
from hayat.catalog.models import Service, ServiceType
from hayat.clinical import timed
from hayat.clinical.models import TimedUse
from hayat.core.charging import ChargeUnit
from hayat.core.errors import Conflict
from hayat.core.models import AuditEvent


@pytest.fixture
def oxygen(db):
    return Service.objects.create(service_type=ServiceType.objects.create(name="Respiratory"), name="Oxygen",
                                  price=Decimal("2000.00"), charged_by_time=True, charge_unit=ChargeUnit.HOUR)


def use_lines(bill, use) -> list[tuple]:
    return list(BillItem.objects.filter(bill=bill).filter(source_key__in=[f"use:{use.pk}"])
                .values_list("amount", "is_final")) + list(
        BillItem.objects.filter(bill=bill, corrects__source_key=f"use:{use.pk}").values_list("amount", "kind"))


def test_a_billed_start_undone_in_time_is_corrected_not_deleted(bill, admitted, oxygen, nurse, clock):
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    clock.advance(minutes=3)
    jobs.accrue_bed_time()  # the first hour is on the bill already
    line = BillItem.objects.get(bill=bill, source_key=f"use:{use.pk}")
    assert line.amount == Decimal("2000.00")
    timed.undo_start(by=nurse, use=use)
    use.refresh_from_db()
    assert use.is_reversed and use.reversed_by == nurse and not use.is_open
    assert use_lines(bill, use) == [(Decimal("2000.00"), True), (Decimal("-2000.00"), ItemKind.MANUAL)]
    correction = BillItem.objects.get(corrects=line)
    assert "Undone" in correction.description and nurse.full_name in correction.reason
    bill.refresh_from_db()
    assert bill.items_total == sum(item.amount for item in bill.items.all())
    assert not bill.items.filter(kind=ItemKind.TIMED_SERVICE).exclude(pk=line.pk).exists()
    event = AuditEvent.objects.get(action="episode.timed_use_undone", object_id=str(use.pk))
    assert event.patient_id == admitted.patient_id and event.actor_id == nurse.pk
    clock.advance(hours=5)
    jobs.accrue_bed_time()  # the undone use never grows again
    assert use_lines(bill, use) == [(Decimal("2000.00"), True), (Decimal("-2000.00"), ItemKind.MANUAL)]
    timed.undo_start(by=nurse, use=use)  # again: nothing more
    assert BillItem.objects.filter(corrects=line).count() == 1


def test_an_unbilled_start_undone_leaves_no_line_and_the_service_can_start_again(bill, admitted, oxygen, nurse,
                                                                                   clock):
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    clock.advance(minutes=1)
    timed.undo_start(by=nurse, use=use)
    jobs.accrue_bed_time()
    assert not BillItem.objects.filter(bill=bill, source_key=f"use:{use.pk}").exists()
    again = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    assert again.is_open and TimedUse.objects.filter(episode=admitted).count() == 2


def test_another_person_or_too_late_is_refused_and_nothing_changes(bill, admitted, oxygen, nurse, ward, clock,
                                                                   settings):
    settings.HAYAT_UNDO_MINUTES = 5
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    with pytest.raises(Conflict, match="Only the person who started"):
        timed.undo_start(by=ward.doctor, use=use)
    clock.advance(minutes=6)
    with pytest.raises(Conflict, match="more than 5 minutes ago"):
        timed.undo_start(by=nurse, use=use)
    use.refresh_from_db()
    assert use.is_open and not use.is_reversed
    assert not AuditEvent.objects.filter(action="episode.timed_use_undone").exists()


def test_a_paid_bill_refuses_the_undo(bill, admitted, oxygen, nurse, teller, clock):
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    clock.advance(minutes=2)
    jobs.accrue_bed_time()
    bill.refresh_from_db()
    payments.take_payment(by=teller, bill=bill, amount=str(bill.items_total))
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    with pytest.raises(Conflict, match="ask the teller"):
        timed.undo_start(by=nurse, use=use)
    use.refresh_from_db()
    assert not use.is_reversed and use.is_open


def test_the_page_offers_undo_to_the_starter_and_the_api_undoes(bill, admitted, oxygen, nurse, ward, client_as,
                                                                 api_as, clock):
    use = timed.start_use(by=nurse, episode=admitted, service=oxygen)
    page = client_as(nurse).get(admitted.get_absolute_url()).content.decode()
    assert reverse("clinical:timed_use_undo", args=[use.pk]) in page
    assert reverse("clinical:timed_use_undo", args=[use.pk]) not in client_as(ward.doctor).get(
        admitted.get_absolute_url()).content.decode()
    refused = api_as(ward.doctor).post(reverse("timed-use-undo", args=[use.pk]))
    assert refused.status_code == 409 and refused.json()["code"] == "not_starter"
    done = client_as(nurse).post(reverse("clinical:timed_use_undo", args=[use.pk]), follow=True)
    assert "Oxygen undone" in done.content.decode() and "data-undone" in done.content.decode()
    answer = api_as(nurse).post(reverse("timed-use-undo", args=[use.pk]))
    assert answer.status_code == 200 and answer.json()["reversed_by"] == nurse.pk
