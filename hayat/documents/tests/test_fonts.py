"""The font comes from the fontpkg-noto-sans package and covers what Hayat prints; no document uses Helvetica."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from hayat.documents import fonts
from hayat.documents.layout import Sheet, styles, text
from hayat.documents.models import Letterhead
from hayat.documents.rendering import render
from hayat.documents.tests.pdfs import text_of

NEEDED = {"Cyrillic Ж": 0x0416, "Uzbek ʻ": 0x02BB, "peso ₱": 0x20B1, "en dash": 0x2013, "guillemet «": 0x00AB}


def test_the_font_is_the_packaged_variable_noto_sans_and_its_static_instances_cover_every_letter_needed(db):
    assert "fontpkg_noto_sans" in str(fonts.variable_font())
    for name, weight in fonts.WEIGHTS.items():
        instance = TTFont(str(fonts.static_instance(name, weight)))
        assert "fvar" not in instance, "a static instance, not the variable font"
        assert instance["OS/2"].usWeightClass == weight
        cmap = instance.getBestCmap()
        assert [letter for letter, code in NEEDED.items() if code not in cmap] == []


def fonts_used(pdf: bytes) -> set[str]:
    used = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            used.add(str(font.get_object()["/BaseFont"]))
    return used


def test_russian_uzbek_and_the_peso_sign_print_in_noto_and_read_back(db):
    body = "Тошматова Гульнора · Oʻzbekiston, Gʻallaorol · ₱ 1 250.00"
    sheet = Sheet(title="Выписка", reference="X-1", story=[text(body, styles().body)])
    pdf = render(sheet, letterhead=Letterhead(name_uz="Sogʻlom"), language="uz", page_label="bet")
    assert body in text_of(pdf) and "Sogʻlom" in text_of(pdf)
    used = fonts_used(pdf)
    assert used and all("NotoSans" in name for name in used), used
    assert not [name for name in used if "Helvetica" in name]
