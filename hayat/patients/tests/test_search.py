"""Search: one box for names (any order, any script), phone, code, document, email; filters; query counts."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from hayat.core.roles import Role
from hayat.patients import hooks, selectors
from hayat.patients.models import Gender, Patient
from hayat.patients.names import fill_search_keys
from hayat.patients.selectors import PatientFilters
from hayat.patients.tests.factories import DistrictFactory, PatientFactory, code_for

pytestmark = pytest.mark.django_db


def found(query="", **filters):
    return set(selectors.search(query, PatientFilters(**filters)).values_list("pk", flat=True))


@pytest.fixture
def shahnoza():
    return PatientFactory(first_name="Шахноза", last_name="Юсупова", middle_name="Акмаловна",
                          birth_date=date(1986, 3, 14), mobile="+998901234567", document_type="passport",
                          document_number="AB1234567", email="shahnoza@example.uz")


@pytest.fixture
def bobur():
    return PatientFactory(first_name="Bobur", last_name="Karimov", birth_date=date(1979, 11, 2),
                          mobile="+998935550112", gender=Gender.MALE)


@pytest.mark.parametrize("query", ["Юсупова", "yusupova", "YUSU", "shakhnoza yusupova", "Iusupova Shaxnoza",
                                   "akmalovna yus", "Шахноза Акмаловна Юсупова", "shahnoza"])
def test_name_parts_in_any_order_and_script_find_her(shahnoza, bobur, query):
    assert found(query) == {shahnoza.pk}


def test_every_word_must_match_a_name_part(shahnoza):
    assert found("yusupova bobur") == set()


@pytest.mark.parametrize("query", ["90 123 45 67", "+998901234567", "901234567", "4567", "45-67", "1234567"])
def test_a_full_number_or_its_last_digits_find_her(shahnoza, bobur, query):
    assert found(query) == {shahnoza.pk}


def test_digits_from_the_middle_of_a_number_match_on_postgresql_only(shahnoza, engine):
    assert found("12345") == ({shahnoza.pk} if engine == "postgresql" else set())


def test_postgresql_has_trigram_indexes_on_the_searched_text_and_phone_digits_and_other_engines_none(engine):
    trigram_indexes = ("patient_search_text_trgm", "patient_phone_digits_trgm")
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "patients_patient")
    if engine != "postgresql":
        assert not set(trigram_indexes) & set(indexes)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'patients_patient'")
        definitions = dict(cursor.fetchall())
    for name, column in zip(trigram_indexes, ("search_text", "phone_digits"), strict=True):
        assert "USING gin" in definitions[name] and f"{column} gin_trgm_ops" in definitions[name]


def test_home_phone_digits_find_her(shahnoza):
    Patient.objects.filter(pk=shahnoza.pk).update(home_phone="+998712345678", home_phone_tail="876543217899")
    assert found("2345678") == {shahnoza.pk}


def test_prefixes_ending_in_z_or_9_match_on_every_collation():
    aziz = PatientFactory(first_name="Aziz", last_name="Rahimov", mobile="+998901234569")
    PatientFactory(first_name="Azamat", last_name="Rahimov", mobile="+998901234560")
    assert found("aziz") == {aziz.pk}
    assert found("4569") == {aziz.pk}


def test_following_prefix_carries_past_z_and_9():
    from hayat.patients.duplicates import following

    assert (following("yus"), following("yuz"), following("zz"), following("129"), following("99")) == (
        "yut", "yv", "", "13", "")


def test_code_finds_the_patient_in_any_case(shahnoza, bobur):
    assert found(shahnoza.code.lower()) == {shahnoza.pk}


def test_document_number_however_typed(shahnoza, bobur):
    assert found("ab 123 45 67") == {shahnoza.pk}


def test_document_number_typed_with_cyrillic_look_alike_letters(shahnoza, bobur):
    assert found("АВ 123 45 67") == {shahnoza.pk}


def test_email(shahnoza, bobur):
    assert found("Shahnoza@Example.uz") == {shahnoza.pk}


def test_empty_query_lists_newest_first(shahnoza, bobur):
    assert list(selectors.search("").values_list("pk", flat=True)) == [bobur.pk, shahnoza.pk]


def test_merged_records_are_hidden_unless_asked_for_or_found_by_code(shahnoza, bobur):
    pointer = PatientFactory(first_name="Shahnoza", last_name="Yusupova", merged_into=shahnoza, is_active=False)
    assert found("yusupova") == {shahnoza.pk}
    assert found("yusupova", status="merged") == {pointer.pk}
    assert found(pointer.code) == {pointer.pk}


def test_gender_and_status_filters(shahnoza, bobur):
    Patient.objects.filter(pk=bobur.pk).update(is_active=False)
    assert found(gender="male") == {bobur.pk}
    assert found(status="active") == {shahnoza.pk}
    assert found(status="inactive") == {bobur.pk}


def test_age_range_uses_birthdays(clock):
    turned_40_today = PatientFactory(birth_date=date(1986, 11, 21))
    turns_40_tomorrow = PatientFactory(birth_date=date(1986, 11, 22))
    assert found(age_min=40) == {turned_40_today.pk}
    assert found(age_max=39) == {turns_40_tomorrow.pk}
    assert found(age_min=39, age_max=40) == {turned_40_today.pk, turns_40_tomorrow.pk}


def test_region_and_district_filters(shahnoza):
    district = DistrictFactory()
    there = PatientFactory(region=district.region, district=district)
    same_region = PatientFactory(region=district.region)
    assert found(region=district.region.pk) == {there.pk, same_region.pk}
    assert found(district=district.pk) == {there.pk}


def test_registered_between_includes_both_days(shahnoza, bobur):
    moment = timezone.make_aware(datetime(2026, 5, 31, 23, 30))
    Patient.objects.filter(pk=shahnoza.pk).update(created_at=moment)
    Patient.objects.filter(pk=bobur.pk).update(created_at=timezone.make_aware(datetime(2026, 6, 1, 0, 30)))
    assert found(registered_from=date(2026, 6, 1)) == {bobur.pk}
    assert found(registered_to=date(2026, 5, 31)) == {shahnoza.pk}
    assert found(registered_from=date(2026, 5, 31), registered_to=date(2026, 6, 1)) == {shahnoza.pk, bobur.pk}


@pytest.fixture
def visits(monkeypatch, shahnoza, bobur):
    """A stays app as it will plug in: Shahnoza stays now and visited in March; Bobur visited in January and May."""
    stays = {shahnoza.pk}
    visited = {shahnoza.pk: [date(2026, 3, 10), date(2026, 11, 20)], bobur.pk: [date(2026, 1, 5), date(2026, 5, 2)]}

    def with_active_stay(*, on):
        return Patient.objects.filter(pk__in=stays).values("pk")

    def visited_between(*, start, end):
        ids = [pk for pk, days in visited.items()
               if any((start is None or day >= start) and (end is None or day <= end) for day in days)]
        return Patient.objects.filter(pk__in=ids).values("pk")

    def matching_number(*, text):
        if text == "BK-20261121-0001":
            return Patient.objects.filter(pk=bobur.pk).values("pk")
        return Patient.objects.none()

    available = {"with_active_stay": with_active_stay, "visited_between": visited_between,
                 "matching_number": matching_number}
    monkeypatch.setattr(hooks, "providers", lambda name: [available[name]] if name in available else [])


def test_active_stay_filter_comes_from_the_apps_hooks(visits, shahnoza, bobur):
    assert found(active_stay=True) == {shahnoza.pk}
    assert found(active_stay=False) == {bobur.pk}


def test_last_visit_between_means_no_visit_after_the_end(visits, shahnoza, bobur):
    assert found(last_visit_from=date(2026, 1, 1), last_visit_to=date(2026, 6, 30)) == {bobur.pk}
    assert found(last_visit_from=date(2026, 11, 1)) == {shahnoza.pk}


def test_booking_number_from_a_hook_finds_the_guest(visits, bobur):
    assert found("BK-20261121-0001") == {bobur.pk}


def test_without_apps_offering_stays_nobody_is_staying(shahnoza, monkeypatch):
    monkeypatch.setattr(hooks, "providers", lambda name: [])
    assert found(active_stay=True) == set()
    assert found(active_stay=False) == {shahnoza.pk}


def test_did_you_mean_finds_a_misspelled_name(shahnoza, bobur):
    assert found("Yusupowa Shahnosa") == set()
    assert [patient.pk for patient in selectors.fuzzy_matches("Yusupowa Shahnosa")] == [shahnoza.pk]
    assert selectors.fuzzy_matches("Yusupowa") == [shahnoza]
    assert selectors.fuzzy_matches("y s h") == [], "words of one letter spell nothing"



def test_did_you_mean_reads_the_namesakes_of_the_nearest_spellings_not_a_slice_of_one_name():
    for first_name in ["Bobur", "Jasur", "Otabek", "Timur", "Nodir", "Akmal", "Farhod", "Sardor"]:
        PatientFactory(first_name=first_name, last_name="Yusupov")
    for number in range(12):
        PatientFactory(first_name="Sevara", last_name="Yusupova", middle_name=f"Akmal{'abcdefghijkl'[number]}ovna")
    shahnoza = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    assert [patient.pk for patient in selectors.fuzzy_matches("Yusupowa Shahnosa", limit=3)] == [shahnoza.pk]
    assert [patient.pk for patient in selectors.fuzzy_matches("Shahnosa Yusupowa", limit=3)] == [shahnoza.pk]


def make_patients(count: int) -> dict[str, dict]:
    """`count` patients (the last one merged away), and the queries each list/search query-count test runs."""
    district = DistrictFactory()
    patients = []
    for number in range(count):
        patient = Patient(code=code_for(number + 500_000), first_name=f"Name{'abcdefghij'[number % 10]}",
                          last_name="Tursunov", birth_date=date(1960 + number % 50, 1, 1), mobile=f"+99890{number:07d}",
                          region=district.region, district=district, country="UZ")
        fill_search_keys(patient)
        patients.append(patient)
    survivor = Patient.objects.bulk_create(patients)[0]
    Patient.objects.filter(pk=patients[-1].pk).update(merged_into=survivor, is_active=False)
    every_filter = {"q": "tursunov", "gender": "unknown", "age_min": 0, "age_max": 150, "region": district.region_id,
                    "district": district.pk, "registered_from": "2020-01-01", "registered_to": "2099-12-31",
                    "active_stay": "no"}
    return {"list": {}, "search": {"q": "tursunov"}, "every filter": every_filter}


LISTINGS = ["list", "search", "every filter"]


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("count", [10, 500])
def test_the_list_page_has_a_constant_number_of_queries(client_as, make_user, django_assert_max_num_queries, count,
                                                        listing):
    query = make_patients(count)[listing]
    client = client_as(make_user(Role.RECEPTIONIST))
    with django_assert_max_num_queries(12):
        response = client.get("/patients/", query)
    assert response.status_code == 200 and response.content.count(b"data-patient=") == min(count - 1, 25)


@pytest.mark.parametrize("count", [10, 500])
def test_the_search_page_has_a_constant_number_of_queries(client_as, make_user, django_assert_max_num_queries,
                                                          count):
    make_patients(count)
    client = client_as(make_user(Role.RECEPTIONIST))
    with django_assert_max_num_queries(12):
        response = client.get("/patients/", {"q": "tursunov", "status": "all"}, headers={"HX-Request": "true",
                                                                                       "HX-Target": "patient-rows"})
    assert response.status_code == 200 and response.content.count(b"data-patient=") == min(count, 25)


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("count", [10, 500])
def test_the_api_list_has_a_constant_number_of_queries(api_as, make_user, django_assert_max_num_queries, count,
                                                       listing):
    query = make_patients(count)[listing]
    if "active_stay" in query:
        query = {**query, "active_stay": "false"}
    api = api_as(make_user(Role.DOCTOR))
    with django_assert_max_num_queries(6):
        response = api.get("/api/patients/", {**query, "page_size": 100})
    assert response.status_code == 200 and len(response.json()["results"]) == min(count - 1, 100)


@pytest.mark.parametrize("count", [10, 500])
def test_the_picker_has_a_constant_number_of_queries(client_as, make_user, django_assert_max_num_queries, count):
    make_patients(count)
    client = client_as(make_user(Role.NURSE))
    with django_assert_max_num_queries(6):
        response = client.get("/patients/picker/", {"patient_search": "tursunov", "picker": "id_patient"})
    assert response.content.count(b"data-pick-id=") == min(count - 1, 8)


def test_did_you_mean_finds_her_when_a_crowd_of_alike_names_fills_the_pools(monkeypatch):
    from hayat.patients import duplicates
    from hayat.patients.tests.test_duplicates import crowd

    monkeypatch.setattr(duplicates, "POOL_LIMIT", 5)
    crowd(30, last_name="Yusbekova", first_name="Shahlo")
    crowd(30, last_name="Yusupova", first_name="Sevara", offset=100)
    shahnoza = PatientFactory(first_name="Shahnoza", last_name="Yusupova")
    assert shahnoza.pk in [patient.pk for patient in selectors.fuzzy_matches("Yusupva Shahnosa")]


def ordered(query="", **filters):
    return list(selectors.search(query, PatientFilters(**filters)).values_list("pk", flat=True))


def test_a_common_name_reads_a_bounded_number_of_matches_through_each_name_first_in_name_order(monkeypatch):
    monkeypatch.setattr(selectors, "NAME_CANDIDATES", 3)
    surnames = [PatientFactory(last_name=f"Tursunov{suffix}", first_name="Aziz") for suffix in "rpmlk"]
    fathers = [PatientFactory(last_name="Abdullaev", first_name="Bobur", middle_name=f"Tursun{suffix}ovich")
               for suffix in "ba"]
    assert ordered("tursun") == [fathers[0].pk, fathers[1].pk, surnames[4].pk, surnames[3].pk, surnames[2].pk]
    assert selectors.capped(len(ordered("tursun"))) and not selectors.capped(len(ordered("tursunova")))


def test_the_filters_choose_the_bounded_matches_not_the_other_way_round(monkeypatch):
    monkeypatch.setattr(selectors, "NAME_CANDIDATES", 3)
    district = DistrictFactory()
    elsewhere = [PatientFactory(last_name="Tursunov", first_name="Aziz") for _ in range(4)]
    here = [PatientFactory(last_name="Tursunov", first_name="Aziz", district=district, region=district.region)
            for _ in range(2)]
    assert found("tursunov", district=district.pk) == {patient.pk for patient in here}
    assert len(found("tursunov")) == 3 and found("tursunov") <= {patient.pk for patient in elsewhere + here}


def test_a_word_that_is_a_code_finds_that_patient_beside_the_namesakes():
    coded = PatientFactory(code="TEMUR", last_name="Karimov", first_name="Bobur")
    namesake = PatientFactory(last_name="Temurov", first_name="Aziz")
    assert found("temur") == {coded.pk, namesake.pk}


def test_a_search_reaching_the_bound_says_there_may_be_more(client_as, make_user, monkeypatch):
    monkeypatch.setattr(selectors, "NAME_CANDIDATES", 3)
    for last_name in ["Tursunov"] * 4 + ["Karimov"] * 2:
        PatientFactory(last_name=last_name, first_name="Aziz")
    client = client_as(make_user(Role.RECEPTIONIST))
    assert "At least 3 patients" in client.get("/patients/", {"q": "tursunov"}).content.decode()
    page = client.get("/patients/", {"q": "karimov"}).content.decode()
    assert "2 patients" in page and "At least" not in page


def test_email_matches_by_its_beginning(shahnoza, bobur):
    assert found("shahnoza@exa") == {shahnoza.pk}
    assert found("SHAHNOZA@") == {shahnoza.pk}
    assert found("hahnoza@example.uz") == set()


@pytest.mark.parametrize("query", ["yusupova shahnoza", "shahnoza yusupova", "shah akmal", "akmalovna shahnoza",
                                   "yusupova akmal", "akmal yusu", "yus yusupova", "yusupova yus", "aziz aziz",
                                   "a a", "yusu shah akmal", "akmal shah yusu", "shah yusu aziz", "karim aziz tursun",
                                   "tursunov tursun", "tursun tursunov aziz", "bobur karimov"])
def test_several_words_read_in_pairs_find_exactly_whom_the_condition_on_every_word_finds(query):
    for last, first, middle in [("Yusupova", "Shahnoza", "Akmalovna"), ("Akmalova", "Shahnoza", "Yusupovna"),
                                ("Shahnozova", "Akmal", "Yusupovich"), ("Yusupov", "Aziz", "Azizovich"),
                                ("Karimov", "Aziz", "Tursunovich"), ("Tursunov", "Tursun", "Karimovich"),
                                ("Aziz", "Aziza", "Akmalovna"), ("Abdullaev", "Bobur", "Karimovich")]:
        PatientFactory(last_name=last, first_name=first, middle_name=middle)
    keys = selectors.name_keys(query)
    expected = set(Patient.objects.filter(selectors.name_condition(keys)).values_list("pk", flat=True))
    assert len(keys) > 1 and found(query) == expected
