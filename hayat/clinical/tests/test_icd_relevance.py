"""ICD-10 search ranks by relevance, finds doctors' words in Russian and Uzbek, and says how many more match."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from hayat.clinical import icd, selectors
from hayat.clinical.models import IcdCode, IcdTitle, IcdTitleKind


@pytest.fixture(scope="module")
def respiratory_codes(django_db_setup, django_db_blocker):
    """A00–B99 (dozens of codes naming pneumonia in passing) and J00–J99 loaded once for the module."""
    with django_db_blocker.unblock():
        call_command("load_icd10", "--only", "A00-B99", stdout=StringIO())
        call_command("load_icd10", "--only", "J00-J99", stdout=StringIO())
        yield
        IcdCode.objects.all().delete()


def first_codes(text: str, count: int = 5, **kwargs) -> list[str]:
    return [code.code for code in selectors.icd_matches(text, **kwargs).codes[:count]]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["pneumonia", "community acquired pneumonia", "пневмония", "zotiljam"])
def test_unspecified_pneumonia_is_among_the_first_five(respiratory_codes, text):
    assert "J18.9" in first_codes(text)


@pytest.mark.django_db
def test_codes_matching_every_word_come_before_codes_matching_some(respiratory_codes):
    results = selectors.icd_matches("viral pneumonia").codes
    assert "viral" in results[0].title.lower() and "pneumonia" in results[0].title.lower()


@pytest.mark.django_db
def test_billable_codes_come_before_their_categories(respiratory_codes):
    found = first_codes("influenza pneumonia", count=50)
    assert found.index("J11.00") < found.index("J11.0")


@pytest.mark.django_db
def test_the_search_says_how_many_more_codes_match(respiratory_codes):
    results = selectors.icd_matches("pneumonia", limit=20)
    assert len(results.codes) == 20 and results.more == results.total - 20 > 0


@pytest.mark.django_db
def test_the_page_says_how_many_more_codes_match(respiratory_codes, doctor, client_as):
    page = client_as(doctor).get(reverse("clinical:icd_search"), {"q": "pneumonia"}).content.decode()
    assert 'id="icd-more"' in page and "more codes match" in page


@pytest.mark.django_db
def test_a_code_prefix_still_narrows_to_that_code(respiratory_codes):
    found = first_codes("J18 pneumonia", count=50)
    assert "J18.9" in found and all(code.startswith("J18") for code in found)


@pytest.mark.django_db
def test_titles_in_other_languages_are_imported_with_their_source_and_searched(respiratory_codes, tmp_path):
    titles = tmp_path / "titles.csv"
    titles.write_text("code;language;title\nJ18.9;ru;Пневмония неуточнённая\nJ18.9;uz;Aniqlanmagan zotiljam\n"
                      "Q99.9;ru;нет такого\n", encoding="utf-8")
    out = StringIO()
    call_command("load_icd10_titles", str(titles), "--source", "МКБ-10 (лицензия больницы)", stdout=out)
    assert "2 set" in out.getvalue() and "Q99.9" in out.getvalue()
    title = IcdTitle.objects.get(code__code="J18.9", language="ru", kind=IcdTitleKind.TITLE)
    assert title.source == "МКБ-10 (лицензия больницы)"
    assert first_codes("неуточнённая")[0] == "J18.9"
    with translation.override("ru"):
        shown = selectors.icd_matches("J18.9").codes[0]
    assert shown.local_title == "Пневмония неуточнённая"
    assert selectors.icd_matches("J18.9", language="uz").codes[0].local_title == "Aniqlanmagan zotiljam"
    assert selectors.icd_matches("J18.9", language="en").codes[0].local_title is None


@pytest.mark.django_db
def test_importing_again_replaces_a_codes_title_in_that_language(respiratory_codes, tmp_path):
    titles = tmp_path / "titles.csv"
    for text in ("Старое название", "Новое название"):
        titles.write_text(f"J18.9;ru;{text}\n", encoding="utf-8")
        icd.load_titles(icd.title_rows(titles), source="test")
    assert list(IcdTitle.objects.filter(code__code="J18.9", kind=IcdTitleKind.TITLE, language="ru")
                .values_list("title", flat=True)) == ["Новое название"]
