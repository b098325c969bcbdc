"""Anonymising a patient whose records other apps keep: a booking with its bill, an admitted episode with its
bill (insurance and emergency contact copied onto the episode), a message in the outbox, and another patient's
duplicate decision that names the person.

Afterwards no identifying value of the person is left in any table of any app (history tables, the audit
trail and the outbox included), and every record is still there, pointing at the same patient.
"""

from datetime import date

import pytest
from django.apps import apps
from django.db import models

from hayat.billing.models import Bill, BillItem
from hayat.billing.tests import factories as billing
from hayat.clinical.models import Episode
from hayat.core.models import AuditEvent
from hayat.notifications import outbox
from hayat.notifications.models import Kind, Message
from hayat.patients import services
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.tests.factories import PatientFactory
from hayat.patients.validation import PatientData
from hayat.stays.models import Booking, GuestLine

pytestmark = pytest.mark.django_db

PERSON = PatientData(
    first_name="Shahnoza", last_name="Yusupova", middle_name="Rustamovna", birth_date=date(1986, 3, 14),
    gender="female", mobile="+998901234567", home_phone="+998712345678", email="shahnoza.yu@example.uz",
    address="Chilonzor 9, kv. 14", document_type="passport", document_number="AB1234567", tax_id="TIN-445566",
    philhealth_number="12-345678901-2", hmo_name="Maxicare", hmo_number="HMO-778899",
    emergency_contact_name="Dilshod Yusupov", emergency_contact_phone="+998907654321", notes="Allergic to penicillin",
)
# What must not be found anywhere afterwards (phones also as digits and as shown to people).
IDENTIFYING = ["Shahnoza", "Yusupova", "Rustamovna", "998901234567", "90 123 45 67", "998712345678",
               "shahnoza.yu@example.uz", "Chilonzor", "AB1234567", "TIN-445566", "123456789012", "Maxicare",
               "HMO-778899", "Dilshod", "998907654321", "90 765 43 21", "1986-03-14"]


def stored_text_containing(values: list[str]) -> list[str]:
    """"app.Model#pk field: value" for every text or JSON value of every Hayat table that holds one of `values`."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("hayat."):
            continue
        columns = [field.attname for field in model._meta.concrete_fields
                   if isinstance(field, models.CharField | models.TextField | models.JSONField)]
        if not columns:
            continue
        for row in model._base_manager.values_list("pk", *columns):
            for column, value in zip(columns, row[1:], strict=True):
                text = str(value)
                found += [f"{model._meta.label}#{row[0]} {column}: {text[:80]}" for wanted in values if wanted in text]
    return found


@pytest.fixture
def person(clock, receptionist, doctor, coder):
    patient = services.register_patient(by=receptionist, data=PATIENT_DATA())
    booking = billing.stay(receptionist, patient, start=date(2026, 12, 1))
    episode = billing.admit(patient, billing.hospital_room("301").beds.first(), doctor=doctor, by=coder)
    outbox.queue(kind=Kind.WAITLIST_OFFER, event_key="waitlist:1:offer", patient=patient,
                 values=lambda language: {"arrival": "1 December", "departure": "5 December"})
    other = PatientFactory(first_name="Gulnoza", last_name="Karimova")
    DuplicateDecision.objects.create(patient=other, context="create", candidate_ids=[patient.pk],
                                     reason="Not Shahnoza Yusupova (AB1234567): her twin sister",
                                     decided_at=clock.now())
    return patient, booking, episode, other


def PATIENT_DATA() -> PatientData:  # noqa: N802 - a fresh copy of the constant for each registration
    return PatientData(**vars(PERSON))


def test_the_scenario_holds_the_values_before_anonymising(person):
    patient, booking, episode, _other = person
    episode.refresh_from_db()
    assert (episode.insurance_philhealth_number, episode.emergency_contact_name) == ("123456789012", "Dilshod Yusupov")
    assert any("Yusupova Shahnoza" in item.description for item in BillItem.objects.filter(bill__booking=booking))
    assert stored_text_containing(["Maxicare", "998907654321", "Yusupova Shahnoza"])


def test_anonymising_leaves_no_identifying_value_in_any_app(person, admin_user):
    patient, *_ = person
    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")
    assert stored_text_containing(IDENTIFYING) == []


def test_anonymising_keeps_the_booking_episode_and_bills_consistent(person, admin_user):
    patient, booking, episode, other = person
    bills = {bill.pk: (bill.number, bill.items_total) for bill in Bill.objects.filter(patient=patient)}
    items = BillItem.objects.filter(bill__patient=patient).count()

    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")

    patient.refresh_from_db()
    episode = Episode.objects.get(pk=episode.pk)
    assert episode.patient_id == patient.pk and episode.status == "admitted"
    assert (episode.insurance_philhealth_number, episode.insurance_hmo_name, episode.insurance_hmo_number,
            episode.emergency_contact_name, episode.emergency_contact_phone) == ("", "", "", "", "")
    assert set(GuestLine.objects.filter(booking=booking).values_list("patient_id", flat=True)) == {patient.pk}
    assert Booking.objects.get(pk=booking.pk).status == booking.status
    assert {bill.pk: (bill.number, bill.items_total) for bill in Bill.objects.filter(patient=patient)} == bills
    assert BillItem.objects.filter(bill__patient=patient).count() == items
    stay_line = BillItem.objects.filter(bill__booking=booking).order_by("pk").first()
    assert patient.full_name in stay_line.description
    messages = Message.objects.filter(patient_id=patient.pk)  # the waitlist offer and the booking's confirmation
    assert {(message.recipient, message.body) for message in messages} == {("(anonymised)", "(anonymised)")}
    assert messages.filter(kind=Kind.WAITLIST_OFFER).exists()
    decision = DuplicateDecision.objects.get(patient=other)
    assert decision.candidate_ids == [patient.pk] and "Yusupova" not in decision.reason
    assert Episode.history.filter(id=episode.pk).exists()


def test_the_episode_registration_audit_keeps_no_insurance_number(person, admin_user):
    patient, _booking, episode, _other = person
    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")
    registration = AuditEvent.objects.get(action="episode.register", object_id=str(episode.pk))
    assert registration.changes["insurance_philhealth_number"] == "(anonymised)"
    assert registration.changes["reason_for_visit"] == [None, "Chest pain since this morning"]


def test_records_merged_into_the_patient_are_scrubbed_in_other_apps_too(person, admin_user, receptionist):
    from hayat.patients import merging

    patient, *_ = person
    earlier = services.register_patient(by=receptionist, create_anyway=True, reason="not sure", data=PatientData(
        first_name="Shakhnoza", last_name="Iusupova", mobile="+998935551122", emergency_contact_phone="+998935551133"))
    billing.stay(receptionist, earlier, start=date(2027, 1, 10), room_name="102")
    merging.merge(by=admin_user, survivor=patient, merged=earlier, reason="same person")

    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")

    assert stored_text_containing([*IDENTIFYING, "Iusupova", "Shakhnoza", "998935551122", "998935551133"]) == []
    assert Patient.objects.get(pk=earlier.pk).merged_into_id == patient.pk


def test_anonymising_keeps_the_sealed_audit_trail_verifiable(person, admin_user):
    from hayat.core import audit_chain

    patient, *_ = person
    audit_chain.seal_pending()
    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")
    verdict = audit_chain.verify()
    assert verdict.intact and verdict.pending > 0
    rewritten = set().union(*(event.changes["events"] for event in AuditEvent.objects.filter(action="audit.rewrite")))
    assert rewritten  # the registration's audit held her names: rewritten, so no longer what was sealed
    for event in AuditEvent.objects.filter(pk__in=rewritten):
        assert audit_chain.detail_digest(event.changes, event.note) != event.detail_digest
    audit_chain.seal_pending()
    assert audit_chain.verify().intact
