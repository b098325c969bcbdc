"""`manage.py load_icd10 --if-empty`: what every start of the server runs, so an installation without demo data
has the ICD-10 list, and a restart costs one query instead of parsing the list again."""

from io import StringIO

import pytest
from django.core.management import call_command

from hayat.clinical import icd
from hayat.clinical.models import IcdCode

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_icd10", *args, stdout=out)
    return out.getvalue()


def test_if_empty_loads_the_list_into_an_empty_table():
    output = load("--if-empty", "--only", "A00-A01")
    assert IcdCode.objects.filter(code="A00.0", source="icd10cm").exists()
    assert "added" in output and IcdCode.objects.count() > 5


def test_if_empty_does_nothing_and_reads_no_list_when_codes_are_loaded(icd_codes, monkeypatch,
                                                                     django_assert_max_num_queries):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the ICD-10-CM list must not be read again")

    monkeypatch.setattr(icd, "icd10cm_entries", no_parsing)
    before = IcdCode.objects.count()
    with django_assert_max_num_queries(2):
        output = load("--if-empty")
    assert output.strip() == f"ICD-10: {before} active codes already loaded; nothing to do."
    assert IcdCode.objects.count() == before


def test_a_hospitals_own_list_is_not_topped_up_with_icd10cm(tmp_path):
    own = tmp_path / "who.csv"
    own.write_text("code;title\nA00.0;Cholera due to Vibrio cholerae 01, biovar cholerae\n", encoding="utf-8")
    load("--csv", str(own), "--source", "who")
    load("--if-empty")
    assert list(IcdCode.objects.values_list("code", "source")) == [("A00.0", "who")]


def test_without_if_empty_the_list_is_loaded_again(icd_codes):
    IcdCode.objects.filter(code="I21.4").update(title="changed by hand")
    output = load("--only", "I21-I21")
    assert "1 updated" in output
    assert IcdCode.objects.get(code="I21.4").title != "changed by hand"
