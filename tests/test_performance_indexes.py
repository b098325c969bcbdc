"""The indexes that keep the big hospital's pages fast: present on every engine, used by PostgreSQL's planner."""

import pytest
from django.db import connection

from hayat.billing import selectors as billing
from hayat.core.tests.indexes import index_columns, postgresql_plan

pytestmark = pytest.mark.django_db


def test_the_bill_list_reads_bills_newest_first_from_an_index_on_opened_at():
    assert index_columns("billing_bill", "bill_opened") == ["opened_at", "id"]
    if connection.vendor == "postgresql":
        plan = postgresql_plan(billing.bills()[:25])
        assert "bill_opened" in plan and "Sort" not in plan.split("bill_opened")[0]


def test_the_places_held_in_a_window_are_read_from_an_index_on_the_lines_end_date():
    from datetime import date

    from hayat.stays.models import GuestLine

    assert index_columns("stays_guestline", "guest_line_end_start") == ["end_date", "start_date"]
    if connection.vendor == "postgresql":
        held = GuestLine.objects.filter(holds_place=True, start_date__lt=date(2027, 1, 31),
                                        end_date__gt=date(2027, 1, 1)).values("room_id")
        assert "guest_line_end_start" in postgresql_plan(held)


def test_a_one_word_name_search_reads_each_name_in_the_order_of_an_index_that_starts_with_it():
    from hayat.patients import selectors

    assert index_columns("patients_patient", "patient_name_dob") == ["last_name_key", "first_name_key", "birth_date"]
    assert index_columns("patients_patient", "patient_first_last") == ["first_name_key", "last_name_key"]
    assert index_columns("patients_patient", "patient_middle_last") == ["middle_name_key", "last_name_key"]
    if connection.vendor == "postgresql":
        plan = postgresql_plan(selectors.search("yusu")[:25])
        assert all(f"Index Scan using {name}" in plan
                   for name in ("patient_name_dob", "patient_first_last", "patient_middle_last"))
        assert name_key_statistics() == dict.fromkeys(("last_name_key", "first_name_key", "middle_name_key"), 1000)


def test_a_name_search_of_several_words_reads_each_pair_of_names_through_an_index_holding_both():
    from hayat.patients import selectors

    assert index_columns("patients_patient", "patient_first_middle") == ["first_name_key", "middle_name_key"]
    if connection.vendor == "postgresql":
        plan = postgresql_plan(selectors.search("shahnoza yusupova")[:25])
        assert all(f"Index Scan using {name}" in plan
                   for name in ("patient_name_dob", "patient_first_middle", "patient_middle_last"))


def name_key_statistics() -> dict[str, int]:
    """How many values of each name key PostgreSQL keeps (patients migration 0007): with the default 100, a common
    surname's range reads as a few dozen rows and the search sorts 13,000 instead of walking an index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = 'patients_patient'::regclass"
                       " AND attname IN ('last_name_key', 'first_name_key', 'middle_name_key')")
        return dict(cursor.fetchall())



def test_did_you_mean_reads_the_vocabulary_of_names_then_namesakes_through_the_name_index():
    from hayat.patients import selectors, vocabulary
    from hayat.patients.models import NameWord, Patient
    from hayat.patients.tests.factories import PatientFactory

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "patients_nameword")
    assert any(constraint["unique"] and constraint["columns"] == ["key"] for constraint in constraints.values())
    if connection.vendor == "postgresql":
        PatientFactory(first_name="Shahnoza", last_name="Yusupova")
        vocabulary.register_trigram_lookup()
        assert "name_word_key_trgm" in postgresql_plan(NameWord.objects.filter(key__trigram_similar="yusupva"))
        base = Patient.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        pool = selectors.spelled_alike(base, ["yusupva", "shahnosa"])[0]
        # an index that starts with the last or the first name, as the planner likes: on an empty table it may take
        # one holding only the first name (patient_first_middle); at a million patients, patient_first_last
        plan = postgresql_plan(pool)
        assert "Seq Scan" not in plan and plan.split("Index Cond: ", 1)[1].lstrip("(").startswith(
            ("last_name_key", "first_name_key"))
