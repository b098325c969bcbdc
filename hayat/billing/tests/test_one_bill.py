"""One bill per booking and per episode: held by the database on every engine, and by `bill_for` under a race."""

import pytest
from django.db import IntegrityError, connection, transaction

from hayat.billing import services
from hayat.billing.models import Bill, BillItem
from hayat.billing.tests import factories
from hayat.core import clock
from hayat.core.tests.concurrency import run_in_parallel


def second_bill(**source) -> None:
    with transaction.atomic():
        Bill.objects.create(number=f"INV-T-{Bill.objects.count() + 1:06d}", patient=factories.PatientFactory(),
                            opened_at=clock.now(), **source)


def test_the_database_refuses_a_second_bill_for_an_episode_or_a_booking(bill, admitted, receptionist, clock):
    booking = factories.stay(receptionist, factories.PatientFactory(), start=clock.now().date())
    for source in ({"episode": admitted}, {"booking": booking}, {}, {"episode": admitted, "booking": booking}):
        with pytest.raises(IntegrityError):
            second_bill(**source)
    assert Bill.objects.filter(episode=admitted).count() == 1 and Bill.objects.filter(booking=booking).count() == 1


def test_opening_again_finds_the_bill_and_a_returning_patient_gets_a_new_one(bill, admitted, ward):
    assert services.bill_for(episode=admitted).pk == bill.pk
    factories.discharge(admitted, by=ward.doctor)
    returning = factories.admit(ward.patient, ward.bed2, doctor=ward.doctor, by=ward.coder)
    assert services.bill_for(episode=returning).pk != bill.pk
    assert Bill.objects.filter(patient=ward.patient).count() == 2


@pytest.mark.django_db(transaction=True)
def test_callers_opening_a_missing_bill_at_once_get_the_same_one(doctor, coder, clock):
    room = factories.hospital_room("601", beds=1)
    episode = factories.admit(factories.PatientFactory(), room.beds.get(), doctor=doctor, by=coder)
    missing = factories.bill_of(episode)
    BillItem.objects.filter(bill=missing).delete()
    missing.status_changes.all().delete()
    missing.delete()

    outcomes = run_in_parallel(lambda index: services.bill_for(episode=episode), 4)
    assert all(isinstance(outcome, Bill) for outcome in outcomes), outcomes
    (bill,) = Bill.objects.filter(episode=episode)
    assert {outcome.pk for outcome in outcomes} == {bill.pk}
    assert list(bill.status_changes.values_list("to_status", flat=True)) == ["pending"]
    connection.close()
