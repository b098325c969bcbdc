"""The vocabulary of names "did you mean" searches: kept by every write of a patient, and searched by spelling."""

from datetime import date

import pytest

from hayat.patients import merging, services, vocabulary
from hayat.patients.models import NameWord, Patient
from hayat.patients.tests.factories import PatientFactory
from hayat.patients.validation import PatientData

pytestmark = pytest.mark.django_db


def words() -> dict[str, int]:
    return dict(NameWord.objects.values_list("key", "patients"))


def register(by, first_name: str, last_name: str, middle_name: str = "") -> Patient:
    return services.register_patient(by=by, data=PatientData(first_name=first_name, last_name=last_name,
                                                             middle_name=middle_name, birth_date=date(1986, 3, 14)),
                                     create_anyway=True, reason="a namesake")


def test_registering_editing_and_deleting_patients_counts_the_words_of_their_names(receptionist, admin_user):
    register(receptionist, "Шахноза", "Юсупова", "Акмаловна")
    sevara = register(receptionist, "Sevara", "Yusupova")
    assert words() == {"shahnoza": 1, "yusupova": 2, "akmalovna": 1, "sevara": 1}
    services.update_patient(by=receptionist, patient=sevara, data=PatientData(
        first_name="Sevara", last_name="Karimova", birth_date=date(1986, 3, 14)))
    assert words() == {"shahnoza": 1, "yusupova": 1, "akmalovna": 1, "sevara": 1, "karimova": 1}
    services.delete_patient(by=admin_user, patient=sevara, reason="registered by mistake")
    assert words() == {"shahnoza": 1, "yusupova": 1, "akmalovna": 1}
    assert words() == rebuilt(), "the counts kept by the writes are the counts of the patients"


def test_an_anonymised_patient_leaves_no_word_of_their_name_behind(receptionist, admin_user):
    patient = register(receptionist, "Oydin", "Qurbonova", "Ergashevna")
    register(receptionist, "Lola", "Qurbonova")
    services.anonymise(by=admin_user, patient=patient, reason="request 2026/17")
    assert not {"oydin", "ergashevna"} & set(words())
    assert words()["kurbonova"] == 1 and words() == rebuilt()


def test_a_merge_counts_the_middle_name_it_fills_in(receptionist):
    survivor = PatientFactory(first_name="Lola", last_name="Karimova", middle_name="")
    merged = PatientFactory(first_name="Lola", last_name="Karimova", middle_name="Anvarovna")
    merging.merge(by=receptionist, survivor=survivor, merged=merged)
    assert words() == {"lola": 2, "karimova": 2, "anvarovna": 2} == rebuilt()


def test_a_name_written_twice_in_one_patient_is_counted_twice(receptionist):
    patient = PatientFactory(first_name="Abdulla", last_name="Abdulla", middle_name="")
    assert words() == {"abdula": 2}
    patient.last_name = "Abdullaev"
    patient.save()
    assert words() == {"abdula": 1, "abdulaev": 1} == rebuilt()


def test_the_nearest_spellings_of_a_word_come_from_the_vocabulary_best_first():
    for last_name in ["Yusupova", "Yusupov", "Yusbekova", "Karimova"]:
        PatientFactory(first_name="Lola", last_name=last_name)
    assert vocabulary.spellings("yusupva") == ["yusupova", "yusupov"]
    assert vocabulary.spellings("karimova") == ["karimova"]
    assert vocabulary.spellings("lolla")[0] == "lola"


def rebuilt() -> dict[str, int]:
    kept = words()
    vocabulary.rebuild(Patient, NameWord)
    counted = words()
    assert kept == counted
    return counted


def test_a_word_whose_last_holder_goes_at_the_same_moment_is_counted_again(receptionist, monkeypatch):
    """Another transaction removes the word's last holder (and its row) just after this registration found the row
    there: the registration writes the row again instead of counting into nothing."""
    leaving = PatientFactory(first_name="Gulnora", last_name="Rahimova", middle_name="")
    insert = NameWord.objects.bulk_create

    def insert_then_the_other_removal_commits(rows, **options):
        found = insert(rows, **options)
        if leaving.pk is not None:
            leaving.delete()
        return found

    monkeypatch.setattr(NameWord.objects, "bulk_create", insert_then_the_other_removal_commits)
    register(receptionist, "Gulnora", "Rahimova")
    assert words() == {"gulnora": 1, "rahimova": 1} == rebuilt()
