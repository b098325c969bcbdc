"""The check-out summary of a stay prints the medical record's diagnoses and the doctor's epicrisis (course,
procedures received, results, recommendations, sick leave) in the reader's language; without an epicrisis it leaves
lines for the recommendations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hayat.clinical.models import IcdCode
from hayat.documents import printing
from hayat.documents.kinds import KINDS
from hayat.documents.tests.pdfs import text_of
from hayat.stays.medical import selectors, services
from hayat.stays.medical.services import EpicrisisText, Examination
from hayat.stays.models import IllnessHistory

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(sanatorium, doctor, clock):
    history = sanatorium.history
    IcdCode.objects.create(code="M54.5", title="Low back pain")
    services.write_examination(by=doctor, history=history, examination=Examination(complaints="Боль в пояснице"),
                               vitals={"pulse": "72"})
    services.set_diagnosis(by=doctor, history=history, which="final", code="M54.5")
    today = clock.now().date()
    services.write_epicrisis(by=doctor, history=history, text=EpicrisisText(
        course="Боль уменьшилась к пятому дню.", procedures=selectors.procedures_text(history),
        results="Ходит свободно.", recommendations="Плавание дважды в неделю.",
        sick_leave_from=today, sick_leave_to=today + timedelta(days=6)))
    return IllnessHistory.objects.get(pk=history.pk)


@pytest.mark.parametrize("language, words", [
    ("en", ["Epicrisis", "Course of the stay", "Sick leave", "Final"]),
    ("ru", ["Эпикриз", "Течение", "Больничный", "Заключительный"]),
    ("uz", ["Epikriz", "Kasallik varaqasi"]),
])
def test_the_epicrisis_and_diagnoses_read_in_each_language(written, doctor, language, words):
    printed = printing.print_document(kind=KINDS["checkout-summary"], obj=written, by=doctor, language=language)
    text = " ".join(text_of(printed.pdf).split())
    for word in [*words, "M54.5", "Боль уменьшилась к пятому дню.", "Массаж спины × 1", "Ингаляция × 1",
                 "Плавание дважды в неделю."]:
        assert word in text, (language, word, text[:1500])
    assert "No diagnosis was recorded" not in text


def test_without_an_epicrisis_the_summary_leaves_lines_for_the_recommendations(sanatorium, doctor):
    printed = printing.print_document(kind=KINDS["checkout-summary"], obj=sanatorium.history, by=doctor)
    text = text_of(printed.pdf)
    assert "Recommendations" in text and "Epicrisis" not in text and "No diagnosis was recorded" in text
