"""Merging: every row of every app that points at the merged record moves to the survivor, audited, undoable.

The `later_app` fixture creates, for one test, tables as another app written later would (a foreign key,
a one-to-one, a one-per-patient unique key and a many-to-many), to prove the merge finds relations at
run time rather than from a list.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.utils import timezone

from hayat.core.errors import Conflict, DomainError
from hayat.core.models import AuditEvent
from hayat.patients import merging
from hayat.patients.models import DuplicateDecision, Patient
from hayat.patients.relations import patient_relations
from hayat.patients.tests.factories import DistrictFactory, PatientFactory


class LaterApp:
    def __init__(self, visit, card, enrolment, group):
        self.Visit, self.Card, self.Enrolment, self.Group = visit, card, enrolment, group


@pytest.fixture
def later_app(transactional_db):
    class Visit(models.Model):
        patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="test_visits")
        note = models.CharField(max_length=20, default="")

        class Meta:
            app_label = "patients"
            db_table = "test_later_visit"

        def __str__(self):
            return self.note

    class Card(models.Model):
        patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="test_card")

        class Meta:
            app_label = "patients"
            db_table = "test_later_card"

        def __str__(self):
            return str(self.patient_id)

    class Enrolment(models.Model):
        patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="test_enrolments")
        programme = models.CharField(max_length=20)

        class Meta:
            app_label = "patients"
            db_table = "test_later_enrolment"
            constraints = [models.UniqueConstraint(fields=["patient", "programme"], name="test_one_enrolment")]

        def __str__(self):
            return self.programme

    class Group(models.Model):
        members = models.ManyToManyField(Patient, related_name="test_groups")

        class Meta:
            app_label = "patients"
            db_table = "test_later_group"

        def __str__(self):
            return str(self.pk)

    created = [Visit, Card, Enrolment, Group]
    with connection.schema_editor() as editor:
        for model in created:
            editor.create_model(model)
    apps.clear_cache()
    try:
        yield LaterApp(Visit, Card, Enrolment, Group)
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(created):
                editor.delete_model(model)
        for model in [*created, Group.members.through]:
            apps.all_models["patients"].pop(model._meta.model_name, None)
        apps.clear_cache()


def test_merge_moves_every_related_row_of_every_app(later_app, receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    visits = [later_app.Visit.objects.create(patient=merged) for _ in range(3)]
    card = later_app.Card.objects.create(patient=merged)
    enrolment = later_app.Enrolment.objects.create(patient=merged, programme="diabetes")
    group = later_app.Group.objects.create()
    group.members.add(merged)
    decision = DuplicateDecision.objects.create(patient=merged, context="create", reason="x", decided_at=timezone.now())
    earlier = PatientFactory(merged_into=merged, is_active=False)

    event = merging.merge(by=receptionist, survivor=survivor, merged=merged, reason="same person")

    assert {visit.patient_id for visit in later_app.Visit.objects.filter(pk__in=[v.pk for v in visits])} == {
        survivor.pk}
    assert later_app.Card.objects.get(pk=card.pk).patient_id == survivor.pk
    assert later_app.Enrolment.objects.get(pk=enrolment.pk).patient_id == survivor.pk
    assert list(group.members.all()) == [survivor]
    assert DuplicateDecision.objects.get(pk=decision.pk).patient_id == survivor.pk
    assert Patient.objects.get(pk=earlier.pk).merged_into_id == survivor.pk  # no chains of pointers
    for relation in patient_relations():
        assert not relation.rows_of(merged).exists(), relation.label
    merged.refresh_from_db()
    assert (merged.merged_into_id, merged.is_active, merged.status) == (survivor.pk, False, "merged")
    moved = {entry["model"]: entry["ids"] for entry in event.changes["moved"]}
    assert moved["patients.Visit"] == [visit.pk for visit in visits]
    assert moved["patients.Card"] == [card.pk]
    assert (event.action, event.note, event.patient_id) == ("patient.merge", "same person", merged.pk)


def test_unmerge_moves_back_exactly_what_the_merge_moved(later_app, receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    old_visit = later_app.Visit.objects.create(patient=merged)
    survivors_own = later_app.Visit.objects.create(patient=survivor)
    group = later_app.Group.objects.create()
    group.members.add(merged)
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    after_merge = later_app.Visit.objects.create(patient=survivor, note="after")

    merging.unmerge(by=receptionist, merged=merged, reason="different people after all")

    assert later_app.Visit.objects.get(pk=old_visit.pk).patient_id == merged.pk
    assert later_app.Visit.objects.get(pk=survivors_own.pk).patient_id == survivor.pk
    assert later_app.Visit.objects.get(pk=after_merge.pk).patient_id == survivor.pk
    assert list(group.members.all()) == [merged]
    merged.refresh_from_db()
    assert (merged.merged_into_id, merged.is_active) == (None, True)
    undo = AuditEvent.objects.get(action="patient.unmerge")
    moved_back = {entry["model"]: entry["ids"] for entry in undo.changes["moved_back"]}
    assert moved_back["patients.Visit"] == [old_visit.pk]
    assert undo.note == "different people after all"


def test_merge_refuses_two_records_allowed_once_per_patient_and_changes_nothing(later_app, receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    later_app.Card.objects.create(patient=survivor)
    later_app.Card.objects.create(patient=merged)
    visit = later_app.Visit.objects.create(patient=merged)
    with pytest.raises(Conflict) as refused:
        merging.merge(by=receptionist, survivor=survivor, merged=merged)
    assert refused.value.code == "merge_collision"
    assert later_app.Visit.objects.get(pk=visit.pk).patient_id == merged.pk
    assert Patient.objects.get(pk=merged.pk).merged_into_id is None
    assert not AuditEvent.objects.filter(action="patient.merge").exists()


def test_merge_refuses_a_unique_key_collision(later_app, receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    later_app.Enrolment.objects.create(patient=survivor, programme="diabetes")
    later_app.Enrolment.objects.create(patient=merged, programme="diabetes")
    with pytest.raises(Conflict, match="resolve that before merging"):
        merging.merge(by=receptionist, survivor=survivor, merged=merged)


@pytest.mark.django_db
def test_merge_fills_blank_fields_of_the_survivor_and_unmerge_clears_them(receptionist):
    district = DistrictFactory()
    survivor = PatientFactory(mobile="", email="")
    merged = PatientFactory(mobile="+998901234567", email="a@b.uz", region=district.region, district=district,
                            document_type="passport", document_number="AB1234567")
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    survivor.refresh_from_db()
    assert (survivor.mobile, survivor.email, survivor.district, survivor.document_number) == (
        "+998901234567", "a@b.uz", district, "AB1234567")
    merging.unmerge(by=receptionist, merged=merged)
    survivor.refresh_from_db()
    assert (survivor.mobile, survivor.email, survivor.district, survivor.document_number) == ("", "", None, "")


@pytest.mark.django_db
def test_unmerge_keeps_a_filled_field_someone_changed_since(receptionist):
    survivor, merged = PatientFactory(email=""), PatientFactory(email="old@b.uz")
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    Patient.objects.filter(pk=survivor.pk).update(email="new@b.uz")
    merging.unmerge(by=receptionist, merged=merged)
    assert Patient.objects.get(pk=survivor.pk).email == "new@b.uz"


@pytest.mark.django_db
def test_merge_without_filling_leaves_the_survivor_as_it_was(receptionist):
    survivor, merged = PatientFactory(mobile=""), PatientFactory(mobile="+998901234567")
    merging.merge(by=receptionist, survivor=survivor, merged=merged, fill_blanks=False)
    assert Patient.objects.get(pk=survivor.pk).mobile == ""


@pytest.mark.django_db
def test_a_patient_cannot_be_merged_into_itself(receptionist):
    patient = PatientFactory()
    with pytest.raises(DomainError):
        merging.merge(by=receptionist, survivor=patient, merged=patient)


@pytest.mark.django_db
def test_merged_or_anonymised_records_cannot_take_part(receptionist):
    survivor = PatientFactory()
    pointer = PatientFactory(merged_into=survivor, is_active=False)
    anonymised = PatientFactory(anonymised_at=timezone.now(), is_active=False)
    for one, other in [(survivor, pointer), (pointer, survivor), (survivor, anonymised)]:
        with pytest.raises(Conflict):
            merging.merge(by=receptionist, survivor=one, merged=other)


@pytest.mark.django_db
def test_doctors_cannot_merge(doctor):
    with pytest.raises(PermissionDenied):
        merging.merge(by=doctor, survivor=PatientFactory(), merged=PatientFactory())


@pytest.mark.django_db
def test_a_merged_chain_unmerges_step_by_step(receptionist):
    first, second, third = PatientFactory(), PatientFactory(), PatientFactory(birth_date=date(2000, 1, 1))
    merging.merge(by=receptionist, survivor=second, merged=third)
    merging.merge(by=receptionist, survivor=first, merged=second)
    assert Patient.objects.get(pk=third.pk).merged_into_id == first.pk
    merging.unmerge(by=receptionist, merged=second)
    assert Patient.objects.get(pk=third.pk).merged_into_id == second.pk
    assert Patient.objects.get(pk=second.pk).merged_into_id is None


@pytest.mark.django_db
def test_unmerge_of_a_record_that_was_never_merged_is_refused(receptionist):
    with pytest.raises(Conflict):
        merging.unmerge(by=receptionist, merged=PatientFactory())


@pytest.mark.django_db
def test_an_inactive_record_stays_inactive_after_unmerge(receptionist):
    survivor, merged = PatientFactory(), PatientFactory(is_active=False)
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    merging.unmerge(by=receptionist, merged=merged)
    assert Patient.objects.get(pk=merged.pk).is_active is False


@pytest.mark.django_db
def test_unmerge_is_refused_once_the_survivor_was_anonymised_and_nothing_revives(receptionist, admin_user):
    from hayat.patients import services

    survivor, merged = PatientFactory(mobile=""), PatientFactory(mobile="+998901234567")
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    services.anonymise(by=admin_user, patient=survivor, reason="request 2026/17")

    with pytest.raises(Conflict) as refused:
        merging.unmerge(by=admin_user, merged=merged)

    assert refused.value.code == "patient_anonymised" and "cannot be undone" in refused.value.message
    merged.refresh_from_db()
    assert (merged.merged_into_id, merged.is_active, merged.mobile) == (survivor.pk, False, "")
    assert not AuditEvent.objects.filter(action="patient.unmerge").exists()


@pytest.mark.django_db
def test_unmerge_is_refused_when_the_merged_record_itself_was_anonymised(receptionist, admin_user):
    from hayat.patients import services

    survivor, merged = PatientFactory(), PatientFactory()
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    services.anonymise(by=admin_user, patient=merged, reason="request 2026/18")

    with pytest.raises(Conflict, match="anonymised"):
        merging.unmerge(by=admin_user, merged=merged)
    assert Patient.objects.get(pk=merged.pk).merged_into_id == survivor.pk


@pytest.mark.django_db
def test_unmerge_reads_a_scrubbed_merge_record_without_failing(receptionist):
    survivor, merged = PatientFactory(mobile=""), PatientFactory(mobile="+998901234567")
    event = merging.merge(by=receptionist, survivor=survivor, merged=merged)
    event.changes["filled"] = {"mobile": "(anonymised)", "email": "(anonymised)"}
    event.save(update_fields=["changes"])

    merging.unmerge(by=receptionist, merged=merged)

    assert Patient.objects.get(pk=merged.pk).merged_into_id is None
    assert Patient.objects.get(pk=survivor.pk).mobile == "+998901234567"  # not restorable: left as it is


@pytest.mark.django_db
def test_unmerge_refuses_an_unreadable_list_of_moved_rows(receptionist):
    survivor, merged = PatientFactory(), PatientFactory()
    event = merging.merge(by=receptionist, survivor=survivor, merged=merged)
    event.changes["moved"] = "(anonymised)"
    event.save(update_fields=["changes"])

    with pytest.raises(Conflict) as refused:
        merging.unmerge(by=receptionist, merged=merged)
    assert refused.value.code == "merge_record_missing"
