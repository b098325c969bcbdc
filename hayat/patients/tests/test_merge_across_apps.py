"""Merging with the real records of the apps above patients: a stay, an episode with its bill, a lab result, a deposit.

Patients never imports these apps; the merge finds their foreign keys at run time. This test builds each
record through its own app's code and checks that nothing is left pointing at the merged record.
"""

from datetime import date

import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges

from hayat.billing import payments
from hayat.billing.models import Bill, Payment
from hayat.billing.tests import factories as billing
from hayat.clinical.models import Episode
from hayat.core.errors import Conflict
from hayat.lab.models import LabResult
from hayat.lab.tests.factories import make_result
from hayat.patients import merging
from hayat.patients.models import Patient
from hayat.patients.relations import patient_relations
from hayat.stays import sessions
from hayat.stays.models import GuestLine, ServiceUsage, SessionAllowance
from hayat.stays.tests.factories import make_room
from hayat.stays.tests.stay_factories import checked_in, make_service, tariff_with_sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(clock, receptionist, doctor, coder, teller):
    """The merged record's stay (with its bill), admitted episode (with its bill), lab result and deposit."""
    merged = billing.PatientFactory()
    booking = billing.stay(receptionist, merged, start=date(2026, 12, 1))
    episode = billing.admit(merged, billing.hospital_room("301").beds.first(), doctor=doctor, by=coder)
    result = make_result(by=doctor, patient=merged)
    deposit = payments.take_deposit(by=teller, patient=merged, amount="50000")
    return merged, booking, episode, result, deposit


def test_a_merge_moves_the_stay_episode_bills_lab_result_and_deposit(records, receptionist):
    merged, booking, episode, result, deposit = records
    survivor = billing.PatientFactory()

    event = merging.merge(by=receptionist, survivor=survivor, merged=merged, reason="same person")

    assert set(GuestLine.objects.filter(booking=booking).values_list("patient_id", flat=True)) == {survivor.pk}
    assert Episode.objects.get(pk=episode.pk).patient_id == survivor.pk
    assert set(Bill.objects.filter(pk__in=[billing.bill_of(booking).pk, billing.bill_of(episode).pk])
               .values_list("patient_id", flat=True)) == {survivor.pk}
    assert LabResult.objects.get(pk=result.pk).patient_id == survivor.pk
    assert Payment.objects.get(pk=deposit.pk).patient_id == survivor.pk
    for relation in patient_relations():
        assert not relation.rows_of(merged).exists(), relation.label
    moved = {entry["model"] for entry in event.changes["moved"]}
    assert {"stays.GuestLine", "clinical.Episode", "billing.Bill", "lab.LabResult", "billing.Payment"} <= moved


def test_an_unmerge_gives_every_record_back(records, receptionist):
    merged, booking, episode, result, deposit = records
    survivor = billing.PatientFactory()
    merging.merge(by=receptionist, survivor=survivor, merged=merged)

    merging.unmerge(by=receptionist, merged=merged)

    assert set(GuestLine.objects.filter(booking=booking).values_list("patient_id", flat=True)) == {merged.pk}
    assert Episode.objects.get(pk=episode.pk).patient_id == merged.pk
    assert Bill.objects.get(pk=billing.bill_of(episode).pk).patient_id == merged.pk
    assert LabResult.objects.get(pk=result.pk).patient_id == merged.pk
    assert Payment.objects.get(pk=deposit.pk).patient_id == merged.pk
    assert not any(relation.rows_of(survivor).exists() for relation in patient_relations()
                   if relation.model is not Patient)


def test_every_key_to_patient_in_the_model_graph_is_moved_by_a_merge():
    """Walks every model of every app: a new foreign key to Patient that the merge would not move fails here."""
    keys = {f"{model._meta.label}.{field.name}"
            for model in apps.get_models(include_auto_created=True) if not issubclass(model, HistoricalChanges)
            for field in model._meta.concrete_fields if field.is_relation and field.related_model is Patient}
    assert {"stays.SessionAllowance.patient", "stays.ServiceUsage.patient", "billing.Bill.patient"} <= keys
    assert keys == {relation.label for relation in patient_relations()}


def test_a_merge_moves_the_included_sessions_and_the_services_used(clock, receptionist, doctor, nurse):
    merged, survivor = billing.PatientFactory(), billing.PatientFactory()
    massage = make_service("Massage", "80000")
    booking = checked_in(receptionist, doctor, guests=[(merged, make_room("201"), tariff_with_sessions(
        sessions={massage: 3}))], start=clock.now().date())
    usage = sessions.record_session(by=nurse, booking=booking, patient=merged, service=massage)

    merging.merge(by=receptionist, survivor=survivor, merged=merged)

    assert set(SessionAllowance.objects.filter(booking=booking).values_list("patient_id", flat=True)) == {survivor.pk}
    assert ServiceUsage.objects.get(pk=usage.pk).patient_id == survivor.pk
    merging.unmerge(by=receptionist, merged=merged)
    assert ServiceUsage.objects.get(pk=usage.pk).patient_id == merged.pk


def test_two_stays_on_the_same_nights_refuse_the_merge_on_every_engine(records, receptionist):
    merged, booking, *_ = records
    survivor = billing.PatientFactory()
    billing.stay(receptionist, survivor, start=date(2026, 12, 3), room_name="102")

    with pytest.raises(Conflict) as refused:
        merging.merge(by=receptionist, survivor=survivor, merged=merged)

    assert refused.value.code == "merge_overlapping_stays"
    assert booking.number in refused.value.message
    assert set(GuestLine.objects.filter(booking=booking).values_list("patient_id", flat=True)) == {merged.pk}
    assert Patient.objects.get(pk=merged.pk).merged_into_id is None


def test_stays_on_other_nights_do_not_stop_the_merge(records, receptionist):
    merged, booking, *_ = records
    survivor = billing.PatientFactory()
    billing.stay(receptionist, survivor, start=date(2026, 12, 4), room_name="102")  # arrives as the other leaves

    merging.merge(by=receptionist, survivor=survivor, merged=merged)

    assert GuestLine.objects.filter(patient=survivor).count() == 2
