"""Every document prints in English, Russian and Uzbek with the patient's Cyrillic name, the Uzbek letters oʻ and gʻ
and the currency legible in its text, and no page of it is blank."""

from __future__ import annotations

import pytest

from hayat.documents import printing
from hayat.documents.kinds import KINDS
from hayat.documents.tests.conftest import CYRILLIC_NAME
from hayat.documents.tests.pdfs import is_blank, pages_as_png, text_of

# kind -> (scenario, record, who prints it, shows money)
CASES = {
    "booking-confirmation": ("sanatorium", "booking", "receptionist", True),
    "welcome-packet": ("sanatorium", "booking", "receptionist", False),
    "room-slip": ("sanatorium", "booking", "receptionist", False),
    "treatment-schedule": ("sanatorium", "booking", "receptionist", False),
    "consent": ("sanatorium", "booking", "receptionist", False),
    "checkout-summary": ("sanatorium", "history", "doctor", False),
    "invoice": ("hospital", "bill", "teller", True),
    "receipt": ("hospital", "payment", "teller", True),
    "face-sheet": ("hospital", "episode", "doctor", False),
    "discharge-summary": ("hospital", "episode", "doctor", False),
    "lab-report": ("hospital", "result", "doctor", False),
}


def test_every_kind_of_document_is_tested():
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("slug", sorted(CASES))
def test_a_document_reads_in_each_language_and_has_no_blank_page(slug, db, request, tmp_path):
    scenario, record, reader, shows_money = CASES[slug]
    obj = getattr(request.getfixturevalue(scenario), record)
    user = request.getfixturevalue(reader)
    texts = {}
    for language in ("en", "ru", "uz"):
        printed = printing.print_document(kind=KINDS[slug], obj=obj, by=user, language=language)
        assert printed.pdf.startswith(b"%PDF") and printed.language == language
        texts[language] = text_of(printed.pdf)
        pages = pages_as_png(printed.pdf, folder=tmp_path, name=f"{slug}-{language}")
        assert pages and not [page.name for page in pages if is_blank(page)]
    for language, text in texts.items():
        assert CYRILLIC_NAME in text, (language, text[:300])
        if shows_money:
            assert "UZS" in text, language
    assert "oʻ" in texts["uz"] and "gʻ" in texts["uz"], "the letterhead's Uzbek name, with U+02BB"
    assert "Санаторий «Хаят»" in texts["ru"] and "Hayat Health Resort" in texts["en"]
